import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AuditRecordSchema, RolelessAuthorError, auditEntryName, changeAuthor } from './audit-record.js';

describe(auditEntryName.name, () => {
  it('should sort entry names as their times sort', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999_999 }), fc.integer({ min: 0, max: 9_999_999_999_999 }), (a, b) => {
        const [na, nb] = [auditEntryName(a, 'ffffffff'), auditEntryName(b, '00000000')];
        if (a < b) expect(na < nb).toBe(true);
        if (a > b) expect(na > nb).toBe(true);
      }),
    );
  });
});

describe(changeAuthor.name, () => {
  it('should record the identity as authenticated', () => {
    expect(changeAuthor({ name: 'alice@example.com', role: 'admin', source: 'oidc' }, 42)).toEqual({ by: 'alice@example.com', role: 'admin', source: 'oidc', at: 42 });
  });

  it('should refuse an identity without a role', () => {
    expect(() => changeAuthor({ name: 'nobody', role: undefined, source: 'oidc' }, 1)).toThrow(RolelessAuthorError);
  });
});

describe('AuditRecordSchema', () => {
  it('should refuse a record whose author is not a valid identity name', () => {
    const record = { by: 'a b\n', role: 'admin', source: 'token-file', at: 1, action: 'flag.set', target: 'flag/x', detail: {} };
    expect(AuditRecordSchema.safeParse(record).success).toBe(false);
    expect(AuditRecordSchema.safeParse({ ...record, by: 'ops-admin' }).success).toBe(true);
  });
});
