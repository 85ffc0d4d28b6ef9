// `npm run bench:profile` names callgrind's costs by function: native code by callgrind's own names, V8's compiled
// JavaScript through node's perf map. These pin the parsing that everything it prints rests on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const load = async () => import('../../scripts/callgrindAttribution.mjs');

const MAP = ['1000 100 JS:*first /x/probe.js:1:1', '2000 80 JS:^second /x/probe.js:9:3', '2040 10 JS:*moved /x/probe.js:20:1', '3000 10 Builtin:Stub'].join('\n');

// Self costs of three functions; a call's inclusive cost (the line after `calls=`) must not count again.
const OUT = `version: 1
positions: instr line
events: Ir D1mr D1mw I1mr
fn=(below main)
0x400 0 7 1
calls=1 0x1010
0x401 0 999 99 99 99
fn=???
0x1010 0 10 2 0 1
0x1020 0 5
0x2040 0 3 1 1
0x2000 0 4 0 0 2
0x3004 0 6
0x9999 0 8 1
`;

describe('callgrind attribution', () => {
  it('finds the range that holds an address, the newest of overlapping ones', async () => {
    const { parsePerfMap, lookup } = await load();
    const ranges = parsePerfMap(MAP);
    assert.equal(lookup(ranges, 0x1000)?.name, 'JS:*first /x/probe.js:1:1');
    assert.equal(lookup(ranges, 0x10ff)?.name, 'JS:*first /x/probe.js:1:1');
    assert.equal(lookup(ranges, 0x1100), undefined, 'one past the end');
    assert.equal(lookup(ranges, 0x2045)?.name, 'JS:*moved /x/probe.js:20:1', 'the later line wins inside the overlap');
    assert.equal(lookup(ranges, 0x2050)?.name, 'JS:^second /x/probe.js:9:3', 'the older range still covers the rest');
    assert.equal(lookup(ranges, 0xfff), undefined);
  });

  it('finds a long range however many short ones start inside it', async () => {
    const { parsePerfMap, lookup } = await load();
    // A function's code freed and its space reused by 100 small ones, none of which covers 0x5f00.
    const lines = ['5000 1000 JS:*long /x/probe.js:1:1', ...Array.from({ length: 100 }, (_, i) => `${(0x5000 + 0x10 * i).toString(16)} 8 JS:*short${i} /x/probe.js:2:1`)];
    const map = parsePerfMap(lines.join('\n'));
    assert.equal(map.longest, 0x1000);
    assert.equal(lookup(map, 0x5f00)?.name, 'JS:*long /x/probe.js:1:1');
    assert.equal(lookup(map, 0x5634)?.name, 'JS:*short99 /x/probe.js:2:1', 'inside a newer short range, the short one');
  });

  it('sums self costs by function: named native code, JavaScript by the map, the rest as "?"', async () => {
    const { parsePerfMap, attribute } = await load();
    const totals = attribute(OUT, parsePerfMap(MAP), ['Ir', 'D1mr', 'I1mr']);
    assert.deepEqual(Object.fromEntries(totals), {
      'C:(below main)': { Ir: 7, D1mr: 1, I1mr: 0 },
      'JS:*first /x/probe.js:1:1': { Ir: 15, D1mr: 2, I1mr: 1 },
      'JS:*moved /x/probe.js:20:1': { Ir: 3, D1mr: 1, I1mr: 0 },
      'JS:^second /x/probe.js:9:3': { Ir: 4, D1mr: 0, I1mr: 2 },
      'C:Builtin:Stub': { Ir: 6, D1mr: 0, I1mr: 0 },
      '?': { Ir: 8, D1mr: 1, I1mr: 0 },
    });
  });

  it('says which events are missing, and takes the difference per operation', async () => {
    const { attribute, perOpDifference } = await load();
    assert.throws(() => attribute(OUT, { ranges: [], longest: 0 }, ['Ir', 'Bc']), /no Bc events/);
    const a = new Map([['f', { Ir: 100 }], ['gone', { Ir: 4 }]]);
    const b = new Map([['f', { Ir: 300 }], ['new', { Ir: 50 }]]);
    assert.deepEqual(Object.fromEntries(perOpDifference(a, b, ['Ir'], 10)), { f: { Ir: 20 }, gone: { Ir: -0.4 }, new: { Ir: 5 } });
  });
});
