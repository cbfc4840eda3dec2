import { type MigrationTarget } from './controlled-gateway.js';

export interface Routes {
  readonly routes: readonly MigrationTarget[];
  /** When they were last loaded (ms since epoch); undefined before the first load. */
  readonly loadedAt?: number;
}

/**
 * Where this gateway sends sessions when a drain names no targets: the serving
 * peers of its fleet. Loaded on demand (`POST /control/routes/reload`, and
 * before each drain) rather than watched, so a gateway never acts on a stale copy
 * without having asked for a fresh one.
 */
export class RouteTable {
  private current: Routes = { routes: [] };
  private loader: (() => Promise<MigrationTarget[]>) | undefined;

  /** Set once the agent can reach the fleet registry (after it registered). */
  useLoader(loader: () => Promise<MigrationTarget[]>): void {
    this.loader = loader;
  }

  get snapshot(): Routes {
    return this.current;
  }

  async reload(): Promise<Routes> {
    if (!this.loader) throw new Error('routes cannot be loaded before the gateway has registered');
    this.current = { routes: await this.loader(), loadedAt: Date.now() };
    return this.current;
  }
}
