import type { SelfReportFrame } from '../protocol/control-channel.js';

/** What a gateway has told the detector about itself, folded from its self-reports. */
export interface SelfReportState {
  readonly writeBlocked: boolean;
  /** The gateway says a retry is under way that may unblock it (`detail.retryPending`). */
  readonly retryPending: boolean;
  /** Detector clock: a gateway's own clock may be wrong, and bursts are held for a while from receipt. */
  readonly errorBurstAtMs: number | null;
  readonly shutdownAtMs: number | null;
  /** The latest report that raised a signal, kept verbatim as evidence. */
  readonly latest: SelfReportFrame | null;
}

export const INITIAL_SELF_REPORT_STATE: SelfReportState = Object.freeze({
  writeBlocked: false,
  retryPending: false,
  errorBurstAtMs: null,
  shutdownAtMs: null,
  latest: null,
});

export const applySelfReport = (state: SelfReportState, report: SelfReportFrame, receivedAtMs: number): SelfReportState => {
  switch (report.kind) {
    case 'write-blocked':
      return { ...state, writeBlocked: true, retryPending: report.detail?.retryPending === true, latest: report };
    case 'write-unblocked':
      return { ...state, writeBlocked: false, retryPending: false };
    case 'error-burst':
      return { ...state, errorBurstAtMs: receivedAtMs, latest: report };
    case 'shutdown':
      return { ...state, shutdownAtMs: receivedAtMs, latest: report };
  }
};

/** A burst is a moment, not a state: it counts for `holdMs` after it was reported. */
export const errorBurstActive = (state: SelfReportState, atMs: number, holdMs: number): boolean =>
  state.errorBurstAtMs !== null && atMs - state.errorBurstAtMs <= holdMs;
