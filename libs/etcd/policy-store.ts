import { type Etcd3 } from 'etcd3';
import { type ChangeAuthor, ChangeAuthorSchema, DEFAULT_POLICY, type Policy, parsePolicy } from '#core';
import { AuditLog } from './audit-log.js';
import { parseRecord } from './json-value.js';
import { POLICY_CURRENT_KEY, POLICY_PREFIX, idFromKey, policyChangeKey, policyVersionKey } from './keys.js';

export interface CurrentPolicy {
  readonly policy: Policy;
  /** `default` until someone stores a policy: the built-in DEFAULT_POLICY is then in force. */
  readonly source: 'stored' | 'default';
  /** Who published the stored policy in force, when it was published through the API. */
  readonly publishedBy?: ChangeAuthor;
}

export class PolicyVersionConflictError extends Error {
  constructor(attempts: number) {
    super(`could not claim a new policy version after ${attempts} attempts: other writers kept taking it`);
    this.name = 'PolicyVersionConflictError';
  }
}

/** Concurrent writers race for the next version number; the loser simply takes the one after. */
const MAX_VERSION_ATTEMPTS = 8;

/** Authors send a policy; the store numbers it, so whatever `version` they wrote is replaced. */
const withVersion = (input: unknown, version: number): unknown =>
  typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, version } : input;

/**
 * Versioned policies at `/homeostat/policy/<version>`, with `/homeostat/policy/current`
 * naming the one in force. Every write is validated first (nothing is stored when it is
 * invalid) and is immutable afterwards, so a run's recorded version always means one policy.
 */
export class PolicyStore {
  private readonly audit: AuditLog;

  constructor(private readonly etcd: Etcd3) {
    this.audit = new AuditLog(etcd);
  }

  /** Throws PolicyValidationError naming each bad field or tree node; checks without storing. */
  validate(input: unknown): Policy {
    return parsePolicy(withVersion(input, DEFAULT_POLICY.version));
  }

  async versions(): Promise<number[]> {
    const keys = await this.etcd.getAll().prefix(POLICY_PREFIX).keys();
    return keys
      .map((key) => idFromKey(POLICY_PREFIX, key))
      .filter((segment) => /^\d+$/.test(segment))
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** A stored version, validated again on the way out: etcd is input like any other. */
  async get(version: number): Promise<Policy | undefined> {
    const raw = await this.etcd.get(policyVersionKey(version)).string();
    return raw === null ? undefined : parsePolicy(raw);
  }

  async current(): Promise<CurrentPolicy> {
    const pointer = await this.etcd.get(POLICY_CURRENT_KEY).string();
    if (pointer === null) return { policy: DEFAULT_POLICY, source: 'default' };
    const policy = await this.get(Number(pointer));
    if (!policy) throw new Error(`${POLICY_CURRENT_KEY} points at version ${pointer}, which is not stored`);
    const publishedBy = await this.publishedBy(policy.version);
    return { policy, source: 'stored', ...(publishedBy ? { publishedBy } : {}) };
  }

  /** Who published a version; undefined for one written without an author (the K8s controller, tools). */
  async publishedBy(version: number): Promise<ChangeAuthor | undefined> {
    const key = policyChangeKey(version);
    const raw = await this.etcd.get(key).string();
    return raw === null ? undefined : parseRecord(ChangeAuthorSchema, key, raw);
  }

  /**
   * Validates `input`, stores it as the next version and makes it current, in one etcd
   * transaction that only succeeds if that version is still unclaimed. With an `author`
   * (a caller of the API) the same transaction records who published it and an audit record.
   */
  async publish(input: unknown, author?: ChangeAuthor): Promise<Policy> {
    this.validate(input);
    for (let attempt = 1; attempt <= MAX_VERSION_ATTEMPTS; attempt++) {
      const version = Math.max(DEFAULT_POLICY.version, ...(await this.versions())) + 1;
      const policy = parsePolicy(withVersion(input, version));
      const key = policyVersionKey(version);
      const authorship = author
        ? [
            this.etcd.put(policyChangeKey(version)).value(JSON.stringify(author)),
            this.audit.put({ ...author, action: 'policy.publish', target: `policy/${version}`, detail: { version, name: policy.name } }),
          ]
        : [];
      const result = await this.etcd
        .if(key, 'Create', '==', 0)
        .then(this.etcd.put(key).value(JSON.stringify(policy)), this.etcd.put(POLICY_CURRENT_KEY).value(String(version)), ...authorship)
        .commit();
      if (result.succeeded) return policy;
    }
    throw new PolicyVersionConflictError(MAX_VERSION_ATTEMPTS);
  }

  /**
   * Calls `listener` with the policy in force now and after every change of `current`.
   * A stored policy that no longer parses goes to `onError` and the previous one stays.
   */
  async watch(listener: (current: CurrentPolicy) => void, onError: (error: Error) => void): Promise<() => Promise<void>> {
    const watcher = await this.etcd.watch().key(POLICY_CURRENT_KEY).create();
    // Reloads run one after another, so a slow read can never hand over an older policy after a newer one.
    let reloading = Promise.resolve();
    const reload = (): void => {
      reloading = reloading.then(() =>
        this.current().then(listener, (error: unknown) => onError(error instanceof Error ? error : new Error(String(error)))),
      );
    };
    watcher.on('put', reload);
    watcher.on('delete', reload);
    watcher.on('error', onError);
    // Read after the watch exists, so a change between the two is never missed.
    reload();
    return () => watcher.cancel();
  }
}
