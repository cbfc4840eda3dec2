import { describe, expect, it } from '@jest/globals';
import { type StormState } from '../guardrails/storm.js';
import { milestoneEventKey, milestoneNote, stormBeganNote, stormLiftedNote } from './remediation-milestones.js';

const storm = (suspects: string[]): StormState => ({ sinceMs: Date.UTC(2026, 0, 2, 3, 4, 5), scope: 'zone:eu-1', suspects, lastSuspectAtMs: 0, reason: `${suspects.length} of 4 gateways of zone eu-1 suspect within 10000 ms (over 50 % of the zone)` });

describe(milestoneEventKey.name, () => {
  it('should name a remediation Event after its run, and a storm Event after its storm whichever run writes it', () => {
    expect(milestoneEventKey('healed', 'remediate:gw-1', 'run-a')).not.toBe(milestoneEventKey('healed', 'remediate:gw-1', 'run-b'));
    expect(milestoneEventKey('stormBegan', 'storm:2026-01-02T03:04:05.000Z', 'run-a')).toBe(milestoneEventKey('stormBegan', 'storm:2026-01-02T03:04:05.000Z', 'run-b'));
    expect(milestoneEventKey('stormBegan', 'storm:x', 'run-a')).not.toBe(milestoneEventKey('stormLifted', 'storm:x', 'run-a'));
  });
});

describe(stormBeganNote.name, () => {
  it('should say the scope, why, that removals are paused, how to lift it and the suspects', () => {
    expect(stormBeganNote(storm(['gw-1', 'gw-2', 'gw-3']))).toBe(
      'storm mode (zone:eu-1) since 2026-01-02T03:04:05.000Z: 3 of 4 gateways of zone eu-1 suspect within 10000 ms (over 50 % of the zone). ' +
        'Automatic removals are paused while it lasts; this gateway is one of 3 suspects. ' +
        "It lifts by itself once no gateway turned suspect for the policy's quietMs; an admin who knows the cause is gone lifts it with POST /v1/storm/lift {\"reason\": \"…\"}. " +
        'Suspects: gw-1, gw-2, gw-3',
    );
  });

  it('should keep the way out within the Event note cap when the suspects are many and long', () => {
    const many = storm(Array.from({ length: 50 }, (_, i) => `gateway-${i}-${'x'.repeat(100)}`));
    const note = milestoneNote(stormBeganNote(many), 'http://temporal.example/namespaces/default/workflows/storm%3A2026/run');
    expect(note.length).toBeLessThanOrEqual(1_024);
    expect(note).toContain('POST /v1/storm/lift');
    expect(note).toContain('one of 50 suspects');
  });
});

describe(stormLiftedNote.name, () => {
  it('should say who lifted the storm and why, or that it ended by itself', () => {
    const on = storm(['gw-1']);
    expect(stormLiftedNote(on, { atMs: Date.UTC(2026, 0, 2, 4), by: 'alice', reason: 'the switch is fixed' })).toBe(
      'storm mode (zone:eu-1) since 2026-01-02T03:04:05.000Z lifted by alice at 2026-01-02T04:00:00.000Z: the switch is fixed. Automatic removals resume, one by one under the guardrails',
    );
    expect(stormLiftedNote(on, { atMs: Date.UTC(2026, 0, 2, 4), by: 'quiet', reason: 'no gateway turned suspect for 60 s' })).toContain('lifted by itself (quiet) at 2026-01-02T04:00:00.000Z: no gateway turned suspect for 60 s');
    expect(stormLiftedNote(on, null)).toContain('is over (no lift recorded)');
  });
});
