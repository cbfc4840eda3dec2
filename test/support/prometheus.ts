/** Scrapes a Prometheus endpoint and returns its exposition text. */
export const scrape = async (url: string, token?: string): Promise<string> => {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
};

const labelsOf = (raw: string | undefined): Record<string, string> =>
  Object.fromEntries([...(raw ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));

/** The sum of every sample of `name` whose labels include `labels` (0 when there is none). */
export const sample = (text: string, name: string, labels: Record<string, string> = {}): number =>
  text
    .split('\n')
    .map((line) => /^(\w+)(?:\{(.*)\})?\s+(\S+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === name)
    .filter((m) => Object.entries(labels).every(([k, v]) => labelsOf(m[2])[k] === v))
    .reduce((sum, m) => sum + Number(m[3]), 0);
