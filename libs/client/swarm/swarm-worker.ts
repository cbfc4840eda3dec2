import { ClientSwarm } from './client-swarm.js';
import { type SwarmAnswer, type SwarmCommand } from './swarm-messages.js';

/*
 * A child process holding one swarm of push clients, driven over IPC by
 * RemoteSwarm. Large swarms are split over several of these because one process
 * may hold at most so many open files (20 000 here), and a redirect briefly
 * needs two sockets per client.
 */
let swarm: ClientSwarm | undefined;

const answer = (message: SwarmAnswer): void => {
  process.send?.(message);
};

process.on('message', (command: SwarmCommand) => {
  void (async () => {
    try {
      if (command.op === 'start') {
        swarm = new ClientSwarm(command.spec);
        await swarm.start();
        answer({ id: command.id, ok: true });
      } else if (command.op === 'report') {
        answer({ id: command.id, ok: true, ...(swarm ? { report: swarm.report() } : {}) });
      } else if (command.op === 'stall') {
        answer({ id: command.id, ok: true, stalled: swarm?.stall(command.gatewayId, command.count, command.forMs) ?? [] });
      } else if (command.op === 'move') {
        answer({ id: command.id, ok: true, moved: swarm?.moveTo(command.gatewayId, command.address, command.count) ?? [] });
      } else if (command.op === 'journals') {
        answer({ id: command.id, ok: true, journals: swarm?.journals() ?? [] });
      } else {
        swarm?.stop();
        answer({ id: command.id, ok: true });
        setTimeout(() => process.exit(0), 100);
      }
    } catch (error) {
      answer({ id: command.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});

// The parent went away (even by SIGKILL, the IPC channel closes): leave no orphan behind.
process.on('disconnect', () => process.exit(0));
