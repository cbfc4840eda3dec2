import { type MigrationTarget } from '../controlled-gateway.js';

/**
 * Chooses each session's target: round-robin, but a target that has refused
 * sessions in this batch gets new ones only after targets that have not, and a
 * session never goes back to a target that refused it.
 */
export class TargetPicker {
  private readonly refusals = new Map<string, number>();
  private turn = 0;

  constructor(private readonly targets: readonly MigrationTarget[]) {}

  pick(refusedBy: readonly string[]): MigrationTarget | undefined {
    const candidates = this.targets.filter((t) => !refusedBy.includes(t.gatewayId));
    if (candidates.length === 0) return undefined;
    const fewest = Math.min(...candidates.map((t) => this.refusals.get(t.gatewayId) ?? 0));
    const pool = candidates.filter((t) => (this.refusals.get(t.gatewayId) ?? 0) === fewest);
    const choice = pool[this.turn % pool.length];
    this.turn += 1;
    return choice;
  }

  refused(gatewayId: string): void {
    this.refusals.set(gatewayId, (this.refusals.get(gatewayId) ?? 0) + 1);
  }
}
