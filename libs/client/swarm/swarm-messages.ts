import { type ClientJournal } from '#core';
import { type SwarmReport, type SwarmSpec } from './client-swarm.js';

/** Parent → swarm child, over the IPC channel. */
export type SwarmCommand =
  | { readonly id: number; readonly op: 'start'; readonly spec: SwarmSpec }
  | { readonly id: number; readonly op: 'report' }
  | { readonly id: number; readonly op: 'journals' }
  | { readonly id: number; readonly op: 'stall'; readonly gatewayId: string; readonly count: number; readonly forMs: number }
  | { readonly id: number; readonly op: 'move'; readonly gatewayId: string; readonly address: string; readonly count: number }
  | { readonly id: number; readonly op: 'stop' };

/** Swarm child → parent. */
export type SwarmAnswer =
  | { readonly id: number; readonly ok: true; readonly report?: SwarmReport; readonly journals?: ClientJournal[]; readonly stalled?: string[]; readonly moved?: string[] }
  | { readonly id: number; readonly ok: false; readonly error: string };
