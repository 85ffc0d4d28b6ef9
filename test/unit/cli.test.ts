// The CLI contract: exit codes 0/1/2, `FILE:LINE:COL: error: MESSAGE` diagnostics, the JSON shapes of `run` and
// `compare`, and clear messages for bad flags.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support/cliRun';
import { METRIC_NAMES } from '../../src/model/types';
import { PRESET_NAMES } from '../../src/model/presets';
import { SETTINGS } from '../../src/scenario/settings';

const passing = `strategy write-through
load p {"price": 10}
write p {"price": 12}
read p
expect value {"price": 12}
expect metric writeLatencyMs.p50 == 11
`;

describe('cache-workbench run', () => {
  it('exits 0 when every expectation holds and prints a trace table and summary', () => {
    const r = cli(['run', 'a.cachescenario'], { 'a.cachescenario': passing });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /seq\s+time\s+line\s+client\s+from -> to\s+action/);
    assert.match(r.out, /ok\s+line 5: read on line 4 returned \{"price":12\}/);
    assert.match(r.out, /ok: 2 expectations held/);
  });

  it('exits 1 when an expectation fails, naming it', () => {
    const r = cli(['run', 'a.cachescenario'], { 'a.cachescenario': passing.replace('expect value {"price": 12}', 'expect value {"price": 13}') });
    assert.equal(r.code, 1);
    assert.match(r.out, /FAIL line 5: expected value \{"price":13\}, got \{"price":12\}/);
    assert.match(r.out, /^FAILED: 1 of 2 expectations failed$/m);
  });

  it('exits 2 on a parse error, printed as FILE:LINE:COL: error: MESSAGE', () => {
    const r = cli(['run', 'b.cachescenario'], { 'b.cachescenario': 'strategy write-behind\nset writeBehind.flushInterval 5 sec\nread p via node3\n' });
    assert.equal(r.code, 2);
    assert.match(r.err, /^b\.cachescenario:2:\d+: error: expected a duration like 250ms, 5s or 2m/m);
    assert.match(r.err, /^b\.cachescenario:3:\d+: error: node3 does not exist/m);
  });

  // Issue #2, item 8: each kind of bad input is a diagnostic naming its line and what was expected, exit 2, no throw.
  it('exits 2 on every kind of bad input, each printed as FILE:LINE:COL: error: naming what was expected', () => {
    const cases: { what: string; text: string; line: number; message: RegExp }[] = [
      { what: 'unknown strategy', text: 'strategy write-sideways', line: 1, message: /unknown strategy "write-sideways"; expected one of write-through, / },
      { what: 'unknown option', text: 'strategy write-behind\nset writeBehind.flushEvery 5s', line: 2, message: /unknown setting "writeBehind.flushEvery"; expected one of cache.capacity, / },
      { what: 'unknown preset', text: 'strategy write-behind\npreset memcached', line: 2, message: /unknown preset "memcached"; expected one of hazelcast, / },
      { what: 'unknown metric', text: 'strategy write-through\nwrite k 1\nexpect metric lostWritez == 0', line: 3, message: /unknown metric "lostWritez"; expected one of acknowledgedWrites, / },
      { what: 'malformed duration', text: 'strategy write-behind\nset writeBehind.flushInterval 5 sec', line: 2, message: /expected a duration like 250ms, 5s or 2m/ },
      { what: 'malformed duration unit', text: 'strategy write-through\nadvance 5xs', line: 2, message: /expected a duration like 250ms, 5s or 2m, got "5xs"/ },
      { what: 'malformed count', text: 'strategy write-through\nset cache.capacity -3', line: 2, message: /expected a whole number like 100, got "-3"/ },
      { what: 'malformed JSON value', text: 'strategy write-through\nwrite k {"price": }', line: 2, message: /expected a JSON value like 12, "alice" or \{"price": 12\}/ },
      { what: 'malformed metric bound', text: 'strategy write-through\nwrite k 1\nexpect metric staleReads == abc', line: 3, message: /expected a number like 0, 12 or 0.95, got "abc"/ },
      { what: 'unknown enum value', text: 'strategy write-behind\nset writeBehind.whenFull maybe', line: 2, message: /unknown value "maybe" for writeBehind.whenFull; expected one of block, reject, flush/ },
      { what: 'via a node that does not exist', text: 'strategy write-through\nset cache.nodes 2\nread k via node3', line: 3, message: /node3 does not exist: cache.nodes is 2/ },
      { what: 'expect value before any read', text: 'strategy write-through\nwrite k 1\nexpect value 1', line: 3, message: /expect value needs an earlier read in this scenario/ },
    ];
    for (const c of cases) {
      let r: { code: number; out: string; err: string } | undefined;
      assert.doesNotThrow(() => (r = cli(['run', 'bad.cachescenario'], { 'bad.cachescenario': `${c.text}\n` })), c.what);
      assert.equal(r?.code, 2, `${c.what}: exit ${r?.code}\n${r?.err}`);
      const errors = (r?.err ?? '').split('\n').filter((l) => / error: /.test(l));
      assert.equal(errors.length, 1, `${c.what}: ${r?.err}`);
      assert.match(errors[0] ?? '', new RegExp(`^bad\\.cachescenario:${c.line}:\\d+: error: `), c.what);
      assert.match(errors[0] ?? '', c.message, c.what);
    }
  });

  it('exits 2 for a missing file, extra arguments and bad flags', () => {
    assert.equal(cli(['run', 'missing.cachescenario']).code, 2);
    assert.match(cli(['run', 'missing.cachescenario']).err, /missing\.cachescenario:1:1: error: cannot read the file/);
    assert.equal(cli(['run']).code, 2);
    assert.equal(cli(['run', 'a', 'b']).code, 2);
    const bad = cli(['run', 'a.cachescenario', '--sead', '3'], { 'a.cachescenario': passing });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown flag --sead for run; expected one of --json, --seed, --help/);
    assert.match(cli(['run', 'a.cachescenario', '--seed', 'x'], { 'a.cachescenario': passing }).err, /--seed expects a whole number/);
    assert.equal(cli(['frobnicate']).code, 2);
    assert.equal(cli([]).code, 2);
  });

  it('names a one-dash flag, a flag given twice and an argument after help', () => {
    const files = { 'a.cachescenario': passing };
    const dash = cli(['run', '-x', 'a.cachescenario'], files);
    assert.equal(dash.code, 2);
    assert.match(dash.err, /^error: unknown flag -x for run: flags start with two dashes; expected one of --json, --seed, --help/);
    const twice = cli(['run', 'a.cachescenario', '--seed', '1', '--seed', '2'], files);
    assert.equal(twice.code, 2);
    assert.match(twice.err, /^error: --seed is given twice; give it once/);
    const help = cli(['help', 'extra']);
    assert.equal(help.code, 2);
    assert.match(help.err, /^error: help takes nothing after it, got "extra"/);
    assert.equal(cli(['help']).code, 0);
  });

  // These said "expected one of " with an empty list (help), and "expected one of none" for a command the CLI does
  // not know, instead of naming the command; `--constructor 1` was taken as a flag of run, and ignored.
  it('says help takes no flags, and names an unknown command before its flags', () => {
    const help = cli(['help', '--json']);
    assert.equal(help.code, 2);
    assert.match(help.err, /^error: unknown flag --json for help; help takes no flags\n/);
    assert.match(cli(['help', '-x']).err, /^error: unknown flag -x for help: flags start with two dashes; help takes no flags\n/);
    const unknown = cli(['frobnicate', '--json']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^error: unknown command "frobnicate"; expected run, compare or help\n/);
    assert.match(cli(['toString', '--length']).err, /^error: unknown command "toString"; expected run, compare or help\n/);
    // A name every object has is no flag either.
    const member = cli(['run', 'a.cachescenario', '--constructor', '1'], { 'a.cachescenario': passing });
    assert.equal(member.code, 2);
    assert.match(member.err, /^error: unknown flag --constructor for run; expected one of --json, --seed, --help\n/);
    const dashHelp = cli(['--help', '--json']);
    assert.equal(dashHelp.code, 2);
    assert.match(dashHelp.err, /^error: --help takes nothing after it, got "--json"/);
  });

  it('exits 2, with no stack trace, when a later set cache.nodes drops a node an earlier line uses', () => {
    const r = cli(['run', 'a.cachescenario'], { 'a.cachescenario': 'strategy write-through\nset cache.nodes 3\nread k via node3\nset cache.nodes 1\n' });
    assert.equal(r.code, 2);
    assert.match(r.err, /^a\.cachescenario:3:12: error: node3 does not exist in this run: line 4 sets cache\.nodes 1, and settings apply to the whole run$/m);
    assert.doesNotMatch(r.err + r.out, /RangeError|at .*\.js:/);
  });

  // A reader that stops early (`cache-workbench run bad.cachescenario 2>&1 | head -1`) closed stderr under the
  // diagnostics, and the write's EPIPE ended the process with exit code 1, the code of a failed expectation.
  it('keeps exit code 2 when the reader of stderr has gone, as a closed stdout keeps the run\'s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-cli-'));
    try {
      const file = join(dir, 'bad.cachescenario');
      writeFileSync(file, `strategy write-through\n${'frobnicate k\n'.repeat(2000)}`);
      const code = await new Promise<number | null>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'src', 'cli', 'main.ts'), 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
        p.stderr.destroy();
        p.stdout.resume();
        p.on('error', reject);
        p.on('exit', (c) => resolve(c));
      });
      assert.equal(code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Output to a full disk (here /dev/full) threw ENOSPC out of main: a JavaScript stack trace, and exit code 1, the
  // code of a failed expectation.
  it('says on one line that the output could not be written, with exit code 2, when stdout refuses it', (t) => {
    if (!existsSync('/dev/full')) return t.skip('no /dev/full on this system');
    const dir = mkdtempSync(join(tmpdir(), 'cw-cli-'));
    const full = openSync('/dev/full', 'w');
    try {
      const file = join(dir, 'ok.cachescenario');
      writeFileSync(file, passing);
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'src', 'cli', 'main.ts'), 'run', file], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.equal(r.stderr, 'error: cannot write to stdout: ENOSPC: no space left on device, write\n');
    } finally {
      closeSync(full);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--json has the contracted fields', () => {
    const r = cli(['run', 'a.cachescenario', '--json'], { 'a.cachescenario': passing });
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    assert.equal(j.strategy, 'write-through');
    assert.equal(j.ok, true);
    const metrics = j.metrics as Record<string, unknown>;
    for (const k of ['acknowledgedWrites', 'failedWrites', 'reads', 'cacheHits', 'cacheMisses', 'hitRatio', 'staleReads', 'lostWrites', 'dbWrites', 'dbRoundTrips', 'cachePollution', 'maxQueueDepth', 'retries', 'deadLetters']) {
      assert.equal(typeof metrics[k], 'number', k);
    }
    assert.deepEqual(metrics.writeLatencyMs, { p50: 11, p95: 11, p99: 11, max: 11, mean: 11 });
    assert.deepEqual(j.expectations, [
      { line: 5, ok: true, message: 'read on line 4 returned {"price":12}' },
      { line: 6, ok: true, message: 'metric writeLatencyMs.p50 is 11 (== 11)' },
    ]);
    const steps = j.steps as Record<string, unknown>[];
    assert.ok(steps.length > 0);
    for (const s of steps) for (const k of ['seq', 'time', 'line', 'client', 'from', 'to', 'action', 'key']) assert.ok(k in s, `step lacks ${k}`);
    assert.deepEqual(
      steps.map((s) => `${s.time} ${s.action} ${s.line}`),
      ['0 db.write 2', '1 cache.set 3', '11 db.write 3', '11 ack 3', '12 cache.get 4', '12 ack 4'],
    );
  });
});

describe('cache-workbench compare', () => {
  it('--json lists every strategy with its metrics, deterministic for a seed', () => {
    const a = cli(['compare', '--workload', 'write-heavy', '--ops', '1500', '--keys', '100', '--seed', '3', '--json']);
    const b = cli(['compare', '--workload', 'write-heavy', '--ops', '1500', '--keys', '100', '--seed', '3', '--json']);
    assert.equal(a.code, 0);
    assert.equal(a.out, b.out);
    const j = JSON.parse(a.out) as { workload: string; ops: number; results: { strategy: string; metrics: { writeLatencyMs: { p50: number } } }[] };
    assert.equal(j.workload, 'write-heavy');
    assert.equal(j.ops, 1500);
    assert.deepEqual(
      j.results.map((r) => r.strategy),
      ['write-through', 'write-behind', 'write-around', 'cache-aside', 'write-through+cache-aside'],
    );
    const wb = j.results.find((r) => r.strategy === 'write-behind');
    assert.equal(wb?.metrics.writeLatencyMs.p50, 1);
  });

  it('prints the lesson table and the measured numbers', () => {
    const r = cli(['compare', '--ops', '1000']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Strategy\s+Write latency\s+Read consistency\s+Data loss risk\s+Best for/);
    assert.match(r.out, /write-behind\s+Low\s+\S.*Yes \(crash before flush\)/);
  });

  it("matches the README's example output line for line (the README shows a real run)", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const command = '$ cache-workbench compare --workload mixed --ops 10000 --seed 1\n';
    const at = readme.indexOf(command);
    assert.ok(at >= 0, 'the README shows a compare example');
    const shown = readme.slice(at + command.length, readme.indexOf('```', at)).trimEnd();
    const r = cli(['compare', '--workload', 'mixed', '--ops', '10000', '--seed', '1']);
    assert.equal(r.code, 0);
    // The README leaves out the rules printed under the table.
    assert.equal(r.out.slice(0, r.out.indexOf('\nrules:')).trimEnd(), shown);
  });

  it("runs the README's scenario-language example with every expectation holding", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.indexOf('## The scenario language');
    const open = readme.indexOf('```\n', section) + 4;
    const text = readme.slice(open, readme.indexOf('```', open));
    assert.match(text, /^# C8 in miniature/);
    const r = cli(['run', 'readme.cachescenario'], { 'readme.cachescenario': text });
    assert.equal(r.code, 0, r.out + r.err);
    const expects = text.split('\n').filter((l) => l.startsWith('expect ')).length;
    assert.equal((r.out.match(/^ {2}ok {3}line \d+:/gm) ?? []).length, expects);
    assert.doesNotMatch(r.out, /FAIL/);
  });

  it("lists every metric, every setting and every preset of the language in the README, and nothing else", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const metricsLine = readme.split('\n').find((l) => l.startsWith('Metrics (`expect metric NAME OP NUMBER`')) ?? '';
    assert.deepEqual([...metricsLine.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]).filter((n) => n !== 'expect'), [...METRIC_NAMES]);
    const settingRows = [...readme.matchAll(/^\| `((?:cache|db|writeBehind|client)\.[A-Za-z.]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(settingRows, [...SETTINGS.map((x) => x.name), 'client.NAME.delay']);
    const presetRows = [...readme.matchAll(/^\| `([a-z]+)` \| /gm)].map((m) => m[1]).filter((n) => PRESET_NAMES.includes(n as string));
    assert.deepEqual(presetRows, [...PRESET_NAMES]);
  });

  it('rejects a bad workload or number with exit 2', () => {
    const r = cli(['compare', '--workload', 'heavy']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--workload expects one of read-heavy, write-heavy, counters, mixed, got "heavy"/);
    assert.equal(cli(['compare', '--ops', '0']).code, 2);
    assert.equal(cli(['compare', '--ops']).code, 2);
  });
});
