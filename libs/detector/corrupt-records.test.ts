import { describe, expect, it } from '@jest/globals';
import { PolicyValidationError } from '#core';
import { CorruptRecordError } from '#etcd';
import { CorruptRecordCounter } from './corrupt-records.js';
import { silentLog } from './testing/detector-rig.js';

describe(CorruptRecordCounter.name, () => {
  it('should count unparseable records per kind and leave other watch errors uncounted', () => {
    const counter = new CorruptRecordCounter(silentLog);
    counter.handler('registration')(new CorruptRecordError('/homeostat/gateways/x', 'not JSON'));
    counter.handler('registration')(new CorruptRecordError('/homeostat/gateways/y', 'id: Required'));
    counter.report('policy', new PolicyValidationError([{ path: 'name', message: 'expected string' }]));
    counter.report('vitals', new Error('14 UNAVAILABLE: etcd unreachable'));
    expect(counter.snapshot).toEqual({ registration: 2, policy: 1 });
    expect(counter.total).toBe(3);
  });
});
