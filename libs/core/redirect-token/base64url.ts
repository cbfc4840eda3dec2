const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEXTET_BY_CHAR = new Map<string, number>(Array.from(ALPHABET, (char, sextet) => [char, sextet]));

/** Unpadded base64url (RFC 4648 §5), the alphabet that survives URLs and query strings untouched. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let text = '';
  for (let offset = 0; offset < bytes.length; offset += 3) {
    const group = ((bytes[offset] ?? 0) << 16) | ((bytes[offset + 1] ?? 0) << 8) | (bytes[offset + 2] ?? 0);
    const charsForGroup = Math.min(bytes.length - offset, 3) + 1;
    for (let index = 0; index < charsForGroup; index++) {
      text += ALPHABET.charAt((group >> (18 - 6 * index)) & 0x3f);
    }
  }
  return text;
}

/**
 * Strict decoder: only the canonical encoding of some byte string is accepted. Padding,
 * foreign characters and non-zero trailing bits are refused, so two different texts never
 * decode to the same bytes — which is what makes every one-character edit of a token detectable.
 */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let pendingBits = 0;
  let pendingCount = 0;
  let written = 0;
  for (const char of text) {
    const sextet = SEXTET_BY_CHAR.get(char);
    if (sextet === undefined) return undefined;
    pendingBits = (pendingBits << 6) | sextet;
    pendingCount += 6;
    if (pendingCount >= 8) {
      pendingCount -= 8;
      bytes[written++] = (pendingBits >> pendingCount) & 0xff;
    }
    pendingBits &= (1 << pendingCount) - 1;
  }
  return pendingBits === 0 ? bytes : undefined;
}
