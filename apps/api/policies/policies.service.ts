import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { type Identity, type Policy, PolicyValidationError, changeAuthor } from '#core';
import { PolicyStore } from '#etcd';

/**
 * Policies as the API serves them. An invalid policy is a 400 whose message names every
 * offending field or tree node (`issues` has them one by one), and nothing is stored.
 */
@Injectable()
export class PoliciesService {
  private readonly store: PolicyStore;

  constructor(etcd: Etcd3) {
    this.store = new PolicyStore(etcd);
  }

  async current() {
    const [{ policy, source, publishedBy }, versions] = await Promise.all([this.store.current(), this.store.versions()]);
    return { version: policy.version, source, policy, versions, ...(publishedBy ? { publishedBy } : {}) };
  }

  async get(version: number): Promise<Policy> {
    const policy = await this.store.get(version);
    if (!policy) throw new NotFoundException(`no stored policy with version ${version}`);
    return policy;
  }

  /** `publishedBy` is the caller's identity, never something the body said. */
  async publish(input: unknown, caller: Identity) {
    const publishedBy = changeAuthor(caller, Date.now());
    const policy = await rejectingInvalid(() => this.store.publish(input, publishedBy));
    return { version: policy.version, policy, publishedBy };
  }

  async validate(input: unknown) {
    const policy = await rejectingInvalid(async () => this.store.validate(input));
    return { valid: true, policy };
  }
}

const rejectingInvalid = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof PolicyValidationError)) throw error;
    throw new BadRequestException({ valid: false, message: error.message, field: error.issues[0]?.path, issues: error.issues });
  }
};
