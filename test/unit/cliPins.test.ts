// CLI behaviour a mutation audit found unpinned: each test fails if one small break of `src/cli` (args.ts, format.ts,
// main.ts; named in its comment) is made: exit codes, flag forms and bounds, the text report and the `--json` shapes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './support/cliRun';

const files = { 'a.cachescenario': 'strategy write-through\nwrite k 1\nread k\nexpect value 1\n' };

/** The first line of what the CLI wrote to stderr. */
const firstErr = (r: { err: string }): string => r.err.split('\n')[0] ?? '';

/** A trace table's cells by column name, taken at the header's column offsets. */
function traceRows(out: string): Record<string, string>[] {
  const lines = out.split('\n');
  const head = lines.findIndex((l) => l.startsWith('seq  '));
  const header = lines[head] ?? '';
  const names = ['seq', 'time', 'line', 'client', 'from -> to', 'action', 'key', 'outcome', 'value', 'note'];
  const starts = names.map((n) => header.indexOf(n));
  const rows: Record<string, string>[] = [];
  for (const l of lines.slice(head + 2)) {
    if (l === '') break;
    rows.push(Object.fromEntries(names.map((n, i) => [n, l.slice(starts[i], starts[i + 1]).trimEnd()])));
  }
  return rows;
}

describe('flags', () => {
  // Break: only a one-dash flag of a single letter was refused; `-seed` went on as a second FILE.
  it('names a one-dash flag of several letters as one', () => {
    const r = cli(['run', 'a.cachescenario', '-seed', '3'], files);
    assert.equal(r.code, 2);
    assert.equal(firstErr(r), 'error: unknown flag -seed for run: flags start with two dashes; expected one of --json, --seed, --help');
  });

  // Break: a flag that takes a value took the next flag as it.
  it('says a flag needs a value when the next argument is another flag', () => {
    const r = cli(['run', 'a.cachescenario', '--seed', '--json'], files);
    assert.equal(r.code, 2);
    assert.equal(firstErr(r), 'error: --seed needs a value');
  });

  // Breaks: `--name=value` kept the `=` in the value; or took the whole `name=value` as the flag's name.
  it('takes --name=value as --name value', () => {
    assert.equal(cli(['run', 'a.cachescenario', '--seed=5'], files).code, 0);
    const j = JSON.parse(cli(['compare', '--ops=300', '--keys=20', '--json']).out) as { ops: number; keys: number };
    assert.deepEqual([j.ops, j.keys], [300, 20]);
  });

  // Break: a flag without a value accepted `=value`.
  it('refuses a value given to a flag that takes none', () => {
    const r = cli(['run', 'a.cachescenario', '--json=yes'], files);
    assert.equal(r.code, 2);
    assert.equal(firstErr(r), 'error: --json takes no value');
  });

  // Breaks: the lower bound excluded; a negative number reported as text rather than as the number it is.
  it('takes whole numbers from the lower bound to the upper one, and names the number out of range', () => {
    assert.equal(cli(['run', 'a.cachescenario', '--seed', '0'], files).code, 0);
    assert.equal(cli(['run', 'a.cachescenario', '--seed', '2147483647'], files).code, 0);
    assert.equal(firstErr(cli(['run', 'a.cachescenario', '--seed', '-1'], files)), 'error: --seed expects a whole number from 0 to 2147483647, got -1');
    // As typed, not as a double rounds it (a CLI audit found 99999999999999999999 reported as 100000000000000000000).
    assert.equal(firstErr(cli(['run', 'a.cachescenario', '--seed', '99999999999999999999'], files)), 'error: --seed expects a whole number from 0 to 2147483647, got 99999999999999999999');
    assert.equal(firstErr(cli(['run', 'a.cachescenario', '--seed', '2147483648'], files)), 'error: --seed expects a whole number from 0 to 2147483647, got 2147483648');
    assert.equal((JSON.parse(cli(['compare', '--ops', '1', '--keys', '1', '--clients', '1', '--json']).out) as { ops: number }).ops, 1);
    // Found by a review: the table's caption said "1 clients".
    assert.match(cli(['compare', '--ops', '20', '--keys', '5', '--clients', '1']).out, /over 5 keys \(zipf\), 1 client, seed 1;/);
  });
});

describe('cache-workbench run', () => {
  // Break: `run --help` was read as a run without a FILE.
  it('says there is no latency to report when no write was acknowledged or no read answered, rather than zeros', () => {
    const failed = cli(['run', 'f.cachescenario'], { 'f.cachescenario': 'strategy write-through\nfail db next 1 writes\nwrite a 1\nexpect error\n' });
    assert.equal(failed.code, 0);
    assert.match(failed.out, /^write latency +none \(no write was acknowledged\)$/m);
    assert.match(failed.out, /^read latency +none \(no read was answered\)$/m);
    const ran = cli(['run', 'g.cachescenario'], { 'g.cachescenario': 'strategy write-through\nwrite a 1\nread a\n' });
    assert.match(ran.out, /^write latency +p50 11ms {2}p95 11ms {2}p99 11ms {2}max 11ms {2}mean 11ms$/m);
    assert.match(ran.out, /^read latency +p50 1ms {2}p95 1ms {2}p99 1ms {2}max 1ms {2}mean 1ms$/m);
  });

  it('run --help prints the usage on stdout and exits 0, with no FILE', () => {
    const r = cli(['run', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^usage:\n {2}cache-workbench run FILE \[--json\] \[--seed N\]\n/);
    assert.equal(r.err, '');
  });

  // Break: only the parser's errors were printed, its warnings dropped.
  it("prints the parser's warnings on stderr as FILE:LINE:COL: warning: MESSAGE, and still runs", () => {
    const r = cli(['run', 'w.cachescenario'], { 'w.cachescenario': 'write k 1\n' });
    assert.equal(r.code, 0);
    assert.equal(r.err, 'w.cachescenario:1:1: warning: no strategy line; the run will use write-through\n');
    assert.match(r.out, /^w\.cachescenario: write-through\n/);
  });

  // Break (found by a review): --json listed the run's warnings only; the parser's went to stderr alone.
  it("lists the parser's warnings and the run's in --json's warnings, in line order", () => {
    // Line 1: no strategy (parser). Line 2: the write took the clock to 11 ms (the run). Line 4: past the advance (parser).
    const text = 'write k 1\nat 5ms as bob read k\nadvance 10ms\nat 5ms read k\n';
    const r = cli(['run', 'w.cachescenario', '--json'], { 'w.cachescenario': text });
    const json = JSON.parse(r.out) as { warnings: { line: number; message: string }[] };
    assert.deepEqual(json.warnings, [
      { line: 1, message: 'no strategy line; the run will use write-through' },
      { line: 2, message: 'at 5ms is in the past: the previous statements already ran until 11ms, so it was issued then' },
      { line: 4, message: 'at 5ms is in the past: the advance lines above take the clock to at least 10ms before this line runs, so it is issued then, when the script reaches it' },
    ]);
    assert.equal(r.err, 'w.cachescenario:1:1: warning: no strategy line; the run will use write-through\nw.cachescenario:4:4: warning: at 5ms is in the past: the advance lines above take the clock to at least 10ms before this line runs, so it is issued then, when the script reaches it\n');
  });

  // Break: a run warning printed as an error.
  it("prints the run's warnings in the report as FILE:LINE:1: warning: MESSAGE", () => {
    const r = cli(['run', 'late.cachescenario'], { 'late.cachescenario': 'strategy write-through\nwrite k 1\nat 5ms as bob read k\nexpect value 1\n' });
    assert.equal(r.code, 0);
    assert.match(r.out, /^late\.cachescenario:3:1: warning: at 5ms is in the past: the previous statements already ran until 11ms, so it was issued then$/m);
    assert.doesNotMatch(r.out, / error: /);
  });

  // Breaks: the exit code followed the expectations only, not the run's errors; the verdict left the run errors out.
  it('exits 1 when the run stops on an error, even with every expectation held, and the verdict counts the error', () => {
    // The write is acknowledged (`expect ok` holds); its flush then retries every millisecond until the trace is full.
    const busy = ['strategy write-behind', 'set writeBehind.flushInterval 1ms', 'set writeBehind.retryDelay 1ms', 'set writeBehind.retryBackoff 1', 'fail db for 1000h', 'write a 1', 'expect ok'].join('\n');
    const r = cli(['run', 'busy.cachescenario'], { 'busy.cachescenario': busy });
    assert.equal(r.code, 1);
    assert.match(r.out, /^ {2}ok {3}line 7: line 6 succeeded$/m);
    assert.match(r.out, /^busy\.cachescenario:7:1: error: stopped at \d+ms of virtual time: the trace reached 200,000 steps/m);
    assert.equal(r.out.trimEnd().split('\n').at(-1), 'FAILED: 0 of 1 expectation failed, 1 run error');
  });

  // Break: the output began with an empty write (a blank first line).
  it('starts its report with the file and the strategy, and its JSON with the brace', () => {
    assert.match(cli(['run', 'a.cachescenario'], files).out, /^a\.cachescenario: write-through\n\nseq {2}/);
    assert.match(cli(['run', 'a.cachescenario', '--json'], files).out, /^\{\n {2}"strategy": "write-through",\n/);
  });
});

describe('the trace table', () => {
  // Break: a line with no scenario line (a flush) showed "null" in the line column.
  it('leaves the line of a background step empty', () => {
    const r = cli(['run', 'wb.cachescenario'], { 'wb.cachescenario': 'strategy write-behind\nwrite k 1\n' });
    const flush = traceRows(r.out).find((row) => row.action === 'db.batch');
    assert.deepEqual(flush && [flush.time, flush.line, flush.client, flush['from -> to'], flush.outcome], ['5010ms', '', '', 'node1/queue -> db', 'persisted']);
  });

  // Break: a key of exactly the column's 40 characters was cut too.
  it('shows a key of 40 characters whole and cuts one of 41 to 39 and an ellipsis', () => {
    const k40 = 'k'.repeat(40);
    const k41 = 'q'.repeat(41);
    const r = cli(['run', 'keys.cachescenario'], { 'keys.cachescenario': `strategy write-through\nread ${k40}\nread ${k41}\n` });
    assert.deepEqual([...new Set(traceRows(r.out).map((row) => row.key))], [k40, `${'q'.repeat(39)}…`]);
  });

  // Breaks: the "more steps not shown" line printed when every step was; the dirty-reads row printed at 0.
  it('adds no note of steps left out when all are shown, and no dirty-reads row when there are none', () => {
    const r = cli(['run', 'a.cachescenario'], files);
    assert.doesNotMatch(r.out, /more steps not shown/);
    assert.doesNotMatch(r.out, /dirty reads/);
    assert.match(r.out, /^stale reads +0\nlost writes +0$/m);
  });
});

describe('cache-workbench compare', () => {
  // Breaks: a field dropped from the JSON; a default changed.
  it('--json names the workload it ran, with the defaults of every flag not given', () => {
    const r = cli(['compare', '--ops', '200', '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out) as Record<string, unknown> & { results: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(j), ['workload', 'ops', 'keys', 'distribution', 'clients', 'seed', 'results']);
    assert.deepEqual([j.workload, j.ops, j.keys, j.distribution, j.clients, j.seed], ['mixed', 200, 1000, 'zipf', 4, 1]);
    assert.deepEqual(Object.keys(j.results[0] ?? {}), ['strategy', 'metrics', 'lostInCrash', 'staleReadRate', 'labels']);
  });

  // Break: one positional argument slipped through.
  it('refuses a positional argument', () => {
    const r = cli(['compare', 'mixed']);
    assert.equal(r.code, 2);
    assert.equal(firstErr(r), 'error: compare takes no positional arguments, got "mixed"');
  });
});
