/** Where to call and as whom; no token calls anonymously. */
export interface ApiTarget {
  readonly url: string;
  readonly token?: string;
}

/** Calls the API as a user would, reading the body loosely (every answer is JSON or problem+json). */
export const call = async (api: ApiTarget, method: string, path: string, body?: unknown, rawBody?: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(api.token ? { authorization: `Bearer ${api.token}` } : {}), ...headers },
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed as Record<string, any> };
};

/** The same API as another caller. */
export const as = (api: ApiTarget, token: string | undefined): ApiTarget => ({ url: api.url, ...(token ? { token } : {}) });
