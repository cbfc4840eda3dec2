import { z } from 'zod';

/**
 * JavaScript's `trim()` set (WhiteSpace and LineTerminator), spelled out: `\s` means another
 * set to a client's regex engine (Python's leaves out U+FEFF), and the OpenAPI document
 * must say exactly what the API accepts.
 */
const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** Free text that must say something: at least one character that is not whitespace. */
export const nonBlankText = (field: string, max: number) =>
  z
    .string({ error: `${field} is required` })
    .max(max, `${field} must be at most ${max} characters`)
    .regex(new RegExp(`[^${TRIMMED}]`), `${field} must not be empty`)
    .transform((text) => text.trim());

/** An RFC 3339 time as the document says (`format: date-time`), read as a Date. */
export const isoTime = (field: string) =>
  z.iso
    .datetime({ offset: true, error: `${field} must be an RFC 3339 time, e.g. 2026-11-22T10:00:00Z` })
    .transform((v) => new Date(v));
