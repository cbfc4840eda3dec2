export { decodeBase64Url, encodeBase64Url } from './base64url.js';
export {
  MAX_ADDRESS_LENGTH,
  MAX_ID_LENGTH,
  MAX_NONCE_BYTES,
  MAX_REDIRECT_TOKEN_LIFETIME_MS,
  MIN_NONCE_BYTES,
  REDIRECT_TOKEN_VERSION,
  type RedirectClaims,
} from './claims.js';
export {
  CLOSE_CODE_TOKEN_EXPIRED,
  CLOSE_CODE_TOKEN_FORGED,
  CLOSE_CODE_TOKEN_MALFORMED,
  CLOSE_CODE_TOKEN_PREDATES_START,
  CLOSE_CODE_TOKEN_REPLAYED,
  CLOSE_CODE_TOKEN_WRONG_TARGET,
  REDIRECT_CLOSE_CODES,
  REDIRECT_CLOSE_REASONS,
  closeCodeForRefusal,
  closeReasonForCode,
  refusalForCloseCode,
  type RedirectCloseCode,
  type RedirectRefusal,
  type RedirectVerifyRefusal,
} from './close-codes.js';
export { NonceLedger, type NonceClaim } from './nonce-ledger.js';
export { peekRedirectClaims } from './peek.js';
export { redeemRedirectToken, type RedirectRedeemContext, type RedirectRedemption } from './redeem.js';
export { MIN_REDIRECT_SECRET_BYTES, RedirectSecretTooShortError, type RedirectSecret } from './secret.js';
export { InvalidRedirectGrantError, signRedirectToken, type RedirectGrant } from './sign.js';
export { MAC_BYTES, MAX_REDIRECT_TOKEN_LENGTH } from './token-format.js';
export { verifyRedirectToken, type RedirectVerification, type RedirectVerifyContext } from './verify.js';
