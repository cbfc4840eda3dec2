/**
 * WebSocket close codes a target gateway uses to refuse a redirect. They sit in the
 * 4000–4999 private-use range and mirror the HTTP status with the same meaning, so a
 * client log line is self-explanatory.
 */
export const CLOSE_CODE_TOKEN_MALFORMED = 4400;
export const CLOSE_CODE_TOKEN_FORGED = 4401;
export const CLOSE_CODE_TOKEN_WRONG_TARGET = 4403;
export const CLOSE_CODE_TOKEN_EXPIRED = 4408;
export const CLOSE_CODE_TOKEN_REPLAYED = 4409;
/** Issued before the target (re)started: it cannot know whether it was spent before it crashed. */
export const CLOSE_CODE_TOKEN_PREDATES_START = 4410;

export type RedirectVerifyRefusal = 'malformed' | 'forged' | 'expired' | 'wrong-target' | 'predates-start';
export type RedirectRefusal = RedirectVerifyRefusal | 'replayed';

export type RedirectCloseCode =
  | typeof CLOSE_CODE_TOKEN_MALFORMED
  | typeof CLOSE_CODE_TOKEN_FORGED
  | typeof CLOSE_CODE_TOKEN_WRONG_TARGET
  | typeof CLOSE_CODE_TOKEN_EXPIRED
  | typeof CLOSE_CODE_TOKEN_REPLAYED
  | typeof CLOSE_CODE_TOKEN_PREDATES_START;

export const REDIRECT_CLOSE_CODES: Readonly<Record<RedirectRefusal, RedirectCloseCode>> = {
  malformed: CLOSE_CODE_TOKEN_MALFORMED,
  forged: CLOSE_CODE_TOKEN_FORGED,
  'wrong-target': CLOSE_CODE_TOKEN_WRONG_TARGET,
  expired: CLOSE_CODE_TOKEN_EXPIRED,
  replayed: CLOSE_CODE_TOKEN_REPLAYED,
  'predates-start': CLOSE_CODE_TOKEN_PREDATES_START,
};

/** Close reasons must fit in 123 bytes of UTF-8 (RFC 6455 §5.5), so these stay short and ASCII. */
export const REDIRECT_CLOSE_REASONS: Readonly<Record<RedirectCloseCode, string>> = {
  [CLOSE_CODE_TOKEN_MALFORMED]: 'redirect token malformed: not a token this gateway understands',
  [CLOSE_CODE_TOKEN_FORGED]: 'redirect token forged: signature does not match',
  [CLOSE_CODE_TOKEN_WRONG_TARGET]: 'redirect token is for another gateway',
  [CLOSE_CODE_TOKEN_EXPIRED]: 'redirect token expired: stay on the source gateway and ask again',
  [CLOSE_CODE_TOKEN_REPLAYED]: 'redirect token already used',
  [CLOSE_CODE_TOKEN_PREDATES_START]: 'redirect token issued before this gateway started: resume with the resume secret',
};

export const closeCodeForRefusal = (refusal: RedirectRefusal): RedirectCloseCode => REDIRECT_CLOSE_CODES[refusal];

export const closeReasonForCode = (code: RedirectCloseCode): string => REDIRECT_CLOSE_REASONS[code];

/** For clients: turns a close code back into the refusal, or `undefined` if it is not a redirect refusal. */
export function refusalForCloseCode(code: number): RedirectRefusal | undefined {
  const match = Object.entries(REDIRECT_CLOSE_CODES).find(([, closeCode]) => closeCode === code);
  return match?.[0] as RedirectRefusal | undefined;
}
