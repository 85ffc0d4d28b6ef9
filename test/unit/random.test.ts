// Seeded randomness: mulberry32 is deterministic, and Zipf's guide table only narrows the search: every sample is
// the rank a plain binary search over the whole CDF gives (so workloads, and every number measured on them, are
// unchanged by it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Zipf, mulberry32 } from '../../src/model/random';

/** The first rank whose cumulative probability reaches u, searching the whole CDF (the definition). */
function plain(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cdf[mid] as number) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The normalised CDF, built as Zipf builds it. */
function cdfOf(n: number, s = 0.99): Float64Array {
  const c = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) c[i] = sum += 1 / Math.pow(i + 1, s);
  for (let i = 0; i < n; i++) c[i] = (c[i] as number) / sum;
  return c;
}

describe('Zipf', () => {
  for (const n of [1, 2, 3, 7, 100, 1000, 10_000]) {
    it(`samples exactly the plain search's rank (n = ${n})`, () => {
      const z = new Zipf(n);
      const c = cdfOf(n);
      const us: number[] = [0, 1e-300, 0.5, 1 - 1e-16, 1];
      for (let i = 0; i < n; i++) us.push(c[i] as number, Math.max(0, (c[i] as number) - 1e-17), (c[i] as number) + 1e-17);
      for (let j = 0; j <= n; j++) us.push(j / n, Math.max(0, j / n - 1e-16), Math.min(1, j / n + 1e-16));
      const rnd = mulberry32(n);
      for (let i = 0; i < 50_000; i++) us.push(rnd());
      for (const u of us) assert.equal(z.sample(u), plain(c, u), `u = ${u}`);
    });
  }

  it('puts about a tenth of the samples over 10,000 keys on the hottest one', () => {
    const z = new Zipf(10_000);
    const rnd = mulberry32(7);
    let hot = 0;
    for (let i = 0; i < 100_000; i++) if (z.sample(rnd()) === 0) hot++;
    assert.ok(hot > 9_000 && hot < 13_000, `${hot}`);
  });
});

describe('mulberry32', () => {
  it('gives the same sequence for the same seed, a different one for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(Array.from({ length: 5 }, () => b()), xs);
    assert.notDeepEqual(Array.from({ length: 5 }, () => c()), xs);
    for (const x of xs) assert.ok(x >= 0 && x < 1);
  });
});
