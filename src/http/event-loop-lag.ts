// How late the event loop runs, measured so that an overloaded loop reads as lagging by what was measured.
// @fastify/under-pressure 9 reads a window without any sample of its delay histogram as infinite lag, so
// under sustained load with slow handlers it shed nearly everything; here a window without samples counts
// as the lateness of the check's own timer instead, which is measured too.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const resolutionMs = 10;

export interface EventLoopLag {
  /** Milliseconds of lag since the previous call: the larger of the mean delay and this call's lateness. */
  measure(): number;
  close(): void;
}

export function eventLoopLag(intervalMs: number): EventLoopLag {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let last = performance.now();
  return {
    measure() {
      const now = performance.now();
      const late = Math.max(0, now - last - intervalMs);
      last = now;
      const mean = histogram.count > 0 ? Math.max(0, histogram.mean / 1e6 - resolutionMs) : 0;
      histogram.reset();
      return Math.max(late, mean);
    },
    close() {
      histogram.disable();
    },
  };
}
