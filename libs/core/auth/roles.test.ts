import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ROLES, defaultRoleFor, roleAllows, strongestRole } from './roles.js';

const role = fc.constantFrom(...ROLES);

describe(roleAllows.name, () => {
  it('should order roles: each allows itself and every role below it, none above', () => {
    fc.assert(
      fc.property(role, role, role, (a, b, c) => {
        expect(roleAllows(a, a)).toBe(true);
        expect(roleAllows(a, b) && roleAllows(b, a)).toBe(a === b);
        if (roleAllows(a, b) && roleAllows(b, c)) expect(roleAllows(a, c)).toBe(true);
      }),
    );
    expect(roleAllows('viewer', 'operator')).toBe(false);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('admin', 'viewer')).toBe(true);
  });
});

describe(defaultRoleFor.name, () => {
  it('should let viewers read and keep every other method for admins', () => {
    expect(defaultRoleFor('GET')).toBe('viewer');
    expect(defaultRoleFor('head')).toBe('viewer');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']) expect(defaultRoleFor(method)).toBe('admin');
  });
});

describe(strongestRole.name, () => {
  it('should pick the strongest known role of a claim and ignore everything else', () => {
    expect(strongestRole('operator')).toBe('operator');
    expect(strongestRole(['viewer', 'admin', 'root'])).toBe('admin');
    expect(strongestRole(['root', 42, null])).toBeUndefined();
    expect(strongestRole(undefined)).toBeUndefined();
    expect(strongestRole({ role: 'admin' })).toBeUndefined();
  });
});
