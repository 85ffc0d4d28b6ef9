// The scenario outline (VS Code's Outline view): statements under the comments that head the file's parts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outlineOf } from '../../src/scenario/outline';
import type { OutlineItem } from '../../src/scenario/outline';
import { parseScenario } from '../../src/scenario/parser';

const names = (items: OutlineItem[]): unknown => items.map((i) => (i.children.length > 0 || i.kind === 'heading' ? [i.name, i.detail, names(i.children)] : i.name));

describe('outlineOf', () => {
  it('puts each statement under the comment block above it, and the ones above the first comment at the top', () => {
    const text = [
      'strategy write-behind',
      'set writeBehind.flushInterval 5s   # a trailing comment is not a heading',
      '',
      '#',
      '# Writes that wait for the flush',
      '# (a second line of the same comment)',
      'write k 1',
      'at 5ms as bob write k 2',
      '',
      'crash cache',
      '# Afterwards',
      'expect metric lostWrites == 2',
      '',
      '# a comment with nothing under it is no heading',
    ].join('\n');
    assert.deepEqual(names(outlineOf(text)), [
      'strategy write-behind',
      'set writeBehind.flushInterval 5s',
      ['Writes that wait for the flush', '3 statements', ['write k 1', 'at 5ms as bob write k 2', 'crash cache']],
      ['Afterwards', '1 statement', ['expect metric lostWrites == 2']],
    ]);
    const [, , writes, after] = outlineOf(text) as [OutlineItem, OutlineItem, OutlineItem, OutlineItem];
    // A heading spans its comment and its statements; it selects the comment line that names it.
    assert.deepEqual(writes.range, { line: 4, column: 1, endLine: 10, endColumn: 12 });
    assert.deepEqual(writes.selection, { line: 5, column: 1, endColumn: 33 });
    assert.deepEqual(writes.children.map((c) => [c.kind, c.detail]), [['operation', 'client operation'], ['operation', 'client operation'], ['fault', 'fault']]);
    assert.deepEqual(after.children[0]?.selection, { line: 12, column: 1, endColumn: 30 });
  });

  it('names each kind of statement, leaves out lines the parser could not read, and clips long names', () => {
    const long = `write k "${'x'.repeat(100)}"`;
    const items = outlineOf(`strategy write-around\r\npreset ignite\r\nload k 1\r\nwirte k 2\r\nread k\r\nadvance 1s\r\nfail db for 2s\r\nexpect value 1\r\n${long}\r\n`);
    assert.deepEqual(items.map((i) => [i.kind, i.name.length > 40 ? `${i.name.slice(0, 9)}…(${i.name.length})` : i.name]), [
      ['strategy', 'strategy write-around'],
      ['setting', 'preset ignite'],
      ['load', 'load k 1'],
      ['operation', 'read k'],
      ['time', 'advance 1s'],
      ['fault', 'fail db for 2s'],
      ['expectation', 'expect value 1'],
      ['operation', 'write k "…(80)'],
    ]);
    assert.ok(items.at(-1)?.name.endsWith('…'));
    assert.deepEqual(outlineOf(''), []);
    assert.deepEqual(outlineOf('# only a comment\n\n'), []);
  });

  it('ends a heading\'s comment at a line the parser could not read, so the comment below it heads the next part', () => {
    // While a statement is being typed (`wirte`), the part below it keeps its own heading and statements.
    const text = ['strategy write-behind', '# Part one', 'wirte k 1', '# Part two', 'write j 2', '', '# Part three', 'bad line', 'read j'].join('\n');
    assert.deepEqual(names(outlineOf(text)), [
      'strategy write-behind',
      ['Part two', '1 statement', ['write j 2']],
      ['Part three', '1 statement', ['read j']],
    ]);
    const [, two, three] = outlineOf(text) as [OutlineItem, OutlineItem, OutlineItem];
    assert.deepEqual(two.range, { line: 4, column: 1, endLine: 5, endColumn: 10 });
    assert.deepEqual(three.range, { line: 7, column: 1, endLine: 9, endColumn: 7 });
  });

  it('counts columns after a byte-order mark as the editor does (it does not show the mark)', () => {
    // The parser drops the mark; the Outline's names and columns must come from the same text.
    const items = outlineOf('\uFEFF# Writes\nwrite k 1\n');
    assert.deepEqual(names(items), [['Writes', '1 statement', ['write k 1']]]);
    assert.deepEqual(items[0]?.selection, { line: 1, column: 1, endColumn: 9 });
    assert.deepEqual(outlineOf('\uFEFFstrategy write-behind').map((i) => [i.name, i.selection]), [['strategy write-behind', { line: 1, column: 1, endColumn: 22 }]]);
  });

  it('lists every statement of every bundled scenario exactly once, each selection inside its range', () => {
    const dir = join(__dirname, '..', '..', 'scenarios');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.cachescenario'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      const items = outlineOf(text);
      const flat = items.flatMap((i) => (i.kind === 'heading' ? i.children : [i]));
      assert.deepEqual(flat.map((i) => i.selection.line), parseScenario(text).statements.map((s) => s.span.line), file);
      assert.ok(items.some((i) => i.kind === 'heading'), `${file} has headings`);
      for (const i of [...items, ...flat]) {
        const r = i.range;
        const s = i.selection;
        const before = (l1: number, c1: number, l2: number, c2: number): boolean => l1 < l2 || (l1 === l2 && c1 <= c2);
        assert.ok(before(r.line, r.column, s.line, s.column) && before(s.line, s.endColumn, r.endLine, r.endColumn), `${file}: ${i.name}`);
      }
    }
  });
});
