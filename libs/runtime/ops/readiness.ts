/** One dependency a process needs to do its job; `probe` rejects when it is unreachable. */
export interface ReadinessCheck {
  readonly name: string;
  probe(): Promise<unknown>;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly error?: string;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckResult>>;
}

/** How long one dependency may take to answer before it counts as down. */
const PROBE_TIMEOUT_MS = 1_500;

const withTimeout = async (check: ReadinessCheck): Promise<CheckResult> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.probe(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
};

/** Probes every dependency at once; ready only when all answer. */
export const checkReadiness = async (checks: readonly ReadinessCheck[]): Promise<Readiness> => {
  const results = await Promise.all(checks.map(async (c) => [c.name, await withTimeout(c)] as const));
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
};

/** RFC 9457 problem details for a process that is up but cannot serve: names what is down and why. */
export const notReadyProblem = ({ checks }: Readiness) => {
  const down = Object.entries(checks).filter(([, r]) => !r.ok);
  return {
    type: 'urn:homeostat:problem:dependency-unavailable',
    title: 'Service Unavailable',
    status: 503,
    detail: `not ready: ${down.map(([name, r]) => `${name} unreachable (${r.error ?? 'down'})`).join(', ')}`,
    dependency: down[0]?.[0],
    down: down.map(([name]) => name),
    checks,
  };
};
