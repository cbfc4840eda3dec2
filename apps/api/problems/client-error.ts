import { STATUS_CODES } from 'node:http';
import { type Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problem } from './problem.js';

/** How long a refused client may go on sending before the connection is dropped. */
const DRAIN_MS = 2_000;

const STATUS_OF_CODE: Readonly<Record<string, number>> = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 };

/**
 * Requests Node's HTTP parser refuses before the API sees them (a request line or headers over
 * 16 KiB: 431; malformed HTTP: 400) get a problem like every other error. Node's own answer
 * closes at once, while the client may still be sending its long request line: the kernel then
 * resets the connection and the client never reads the answer. Here the rest is read and
 * dropped until the client closes (or DRAIN_MS passes), so the answer arrives.
 */
export const answerClientError = (error: Error & { code?: string }, socket: Duplex): void => {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = STATUS_OF_CODE[error.code ?? ''] ?? 400;
  const detail = status === 431 ? 'the request line and headers must together stay under 16 KiB' : `malformed HTTP request (${error.code ?? 'parse error'})`;
  const body = JSON.stringify(problem(status, status === 431 ? 'request-too-large' : 'invalid-request', detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.on('error', () => undefined);
  socket.resume();
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
};
