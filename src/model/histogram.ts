// Exact latency percentiles in bounded memory: virtual latencies are sums of a few configured hop costs, so they
// take few distinct values, and a value -> count map is exact where a sample array would grow with the run.
import type { LatencySummary } from './types';

/** Whole-millisecond latencies below this are counted in a dense array (the common case); others in a map. */
const DENSE = 4096;

export class LatencyHistogram {
  private dense: number[] = [];
  private counts = new Map<number, number>();
  private n = 0;
  private sum = 0;
  private maxValue = 0;

  get count(): number {
    return this.n;
  }

  record(ms: number): void {
    // A latency is a difference of two clock readings, each a whole nanosecond, with binary noise (0.4 - 0.3 is
    // 0.10000000000000003): kept to the nanosecond, as the clock is. A whole ms skips the rounding.
    if ((ms | 0) !== ms) ms = Math.round(ms * 1e6) / 1e6;
    if (ms >= 0 && ms < DENSE && (ms | 0) === ms) {
      const d = this.dense;
      while (d.length <= ms) d.push(0);
      d[ms] = (d[ms] as number) + 1;
    } else this.counts.set(ms, (this.counts.get(ms) ?? 0) + 1);
    this.n++;
    this.sum += ms;
    if (ms > this.maxValue) this.maxValue = ms;
  }

  /** Nearest-rank percentile: the smallest recorded value v with at least ceil(p/100 * n) samples <= v. */
  percentile(p: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    const all = new Map(this.counts);
    this.dense.forEach((c, v) => {
      if (c > 0) all.set(v, c);
    });
    const values = [...all.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const v of values) {
      seen += all.get(v) as number;
      if (seen >= rank) return v;
    }
    return this.maxValue;
  }

  summary(): LatencySummary {
    if (this.n === 0) return { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
    return {
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.maxValue,
      mean: round3(this.sum / this.n),
    };
  }
}

/** Rounds to 3 decimals so JSON output is stable and readable. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
