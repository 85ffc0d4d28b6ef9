// What a hand mutation audit of the editor's smaller pure modules found unpinned: the quick fixes
// (`src/scenario/fixes.ts`), the document outline (`outline.ts`), the tokenizer (`lexer.ts`), the index of bundled
// examples (`examples.ts`) and the debugger's hover target (`src/debug/hoverTarget.ts`). Each test names in its comment
// the mutant (a one-line break of the source) it fails on, and checks exact values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/scenario/parser';
import { suggestedLine, suggestedLineFix, suggestedReplacement } from '../../src/scenario/fixes';
import { outlineOf } from '../../src/scenario/outline';
import type { OutlineItem } from '../../src/scenario/outline';
import { lexLine } from '../../src/scenario/lexer';
import { EXAMPLES, examplesByClaim } from '../../src/scenario/examples';
import { hoverExpression } from '../../src/debug/hoverTarget';

/** The Hazelcast queue-bound warning of `lines` (the scenario must draw exactly that one diagnostic). */
function capWarning(lines: string[]): { message: string; line: number; fix: ReturnType<typeof suggestedLineFix> } {
  const program = parseScenario(lines.join('\n'));
  // A setting set twice draws its own warning at the earlier line (idleLines.test.ts).
  const diagnostics = program.diagnostics.filter((x) => !/ is set again on line /.test(x.message));
  assert.equal(diagnostics.length, 1, JSON.stringify(program.diagnostics));
  const d = diagnostics[0] as { message: string; line: number };
  return { message: d.message, line: d.line, fix: suggestedLineFix(d.message, d.line, program) };
}

describe('fixes: the word a diagnostic meant', () => {
  // Break: the `did you mean "X"?` pattern lost its `$`, so a quote of those words inside a message was read as its
  // suggestion.
  it('reads the suggestion only at the very end of the message', () => {
    assert.equal(suggestedReplacement('unknown strategy "wb"; did you mean "write-behind"? (see the lesson)', 'wb'), undefined);
    assert.equal(suggestedReplacement('unknown strategy "wb"; did you mean "write-behind"?', 'wb'), 'write-behind');
  });

  // Break: the quoted word could be empty (`+` turned `*`), which offered to delete the word in the range.
  it('takes no empty quote for a suggestion', () => {
    assert.equal(suggestedReplacement('unknown strategy "wb"; did you mean ""?', 'wb'), undefined);
  });

  // Break: the quoted word could span a line break, which no single-word fix can put in.
  it('takes no quote that spans a line break for a suggestion', () => {
    assert.equal(suggestedReplacement('unknown strategy "wb"; did you mean "write\nbehind"?', 'wb'), undefined);
  });

  // Breaks: the check for an empty range dropped, or its `||` with the missing suggestion turned `&&`: an empty range
  // whose `""` the message quotes got the word inserted.
  it('offers nothing for an empty range, even when the message quotes an empty word', () => {
    assert.equal(suggestedReplacement('unknown strategy ""; did you mean "write-behind"?', ''), undefined);
  });

  // Break: the check that the suggestion differs from the text dropped, which offered a fix that changes nothing.
  it('offers nothing when the suggestion is the word already there', () => {
    assert.equal(suggestedReplacement('unknown strategy "write-behind"; did you mean "write-behind"?', 'write-behind'), undefined);
  });
});

describe('fixes found by the second review', () => {
  const onlyError = (lines: string[]): { message: string; line: number; column: number; endColumn: number; program: ReturnType<typeof parseScenario> } => {
    const program = parseScenario(lines.join('\n'));
    const errors = program.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(program.diagnostics));
    const d = errors[0] as { message: string; line: number; column: number; endColumn: number };
    return { ...d, program };
  };

  it('a node the run lacks: adds set cache.nodes below the settings at the top, or changes the set line there is', () => {
    const a = onlyError(['strategy write-behind', 'set writeBehind.flushInterval 1s', '', 'write a 1', 'read a via node3']);
    assert.equal(suggestedLine(a.message), 'set cache.nodes 3');
    assert.deepEqual(suggestedLineFix(a.message, a.line, a.program), { kind: 'insert', below: 2, text: 'set cache.nodes 3' });
    const b = onlyError(['write a 1', 'read a via node2']);
    assert.deepEqual(suggestedLineFix(b.message, b.line, b.program), { kind: 'insert', below: 0, text: 'set cache.nodes 2' });
    const c = onlyError(['strategy write-through', 'set cache.nodes 2', 'read a via node4']);
    assert.deepEqual(suggestedLineFix(c.message, c.line, c.program), { kind: 'replace', line: 2, column: 1, endColumn: 18, text: 'set cache.nodes 4' });
  });

  it('`=` or `===` in an expect db or cache line: the fix is `==`', () => {
    for (const op of ['=', '===']) {
      const e = onlyError(['strategy write-through', 'write a 1', `expect db a ${op} 1`]);
      assert.match(e.message, /^expected == JSON or missing after a, got "={1,3}"; did you mean "=="\?$/);
      assert.equal(suggestedReplacement(e.message, op), '==');
    }
    const other = onlyError(['strategy write-through', 'write a 1', 'expect cache a != 1']);
    assert.equal(suggestedReplacement(other.message, '!='), undefined);
  });
});

describe('fixes: the line a warning asks for', () => {
  // Break: the line number in `change line N to` matched one digit only, so a coalescing line from line 10 on lost
  // its quick fix.
  it('reads a line number of two digits', () => {
    const w = capWarning(['strategy write-behind', 'preset hazelcast', '', '# Queue', '', '', '', '', '', 'set writeBehind.coalescing on', 'set writeBehind.maxQueue 50', 'write a 1']);
    assert.equal(w.line, 11);
    assert.equal(suggestedLine(w.message), 'set writeBehind.coalescing off');
    assert.deepEqual(w.fix, { kind: 'replace', line: 10, column: 1, endColumn: 30, text: 'set writeBehind.coalescing off' });
  });

  // Break: the first `set` of the setting was replaced instead of the last, which still outvoted the fixed line.
  it('changes the last of two coalescing lines, the one the warning names', () => {
    const w = capWarning(['strategy write-behind', 'preset hazelcast', 'set writeBehind.coalescing on', '', '  set writeBehind.coalescing on # again', 'set writeBehind.maxQueue 50', 'write a 1']);
    assert.match(w.message, /: change line 5 to set writeBehind\.coalescing off to run what Hazelcast does$/);
    assert.deepEqual(w.fix, { kind: 'replace', line: 5, column: 3, endColumn: 32, text: 'set writeBehind.coalescing off' });
  });

  // Break: suggestedLineFix lost its guard for a message that asks for no line, and threw instead of answering undefined.
  it('suggestedLineFix answers undefined for a diagnostic that asks for no line', () => {
    const program = parseScenario('strategy write-behnid');
    const [d] = program.diagnostics;
    assert.ok(d !== undefined);
    assert.equal(suggestedLineFix(d.message, d.line, program), undefined);
  });

  // Breaks: the ask pattern lost its `$`, or its `: ` before `add` / `change line` became optional: the ask is read only
  // where the parser writes it, at the end of the message after a colon and a space.
  it('reads the ask only at the end of the message, after ": "', () => {
    assert.equal(suggestedLine('bound: add set writeBehind.coalescing off to run what Hazelcast does'), 'set writeBehind.coalescing off');
    assert.equal(suggestedLine('bound: add set writeBehind.coalescing off to run what Hazelcast does, later'), undefined);
    assert.equal(suggestedLine('bound:add set writeBehind.coalescing off to run what Hazelcast does'), undefined);
  });
});

describe('outline', () => {
  // Breaks: each kind's detail text changed (strategy, setting, load, time, expectation were not checked).
  it('describes each kind of statement in words', () => {
    const text = ['strategy write-behind', 'set writeBehind.wal on', 'load k 1', 'write k 2', 'advance 1s', 'crash cache', 'expect db k == 2'].join('\n');
    assert.deepEqual(outlineOf(text).map((i) => [i.kind, i.detail]), [
      ['strategy', 'strategy'],
      ['setting', 'setting'],
      ['load', 'row before the run'],
      ['operation', 'client operation'],
      ['time', 'time passes'],
      ['fault', 'fault'],
      ['expectation', 'expectation'],
    ]);
  });

  // Break: a name of exactly the longest length (80) was clipped too (`<=` turned `<`).
  it('keeps a name of exactly 80 characters whole and clips one of 81 to 80', () => {
    const exact = `write k "${'x'.repeat(70)}"`;
    const over = `write k "${'x'.repeat(71)}"`;
    const [a, b] = outlineOf(`strategy write-through\n${exact}\n${over}`).slice(1) as [OutlineItem, OutlineItem];
    assert.equal(exact.length, 80);
    assert.equal(a.name, exact);
    assert.equal(b.name, `write k "${'x'.repeat(70)}…`);
  });

  // Break: only one leading `#` was stripped from a heading, so `## Writes` was named `# Writes`.
  it('names a heading without any of its leading #s', () => {
    const [h] = outlineOf('## Writes\nwrite k 1') as [OutlineItem];
    assert.equal(h.name, 'Writes');
    assert.deepEqual(h.selection, { line: 1, column: 1, endColumn: 10 });
  });

  // Breaks: an indented comment was not taken for a heading (`raw` tested for `#` instead of the trimmed line), or the
  // heading's selection started at column 1; a statement's range started at column 1, or its selection ran on to the
  // end of the line over a trailing comment.
  it('heads a part with an indented comment, and keeps indented statements at their own columns', () => {
    const items = outlineOf('strategy write-behind\n  # Indented part\n  write k 1   # note\n');
    assert.deepEqual(items.map((i) => [i.kind, i.name, i.range, i.selection]), [
      ['strategy', 'strategy write-behind', { line: 1, column: 1, endLine: 1, endColumn: 22 }, { line: 1, column: 1, endColumn: 22 }],
      ['heading', 'Indented part', { line: 2, column: 1, endLine: 3, endColumn: 12 }, { line: 2, column: 3, endColumn: 18 }],
    ]);
    const [child] = (items[1] as OutlineItem).children as [OutlineItem];
    assert.deepEqual([child.name, child.range, child.selection], ['write k 1', { line: 3, column: 3, endLine: 3, endColumn: 12 }, { line: 3, column: 3, endColumn: 12 }]);
  });

  // Break: a blank line ended a run of comments, so of `# A`, a blank line and `# B`, the last one named the heading.
  it('keeps comment lines split by a blank line as one heading, named by the first', () => {
    assert.deepEqual(outlineOf('# A\n\n# B\nwrite k 1').map((i) => [i.name, i.detail, i.range, i.selection]), [
      ['A', '1 statement', { line: 1, column: 1, endLine: 4, endColumn: 10 }, { line: 1, column: 1, endColumn: 4 }],
    ]);
  });

  // Break: a run of comments ended as a heading when it had begun (`||` for `&&`), though none of its lines has words:
  // the outline threw on a bare `#` above a statement.
  it('makes no heading of comment lines without words', () => {
    assert.deepEqual(outlineOf('#\n##\nwrite k 1').map((i) => [i.kind, i.name]), [['operation', 'write k 1']]);
  });
});

describe('lexer', () => {
  // Break: a space inside a string skipped the escape bookkeeping, so the `\` before it escaped the closing quote
  // after it and the `#` that follows was taken for text instead of a comment.
  it('lets a backslash before a space inside a string escape the space, not the quote after it', () => {
    assert.deepEqual(lexLine('x "\\ " #c'), [
      { text: 'x', start: 0, end: 1, inString: false },
      { text: '"\\', start: 2, end: 4, inString: false },
      { text: '"', start: 5, end: 6, inString: true },
    ]);
  });
});

describe('examples', () => {
  // Breaks: the claims left unsorted, the examples of one claim reversed, or a claim's number read as one digit (C10 to
  // C18 sorted last): the bundled list is already in order, so only a list in another order shows them.
  it('examplesByClaim sorts the claims by number, extra last, and keeps the given order within a claim', () => {
    const groups = examplesByClaim([...EXAMPLES].reverse());
    assert.deepEqual([...groups.keys()], [...Array.from({ length: 18 }, (_, i) => `C${i + 1}`), 'extra']);
    assert.deepEqual(groups.get('extra')?.map((e) => e.file.slice(0, 3)), ['x10', 'x11', 'x14', 'x13', 'x12', 'x09', 'x08', 'x07', 'x06', 'x16', 'x05', 'x04', 'x03', 'x15', 'x02', 'x01']);
    assert.deepEqual(examplesByClaim([]), new Map());
  });

  // Break: a summary lost its full stop (the summaries are shown as sentences under each example in the picker).
  it('gives each example a one-line summary that ends in a full stop', () => {
    for (const e of EXAMPLES) assert.match(e.summary, /^[^\n]+\.$/, e.file);
  });
});

describe('hover target', () => {
  // Break: the word under the pointer included the position just past it (`<` turned `<=`), so the space after a key
  // evaluated the key.
  it('evaluates nothing at the space just after a word', () => {
    assert.equal(hoverExpression('write k 1', 6), 'key k');
    assert.equal(hoverExpression('write k 1', 7), undefined);
  });

  // Break: a word inside a JSON string was no longer skipped, so a value's text read as a key or a metric.
  it('evaluates no word inside a string value', () => {
    const line = 'write k "a write reads b"';
    assert.equal(hoverExpression(line, line.indexOf('reads')), undefined);
    assert.equal(hoverExpression(line, line.indexOf('b"')), undefined);
  });

  // Found by the audit: a metric's name anywhere outside a comment evaluated the metric, so hovering a client named
  // `reads` showed the reads metric (the header says a client name evaluates nothing).
  it('evaluates a metric only where `expect metric` names it; a client named like a metric evaluates nothing', () => {
    const line = 'at 5ms as reads write k 1';
    assert.equal(hoverExpression(line, line.indexOf('reads')), undefined);
    assert.equal(hoverExpression('reads', 0), undefined);
    assert.equal(hoverExpression('expect metric reads == 1', 14), 'metric reads');
    assert.equal(hoverExpression('expect metric writeLatencyMs.p99 <= 11', 14), 'metric writeLatencyMs.p99');
  });

  // Breaks: incr or read-db dropped from the verbs whose next word is a key.
  it('evaluates the key after incr and read-db', () => {
    assert.equal(hoverExpression('incr views 1', 5), 'key views');
    assert.equal(hoverExpression('at 5ms as bob read-db product:1', 22), 'key product:1');
  });

  // Break: `expect` was looked for at the start of the line rather than two words back, so the word after a key named
  // `db` read as a key too.
  it('after expect db or expect cache, takes only the next word for the key', () => {
    const line = 'expect cache db == 1';
    assert.equal(hoverExpression(line, line.indexOf('db')), 'key db');
    assert.equal(hoverExpression(line, line.indexOf('==')), undefined);
  });
});
