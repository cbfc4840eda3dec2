import { type AgentMembershipEvent } from '#agent';
import { type Logger } from '#runtime';

/** One log line per membership event, with an `event` name tests and operators can follow. */
export const logMembership = (log: Logger, event: AgentMembershipEvent): void => {
  switch (event.kind) {
    case 'registered':
      if (event.incarnation > 1) log.info({ event: 're-registered', incarnation: event.incarnation, attempt: event.attempt }, 'registered again under a fresh lease');
      return;
    case 'lease-lost':
      log.error({ event: 'lease-lost', err: event.error }, 'registration lease lost: registering again');
      return;
    case 're-register-failed':
      log.warn({ event: 're-register-failed', err: event.error, attempt: event.attempt, retryInMs: event.retryInMs }, 'could not register again yet');
      return;
    case 'self-fenced':
      log.warn({ event: 'self-fenced', unconfirmedForMs: event.unconfirmedForMs }, 'registration unconfirmed: refusing new sessions');
      return;
    case 'self-fence-lifted':
      log.info({ event: 'self-fence-lifted' }, 'registration confirmed again');
      return;
    case 'state':
      log.info({ event: 'own-state', state: event.state ?? null, by: event.by ?? null }, `state record: ${event.state ?? 'none'}`);
      return;
    case 'fenced':
      log.warn({ event: 'fenced', shed: event.shed }, `fenced: shed ${event.shed} sessions, refusing new ones`);
      return;
    case 'state-unreadable':
      log.warn({ event: 'state-unreadable', err: event.error }, 'own state record unreadable');
      return;
  }
};
