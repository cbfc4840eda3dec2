import { describe, expect, it } from '@jest/globals';
import { CloseCode, type GatewayStateName } from '#core';
import { type ControlledGateway } from '../controlled-gateway.js';
import { Admission } from './admission.js';
import { OwnState, type OwnStateEvent } from './own-state.js';

/** The data plane as far as OwnState and Admission touch it: accepting, sessions, shedding. */
class RecordingGateway {
  isAccepting = true;
  sessionCount = 3;
  readonly shed: { code: number; count: number }[] = [];
  setAccepting(accepting: boolean): void {
    this.isAccepting = accepting;
  }
  shedSessions(code: number): number {
    const count = this.sessionCount;
    this.shed.push({ code, count });
    this.sessionCount = 0;
    return count;
  }
}

const setup = () => {
  const gateway = new RecordingGateway();
  const admission = new Admission(gateway as unknown as ControlledGateway);
  const events: OwnStateEvent[] = [];
  const own = new OwnState(gateway as unknown as ControlledGateway, admission, (e) => events.push(e));
  const at = (state: GatewayStateName, revision: number) => own.apply({ record: { state, since: revision, by: 'test' }, revision: BigInt(revision) });
  return { gateway, admission, events, own, at };
};

describe(OwnState.name, () => {
  it('should shed every session with 4504 and refuse new ones when fenced, until the record says serving', () => {
    const { gateway, admission, at } = setup();
    at('serving', 1);
    at('fenced', 2);
    expect(gateway.shed).toEqual([{ code: CloseCode.Fenced, count: 3 }]);
    expect(gateway.isAccepting).toBe(false);
    expect(admission.reasons).toEqual(['out-of-rotation']);
    at('probation', 3);
    expect(gateway.isAccepting).toBe(false);
    at('serving', 4);
    expect(gateway.isAccepting).toBe(true);
  });

  it('should apply records in revision order only: a watch catching up never replays an older fence', () => {
    const { gateway, at } = setup();
    at('probation', 10);
    at('fenced', 7);
    expect(gateway.shed).toEqual([]);
    at('serving', 11);
    expect(gateway.isAccepting).toBe(true);
  });

  it('should shed a session that slipped in while fenced', () => {
    const { gateway, own, at } = setup();
    at('fenced', 1);
    gateway.sessionCount = 1;
    own.enforce();
    expect(gateway.shed.map((s) => s.count)).toEqual([3, 1]);
  });

  it('should keep a self-fence in force whatever the state record says', () => {
    const { gateway, admission, at } = setup();
    admission.hold('self-fenced');
    at('serving', 1);
    expect(gateway.isAccepting).toBe(false);
    admission.release('self-fenced');
    expect(gateway.isAccepting).toBe(true);
  });
});
