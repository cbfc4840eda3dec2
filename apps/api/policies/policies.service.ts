import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { type Identity, MissingPolicyVersionsError, type Policy, PolicyValidationError, changeAuthor } from '#core';
import { PolicyLab, PolicyStore } from '#etcd';
import { type SimulateBody } from './simulation-request.js';

/**
 * Policies as the API serves them. An invalid policy is a 400 whose message names every
 * offending field or tree node (`issues` has them one by one), and nothing is stored.
 */
@Injectable()
export class PoliciesService {
  private readonly store: PolicyStore;
  private readonly lab: PolicyLab;

  constructor(etcd: Etcd3) {
    this.store = new PolicyStore(etcd);
    this.lab = new PolicyLab(etcd);
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

  /**
   * `publishedBy` is the caller's identity, never something the body said. With
   * `lab.requireSimulation`, an enforcing policy is simulated first and may be stored in shadow mode instead.
   */
  async publish(input: unknown, caller: Identity) {
    const publishedBy = changeAuthor(caller, Date.now());
    const { policy, gate } = await rejectingInvalid(() => this.lab.publish(input, Date.now(), publishedBy));
    return { version: policy.version, policy, publishedBy, ...(gate ? { gate } : {}) };
  }

  async validate(input: unknown) {
    const policy = await rejectingInvalid(async () => this.store.validate(input));
    return { valid: true, policy };
  }

  /** Reads timelines and policies only: a simulation changes nothing in etcd or Temporal. */
  async simulate(body: SimulateBody) {
    const candidate = await rejectingInvalid(async () => this.store.validate(body.policy));
    try {
      return await this.lab.simulate({
        candidate,
        fromMs: body.from,
        untilMs: body.until,
        maxIncidents: body.maxIncidents,
        ...(body.gatewayIds ? { gatewayIds: body.gatewayIds } : {}),
      });
    } catch (error) {
      if (error instanceof MissingPolicyVersionsError) throw new ConflictException(error.message);
      throw error;
    }
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
