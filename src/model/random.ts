// Seeded randomness for workloads: the same seed always yields the same sequence, on every machine.

/** mulberry32: a small, fast 32-bit generator; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s (a few hot keys, a long tail). */
export class Zipf {
  private readonly cdf: Float64Array;
  /** guide[j]: the first rank whose cumulative probability reaches j / guide.length (narrows each search). */
  private readonly guide: Int32Array;

  constructor(n: number, s = 0.99) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += 1 / Math.pow(i + 1, s);
      this.cdf[i] = sum;
    }
    for (let i = 0; i < n; i++) this.cdf[i] = (this.cdf[i] as number) / sum;
    const m = Math.max(1, n);
    this.guide = new Int32Array(m + 1);
    let r = 0;
    for (let j = 0; j <= m; j++) {
      while (r < n - 1 && (this.cdf[r] as number) < j / m) r++;
      this.guide[j] = r;
    }
  }

  /** The first rank whose cumulative probability reaches `u` (the last rank if none does). */
  sample(u: number): number {
    const c = this.cdf;
    const g = this.guide;
    const j = Math.min(g.length - 2, Math.floor(u * (g.length - 1)));
    let lo = g[j] as number;
    let hi = g[j + 1] as number;
    // Rounding at a bucket's edge can put u one bucket off: then search everything (same answer, only slower).
    if (j < 0 || (lo > 0 && (c[lo - 1] as number) >= u) || (hi < c.length - 1 && (c[hi] as number) < u)) {
      lo = 0;
      hi = c.length - 1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((c[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
