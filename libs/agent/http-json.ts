import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type z } from 'zod';

const MAX_BODY_BYTES = 1 << 20;

/** An answer other than 200, with the reason a caller can act on. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/** The raw body (at most 1 MiB): signatures cover its exact bytes, so it is read before it is parsed. */
export const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, 'body: larger than 1 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

export const parseJson = (body: Buffer): unknown => {
  const text = body.toString();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpProblem(400, `body: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
};

/** Parses a body with `schema`; a 400 names every bad field (`targets.0.address: …`). */
export const parseBody = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${issue.keys.join(', ')})` : '';
    return `${issue.path.join('.') || 'body'}: ${issue.message}${keys}`;
  });
  throw new HttpProblem(400, problems.join('; '));
};
