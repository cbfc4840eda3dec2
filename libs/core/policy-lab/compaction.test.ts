import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { DEFAULT_COMPACTION, worthRecording } from './compaction.js';
import { hang, quiet, recordMoments } from './test-fixtures.js';
import { TimelineObservationSchema } from './timeline-observation.js';

describe(worthRecording.name, () => {
  it('should keep a quiet gateway only once per period', () => {
    const kept: number[] = [];
    const observations = recordMoments('gw-1', DEFAULT_POLICY, Array.from({ length: 700 }, (_, i) => quiet(i * 100)));
    let last: (typeof observations)[number] | undefined;
    for (const o of observations) {
      if (!worthRecording(last, o, DEFAULT_COMPACTION)) continue;
      kept.push(o.atMs);
      last = o;
    }
    expect(kept).toEqual([0, 30_000, 60_000]);
  });

  it('should keep every step of a miss streak and the recovery', () => {
    const observations = recordMoments('gw-1', DEFAULT_POLICY, [quiet(0), ...hang(0, 4), quiet(500), quiet(600)]);
    const kept = observations.filter((o, i) => worthRecording(observations[i - 1], o, DEFAULT_COMPACTION)).map((o) => o.atMs);
    expect(kept).toEqual([0, 100, 200, 300, 400, 500]);
  });
});

describe('TimelineObservationSchema', () => {
  it('should read back what the detector writes, NaN vitals included', () => {
    const [observation] = recordMoments('gw-1', DEFAULT_POLICY, [quiet(0)]);
    // Without vitals the scorer saw NaN ("no evidence"); JSON carries it as null.
    expect(observation?.health).toMatchObject({ finRstPerSec: null, synRetransmitPerSec: null, writeBlockedRatio: null });
    expect(TimelineObservationSchema.parse(JSON.parse(JSON.stringify(observation)))).toEqual(observation);
  });
});
