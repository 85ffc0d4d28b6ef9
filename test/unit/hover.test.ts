// Pins hover help of `.cachescenario` files: which word explains what, the range it covers, and silence where
// there is nothing to explain (whitespace, comments, JSON).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ScenarioHover } from '../../src/scenario/hover';
import { KEYWORD_DOCS, STRATEGY_DOCS, hoverAt, metricDoc } from '../../src/scenario/hover';
import { EXPECT_METRIC_NAMES, STATEMENT_KEYWORDS, parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { SETTINGS, findSetting } from '../../src/scenario/settings';
import { PRESETS } from '../../src/model/presets';
import { STRATEGIES } from '../../src/model/types';

/** Hover over the first occurrence of `word` in `line` (the only line of the text), at the word's middle. */
function over(line: string, word: string, nth = 0): ScenarioHover | null {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = line.indexOf(word, at + 1);
  assert.ok(at >= 0, `${word} not in ${line}`);
  return hoverAt(line, 0, at + Math.floor(word.length / 2));
}

function markdown(line: string, word: string, nth = 0): string {
  const h = over(line, word, nth);
  assert.ok(h, `no hover over ${word} in ${line}`);
  return h.markdown;
}

describe('hoverAt: settings and durations', () => {
  const line = 'set writeBehind.flushInterval 60s';

  it('shows the setting doc over the setting name, covering the whole name', () => {
    const h = over(line, 'writeBehind.flushInterval');
    const doc = findSetting('writeBehind.flushInterval')?.doc;
    assert.ok(h && doc);
    assert.ok(h.markdown.includes(doc));
    assert.deepEqual([h.line, h.start, h.end], [0, 4, 29]);
    // Every column of the name gives the same hover.
    assert.deepEqual(hoverAt(line, 0, 4), h);
    assert.deepEqual(hoverAt(line, 0, 28), h);
  });

  it('shows the duration in ms over 60s', () => {
    const h = over(line, '60s');
    assert.ok(h);
    assert.ok(h.markdown.includes('60000 ms'), h.markdown);
    assert.deepEqual([h.start, h.end], [30, 33]);
  });

  it('converts durations wherever the language takes one', () => {
    assert.ok(markdown('advance 1.5s', '1.5s').includes('1500 ms'));
    assert.ok(markdown('at 250ms as bob read k', '250ms').includes('250 ms'));
    assert.ok(markdown('fail db for 2m', '2m').includes('120000 ms'));
    assert.ok(markdown('set cache.ttl 1h', '1h').includes('3600000 ms'));
  });

  it('says recover db ends every fault and recover db key KEY fixes one row', () => {
    const md = markdown('recover db key order:7', 'recover');
    assert.match(md, /recover db \[key KEY\]/);
    assert.match(md, /`recover db key KEY` fixes only that poison row/);
  });

  it('documents every setting, and the client delay pattern', () => {
    for (const s of SETTINGS) assert.ok(markdown(`set ${s.name} 1`, s.name).includes(s.doc), s.name);
    assert.ok(markdown('set client.bob.delay 5ms', 'client.bob.delay').includes('`bob`'));
    assert.equal(over('set cache.nonsense 1', 'cache.nonsense'), null);
  });
});

describe('hoverAt: keywords, strategies, presets, metrics', () => {
  it('documents every statement keyword at the start of a line', () => {
    for (const k of STATEMENT_KEYWORDS) {
      const md = markdown(`${k} x`, k);
      assert.ok(md.includes(KEYWORD_DOCS[k].doc), k);
    }
  });

  it('documents the operation after an at/as prefix, and the prefix words', () => {
    const line = 'at 5ms as bob write k 1';
    assert.ok(markdown(line, 'write').includes(KEYWORD_DOCS.write.doc));
    assert.ok(markdown(line, 'at').includes(KEYWORD_DOCS.at.doc));
    assert.ok(markdown(line, 'as').includes(KEYWORD_DOCS.as.doc));
    assert.ok(markdown(line, 'bob').includes('client'));
  });

  it('says an expect checks the nearest operation above, whichever client made it, as the run does', () => {
    // The app client reads j, then bob reads k: expect value and expect ok look at bob's read, the nearest one.
    const scenario = 'strategy write-through\nload j 2\nload k 1\nread j\nas bob read k\nexpect value 1\nexpect ok\n';
    const run = runProgram(parseScenario(scenario));
    assert.deepEqual(run.expectations.map((e) => e.ok), [true, true]);
    for (const kind of ['value', 'error', 'ok', 'stale', 'fresh']) {
      const md = markdown(`expect ${kind}`, kind);
      assert.match(md, /nearest (read|client operation) above \(.*whichever client made it/, kind);
      assert.doesNotMatch(md, /client's previous/, kind);
    }
    assert.match(markdown('expect value 1', 'expect'), /`value`, `stale` and `fresh` look at the nearest read above/);
  });

  it('shows the strategy doc over a strategy name', () => {
    for (const s of STRATEGIES) assert.ok(markdown(`strategy ${s}`, s).includes(STRATEGY_DOCS[s]), s);
    assert.equal(over('strategy write-sideways', 'write-sideways'), null);
  });

  it('shows the preset summary over a preset name', () => {
    for (const p of PRESETS) assert.ok(markdown(`preset ${p.name}`, p.name).includes(p.summary), p.name);
  });

  it('documents every metric expect metric accepts, latency fields included', () => {
    for (const m of EXPECT_METRIC_NAMES) {
      const doc = metricDoc(m);
      assert.ok(doc, m);
      assert.ok(markdown(`expect metric ${m} == 0`, m).includes(doc), m);
    }
    assert.ok(markdown('expect metric writeLatencyMs.p99 < 5', 'writeLatencyMs.p99').includes('99th percentile of write latency'));
    assert.equal(metricDoc('writeLatencyMs.p42'), undefined);
    assert.equal(metricDoc('lostWrites.p99'), undefined);
    assert.equal(metricDoc('constructor'), undefined);
  });

  it('documents expect kinds, via, nodes and missing', () => {
    assert.ok(markdown('expect cache k via node2 missing', 'cache').includes('expect cache'));
    assert.ok(markdown('expect cache k via node2 missing', 'via').includes('via nodeN'));
    assert.ok(markdown('expect cache k via node2 missing', 'node2').includes('Cache node 2'));
    assert.ok(markdown('expect cache k via node2 missing', 'missing').includes('No entry'));
    assert.ok(markdown('crash cache node3', 'node3').includes('Cache node 3'));
  });
});

describe('hoverAt: silence', () => {
  it('returns null on whitespace', () => {
    assert.equal(hoverAt('set cache.ttl 5s', 0, 3), null);
    assert.equal(hoverAt('   read k', 0, 1), null);
    assert.equal(hoverAt('read k   ', 0, 8), null);
    assert.equal(hoverAt('strategy write-behind\n\nread k', 1, 0), null);
  });

  it('returns null in comments, even over words that mean something elsewhere', () => {
    assert.equal(hoverAt('# strategy write-behind', 0, 4), null);
    assert.equal(hoverAt('# strategy write-behind', 0, 14), null);
    assert.equal(hoverAt('advance 5s # set cache.ttl 60s', 0, 28), null);
  });

  it('returns null inside JSON and over keys', () => {
    assert.equal(over('write k {"note": "via node2"}', 'via'), null);
    assert.equal(over('write product:1 {"price": 12}', 'product:1'), null);
    assert.equal(over('write k {"strategy": 1}', 'strategy'), null);
  });

  it('returns null outside the text', () => {
    assert.equal(hoverAt('read k', 1, 0), null);
    assert.equal(hoverAt('read k', -1, 0), null);
    assert.equal(hoverAt('read k', 0, -1), null);
    assert.equal(hoverAt('read k', 0, 6), null);
    assert.equal(hoverAt('read k', 0, Number.NaN), null);
  });

  it('gives prototype names no meaning', () => {
    assert.equal(hoverAt('toString x', 0, 2), null);
    assert.equal(hoverAt('expect metric constructor == 1', 0, 16), null);
    assert.equal(hoverAt('expect metric hitRatio.__proto__ == 1', 0, 16), null);
  });
});

describe('hoverAt: robustness', () => {
  // Any UTF-16 code unit, lone surrogates included; fast-check's 'binary' unit is slow to set up in its CommonJS build.
  const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const words = fc.constantFrom(
    ...STATEMENT_KEYWORDS, ...STRATEGIES, ...SETTINGS.map((s) => s.name), 'client.x.delay', 'via', 'node1', 'node0', 'cache',
    'db', 'for', 'next', 'metric', 'writeLatencyMs.p95', 'missing', '5s', '9999999999999999999h', '{"a":', '"', '#', '\\',
  );
  const text = fc
    .array(fc.oneof(words, fc.constantFrom(' ', '\t', '\n', '\r\n'), fc.string({ unit: anyCodeUnit, maxLength: 5 })), { maxLength: 30 })
    .map((parts) => parts.join(''));

  it('never throws for any text and position, and a hover always covers the position', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: -2, max: 10 }), fc.integer({ min: -2, max: 100 }), (t, line, column) => {
        const h = hoverAt(t, line, column);
        if (h !== null) {
          assert.equal(h.line, line);
          assert.ok(h.start <= column && column < h.end);
          assert.ok(h.markdown.length > 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws for any string and position', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCodeUnit, maxLength: 80 }), fc.integer({ min: -2, max: 4 }), fc.integer({ min: -2, max: 90 }), (t, line, column) => {
        const h = hoverAt(t, line, column);
        assert.ok(h === null || typeof h.markdown === 'string');
      }),
      { numRuns: 500 },
    );
  });
});
