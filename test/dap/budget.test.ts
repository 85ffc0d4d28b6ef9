// The debugger's edges a review found: the recording budget counting what grows inside a snapshot (a large value, a
// long list of writes), expressions nested deeper than the parser allows, what a hover evaluates, and metrics the
// run settles only at its end (cache pollution) shown live so the last stop agrees with the expectations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioRuntime, compileCondition, compileExpression, recordScenario } from '../../src/debug/runtime';
import { hoverExpression } from '../../src/debug/hoverTarget';

describe('the recording budget counts what grows inside a snapshot', () => {
  it('refuses a scenario whose every snapshot carries a large value, instead of running the extension host out of memory', () => {
    // A 28,000-character row copied into each of some 2,000 snapshots: about 56 MB of text alone, 200 units a step.
    const big = JSON.stringify('x'.repeat(28_000));
    const text = ['strategy write-through', `load big ${big}`, ...Array.from({ length: 3000 }, (_, i) => `read k${i % 5}`)].join('\n');
    const r = recordScenario('/tmp/big.cachescenario', text);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /too large to step through: after [\d,]+ steps/);
  });

  it('still keeps the same scenario with a small value', () => {
    const text = ['strategy write-through', 'load big "x"', ...Array.from({ length: 3000 }, (_, i) => `read k${i % 5}`)].join('\n');
    assert.equal(recordScenario('/tmp/small.cachescenario', text).ok, true);
  });
});

describe('expressions nested too deeply', () => {
  it('are refused with a message, never a stack overflow, in the console and in breakpoint conditions', () => {
    const deep = `${'('.repeat(20_000)}time${')'.repeat(20_000)}`;
    const r = compileExpression(deep, { nodes: 1 });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.message, 'column 65: the expression nests too deeply (more than 64 levels of ( and not)');
    const c = compileCondition(`${'not '.repeat(20_000)}true`, { nodes: 1 });
    assert.equal(c.ok, false);
    assert.match(c.ok ? '' : c.message, /nests too deeply/);
    assert.equal(compileExpression(`${'('.repeat(64)}time${')'.repeat(64)}`, { nodes: 1 }).ok, true);
  });

  it('clip a very long unknown word in the message', () => {
    const r = compileExpression('y'.repeat(200_000), { nodes: 1 });
    assert.equal(r.ok ? '' : r.message.length < 200, true);
  });
});

describe('what hovering a word evaluates', () => {
  it('a key where a statement names one, a metric by name, and nothing else', () => {
    const at = (line: string, word: string): string | undefined => hoverExpression(line, line.indexOf(word));
    assert.equal(at('write product:1 {"price": 12}', 'product:1'), 'key product:1');
    assert.equal(at('at 5ms as bob read product:1 via node2', 'product:1'), 'key product:1');
    assert.equal(at('load views 0', 'views'), 'key views');
    assert.equal(at('expect cache product:1 == 1', 'product:1'), 'key product:1');
    assert.equal(at('expect metric lostWrites == 0', 'lostWrites'), 'metric lostWrites');
    for (const [line, word] of [
      ['strategy write-behind', 'write-behind'],
      ['set writeBehind.flushInterval 5s', 'writeBehind.flushInterval'],
      ['at 5ms as bob read product:1', 'bob'],
      ['read product:1 # flushing soon', 'flushing'],
      ['write k {"a": "product:9"}', 'product:9'],
      ['crash cache node2', 'node2'],
    ] as const) {
      assert.equal(at(line, word), undefined, `${line}: ${word}`);
    }
  });
});

describe('hovering a key that reads as something else', () => {
  it('asks for `key NAME`, which evaluates the key whether it reads as a number, a duration, a metric or a keyword', () => {
    const at = (line: string, word: string): string | undefined => hoverExpression(line, line.indexOf(word));
    assert.equal(at('write 42 {"a":1}', '42'), 'key 42');
    assert.equal(at('write time 7', 'time'), 'key time');
    assert.equal(at('write reads 3', 'reads'), 'key reads');
    assert.equal(at('load 5s 1', '5s'), 'key 5s');
    assert.equal(at('expect db lostWrites == 1', 'lostWrites'), 'key lostWrites');
    // The runtime's answer: the key's summary, never the number, the clock or the metric.
    const text = ['strategy write-through', 'write 42 {"a":1}', 'write time 7', 'write reads 3', 'write and 1', 'read 42'].join('\n');
    const rt = new ScenarioRuntime(() => {});
    assert.ok(rt.load({ program: '/tmp/keywords.cachescenario', text }).ok);
    rt.start(false);
    const ev = (e: string): string => {
      const r = rt.evaluate(e);
      return r.ok ? r.result : `error: ${r.message.split('\n')[0]}`;
    };
    assert.equal(ev('key 42'), 'db {"a":1} (write #1) · node1 {"a":1} (write #1)');
    assert.equal(ev('key time'), 'db 7 (write #2) · node1 7 (write #2)');
    assert.equal(ev('key reads'), 'db 3 (write #3) · node1 3 (write #3)');
    assert.equal(ev('key and'), 'db 1 (write #4) · node1 1 (write #4)');
    assert.equal(ev('key nothing:here'), 'db missing · node1 missing');
    // Without `key`, the same words are the number, the clock and the metric.
    assert.equal(ev('42'), '42');
    assert.equal(ev('metric reads'), '1');
    assert.equal(ev('key'), 'error: column 4: expected a key after key, e.g. key product:1');
    assert.equal(ev('key {"a":1}'), 'error: column 5: expected a key after key, e.g. key product:1');
    assert.match(ev('help'), /key KEY +everything about one key, whatever its name/);
  });
});

describe('metrics settled at the end of the run', () => {
  it('cache pollution counts the unread entries still cached, so the last stop shows what the expectation judged', () => {
    const path = join(__dirname, '..', '..', 'scenarios', 'c04-write-through-cache-pollution.cachescenario');
    const rt = new ScenarioRuntime(() => {});
    assert.ok(rt.load({ program: path, text: readFileSync(path, 'utf8') }).ok);
    rt.start(true);
    rt.continue();
    const final = rt.recording?.result.metrics.cachePollution;
    assert.equal(final, 4);
    const shown = rt.evaluate('metric cachePollution');
    assert.deepEqual(shown, { ok: true, result: '4' });
  });
});

describe('a long run of load lines over the budget', () => {
  it('is refused as soon as the budget is spent, on the load line it reached, without copying the rest', () => {
    // Each load's snapshot holds every row loaded so far: 10,000 loads would keep some 50 million rows.
    const text = ['strategy write-through', ...Array.from({ length: 10_000 }, (_, i) => `load k:${i} 0`), 'read k:0'].join('\n');
    const r = recordScenario('/tmp/loads.cachescenario', text);
    assert.equal(r.ok, false);
    const m = /^\/tmp\/loads\.cachescenario:(\d+):1: too large to step through: after ([\d,]+) steps/.exec(r.ok ? '' : r.message);
    assert.ok(m, r.ok ? '' : r.message);
    const line = Number(m[1]);
    assert.ok(line > 1 && line < 10_002, `blamed on line ${line}, a load line`);
  });
});
