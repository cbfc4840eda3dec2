// Preloaded into a real gateway process (NODE_OPTIONS=--import=<this file>) to make it a
// noisy but healthy node: allocation churn that keeps the garbage collector busy, and short
// random event-loop stalls that make every answer, pongs included, late by a jittery amount.
// It prints what it did as JSON lines ({"event":"noise",...}) so a test can check the noise was real.
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setInterval, setTimeout } from 'node:timers';

const setting = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${process.env[name]}`);
  return value;
};

const allocMbPerSec = setting('NOISE_ALLOC_MB_PER_SEC', 30);
const retainedMb = setting('NOISE_RETAINED_MB', 32);
const maxStallMs = setting('NOISE_MAX_STALL_MS', 40);
const meanStallGapMs = setting('NOISE_MEAN_STALL_GAP_MS', 150);
const reportEveryMs = setting('NOISE_REPORT_EVERY_MS', 2_000);

const stats = { gcCount: 0, gcPauseMsTotal: 0, gcPauseMsMax: 0, stalls: 0, stallMsMax: 0 };

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    stats.gcCount += 1;
    stats.gcPauseMsTotal += entry.duration;
    stats.gcPauseMsMax = Math.max(stats.gcPauseMsMax, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

// Churn: chunks of small objects, kept alive in a ring long enough to reach the old generation.
const CHUNK_MB = 1;
const ring = [];
const makeChunk = () => Array.from({ length: (CHUNK_MB * 1024 * 1024) / 64 }, (_, i) => ({ i, s: `x${i}` }));
setInterval(() => {
  ring.push(makeChunk());
  while (ring.length * CHUNK_MB > retainedMb) ring.shift();
}, Math.max(1, Math.round((1000 * CHUNK_MB) / Math.max(allocMbPerSec, 0.001)))).unref();

// Jitter: busy-wait a random 0..maxStallMs at random moments, as a CPU-starved node would.
const stall = () => {
  const ms = Math.random() * maxStallMs;
  const until = performance.now() + ms;
  while (performance.now() < until);
  stats.stalls += 1;
  stats.stallMsMax = Math.max(stats.stallMsMax, ms);
  setTimeout(stall, -Math.log(1 - Math.random()) * meanStallGapMs).unref();
};
setTimeout(stall, meanStallGapMs).unref();

setInterval(() => {
  process.stdout.write(`${JSON.stringify({ event: 'noise', ...stats, gcPauseMsTotal: Math.round(stats.gcPauseMsTotal) })}\n`);
}, reportEveryMs).unref();
