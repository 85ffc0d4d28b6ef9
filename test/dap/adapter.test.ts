// The `cachescenario` debug adapter over real DAP: a standalone adapter process, built from source in before(), driven
// by @vscode/debugadapter-testsupport's DebugClient through launch, stepping both ways, breakpoints, variables, evaluate.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ScenarioPosition } from '../../src/debug/runtime';
import { CRASH, THROUGH } from './scenarios';

const ROOT = resolve(__dirname, '..', '..');
const THREAD = { threadId: 1 };

const BROKEN = ['strategy write-behind', 'write product:1 {"price": 12', 'read product:1'].join('\n');

let dir: string;
let adapter: string;
let crashFile: string;
let throughFile: string;
let brokenFile: string;
let dc: DebugClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cache-workbench-dap-'));
  adapter = join(dir, 'debugAdapter.js');
  // Built from source here, so the suite runs on a fresh clone where dist/ does not exist.
  await build({
    entryPoints: [join(ROOT, 'src', 'debug', 'standalone.ts')],
    outfile: adapter,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'silent',
  });
  crashFile = join(dir, 'crash.cachescenario');
  throughFile = join(dir, 'through.cachescenario');
  brokenFile = join(dir, 'broken.cachescenario');
  writeFileSync(crashFile, CRASH);
  writeFileSync(throughFile, THROUGH);
  writeFileSync(brokenFile, BROKEN);
});

after(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  dc = new DebugClient('node', adapter, 'cachescenario');
  await dc.start();
});

afterEach(async () => {
  await dc.stop();
});

type Stopped = DebugProtocol.StoppedEvent;

/** Launches `program`, sets `breakpoints` between `initialized` and `configurationDone`, and returns the first stop. */
async function launch(program: string, options: { stopOnEntry?: boolean; breakpoints?: DebugProtocol.SourceBreakpoint[] } = {}): Promise<Stopped> {
  const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
  const configured = dc.waitForEvent('initialized').then(async () => {
    if (options.breakpoints) await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: options.breakpoints });
    await dc.configurationDoneRequest();
  });
  await Promise.all([configured, dc.launch({ program, stopOnEntry: options.stopOnEntry ?? true })]);
  return stopped;
}

/** Sends a stepping request and waits for the stop it causes. */
async function move(request: (args: typeof THREAD) => Promise<unknown>): Promise<Stopped> {
  const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
  await request(THREAD);
  return stopped;
}

const next = () => move((a) => dc.nextRequest(a));
const stepIn = () => move((a) => dc.stepInRequest(a));
const stepOut = () => move((a) => dc.stepOutRequest(a));
const stepBack = () => move((a) => dc.stepBackRequest(a));
const cont = () => move((a) => dc.continueRequest(a));
const reverse = () => move((a) => dc.reverseContinueRequest(a));

async function position(): Promise<ScenarioPosition> {
  return (await dc.customRequest('cacheScenario/position')).body as ScenarioPosition;
}

async function topLine(): Promise<number> {
  const st = await dc.stackTraceRequest(THREAD);
  return st.body.stackFrames[0]?.line ?? -1;
}

async function evaluate(expression: string): Promise<string> {
  return (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;
}

interface Tree {
  name: string;
  value: string;
  children?: Tree[];
}

async function expand(ref: number): Promise<Tree[]> {
  const r = await dc.variablesRequest({ variablesReference: ref });
  const out: Tree[] = [];
  for (const v of r.body.variables) out.push(v.variablesReference > 0 ? { name: v.name, value: v.value, children: await expand(v.variablesReference) } : { name: v.name, value: v.value });
  return out;
}

/** Every scope's whole variable tree at the current stop. */
async function allVariables(): Promise<Record<string, Tree[]>> {
  const st = await dc.stackTraceRequest(THREAD);
  const frameId = st.body.stackFrames[0]?.id ?? 0;
  const scopes = await dc.scopesRequest({ frameId });
  const out: Record<string, Tree[]> = {};
  for (const s of scopes.body.scopes) out[s.name] = await expand(s.variablesReference);
  return out;
}

function find(tree: Tree[] | undefined, ...names: string[]): Tree {
  let node: Tree | undefined;
  let level = tree;
  for (const n of names) {
    node = level?.find((t) => t.name === n);
    assert.ok(node, `no variable ${names.join(' > ')}`);
    level = node.children;
  }
  return node as Tree;
}

describe('cachescenario debug adapter', () => {
  it('announces stepping back, conditional breakpoints and hover evaluation', async () => {
    const r = await dc.initializeRequest();
    assert.equal(r.body?.supportsStepBack, true);
    assert.equal(r.body?.supportsConditionalBreakpoints, true);
    assert.equal(r.body?.supportsConfigurationDoneRequest, true);
    assert.equal(r.body?.supportsEvaluateForHovers, true);
  });

  it('stops on entry at the first statement line, before anything ran, and sends cacheScenario/step', async () => {
    const step = dc.waitForEvent('cacheScenario/step');
    const stop = await launch(crashFile);
    assert.equal(stop.body.reason, 'entry');
    assert.equal(stop.body.threadId, 1);
    const top = (await dc.stackTraceRequest(THREAD)).body.stackFrames[0];
    assert.equal(top?.source?.path, crashFile);
    assert.equal(top?.line, 2);
    assert.equal(top?.name, 'on entry: write-behind, nothing has run yet');
    assert.deepEqual((await step).body, { index: -1, total: 17, step: null, line: 2, time: 0 });
    assert.deepEqual(await position(), { index: -1, total: 17, step: null, line: 2, time: 0 });
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads, [{ id: 1, name: 'scenario (write-behind)' }]);
    const vars = await allVariables();
    assert.deepEqual(Object.keys(vars), ['Clock', 'Cache', 'Database', 'Write-behind queue', 'Metrics']);
    assert.deepEqual(vars.Database, [{ name: 'status', value: 'up' }]);
  });

  it('next moves statement by statement, then terminates', async () => {
    await launch(crashFile);
    const lines: number[] = [];
    const descriptions: string[] = [];
    for (let i = 0; i < 7; i++) {
      const stop = await next();
      assert.equal(stop.body.reason, 'step');
      lines.push(await topLine());
      descriptions.push(stop.body.description ?? '');
    }
    // The expectation on line 11 runs no trace step, but the debugger stops on it and says how it was judged.
    assert.deepEqual(lines, [4, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(descriptions, [
      'row product:1 exists before the run',
      'node1 has the new value',
      'node1 has the new value',
      'node1 has the new value',
      'hit in node1',
      'node1 crashed: cache emptied; 3 acknowledged writes in its queue never reached the database: they are lost',
      'expect metric lostWrites == 3: judged on the final metrics when the run ends: holds: metric lostWrites is 3 (== 3)',
    ]);
    const ended = dc.waitForEvent('terminated');
    await dc.nextRequest(THREAD);
    await ended;
  });

  it('stepIn moves hop by hop', async () => {
    await launch(throughFile);
    const hops: string[] = [];
    for (let i = 0; i < 6; i++) {
      const stop = await stepIn();
      const p = await position();
      assert.equal(p.index, i);
      assert.equal(stop.body.description, p.step?.note);
      hops.push(`${p.line} ${p.step?.from}->${p.step?.to} ${p.step?.action}`);
    }
    assert.deepEqual(hops, ['2 db->db db.write', '3 app->node1 cache.set', '3 app->db db.write', '3 db->app ack', '4 app->node1 cache.get', '4 node1->app ack']);
  });

  it('stepOut ends at the ack of the current operation', async () => {
    await launch(throughFile);
    await stepIn();
    await stepIn();
    assert.equal((await position()).step?.action, 'cache.set');
    const stop = await stepOut();
    const p = await position();
    assert.equal(p.step?.action, 'ack');
    assert.equal(p.line, 3);
    assert.equal(stop.body.description, 'acknowledged after both the cache and the database confirmed');
    const frames = (await dc.stackTraceRequest(THREAD)).body.stackFrames.map((f) => [f.name, f.line]);
    assert.deepEqual(frames, [
      ['db -> app ack product:1 @ 11ms', 3],
      ['write product:1 {"price":12} (app)', 3],
      ['client app', 3],
    ]);
  });

  it('a line breakpoint stops at the crash line', async () => {
    await dc.hitBreakpoint({ program: crashFile, stopOnEntry: false }, { path: crashFile, line: 10, verified: true }, { path: crashFile, line: 10 });
    assert.equal((await position()).step?.action, 'crash');
  });

  it('a conditional breakpoint lostWrites > 0 stops at the crash; the lost writes show, and were pending one step back', async () => {
    const stop = await launch(crashFile, { stopOnEntry: false, breakpoints: [{ line: 10, condition: 'lostWrites > 0' }] });
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal(stop.body.hitBreakpointIds?.length, 1);
    assert.equal(await topLine(), 10);
    assert.match(stop.body.text ?? '', /condition "lostWrites > 0" holds/);

    const after = await allVariables();
    assert.equal(find(after.Metrics, 'lostWrites').value, '3');
    // The queue's summary row: lost and pending first, so a narrow Variables view still shows them.
    assert.equal(find(after['Write-behind queue'], 'node1').value, '3 lost, 0 pending, 0 dead letters');
    assert.equal(find(after['Write-behind queue'], 'node1', 'pending').value, '0 entries');
    const lost = find(after['Write-behind queue'], 'node1', 'lost');
    assert.equal(lost.value, '3 writes');
    assert.deepEqual(lost.children?.map((c) => `${c.name} = ${c.value}`), [
      '[0] product:1 = {"price":12} · writes [2] · lost at 4ms',
      '[1] product:2 = {"price":20} · writes [3] · lost at 4ms',
      '[2] product:3 = {"price":30} · writes [4] · lost at 4ms',
    ]);
    assert.equal(await evaluate('metric lostWrites'), '3');

    await stepBack();
    assert.equal(await topLine(), 9);
    const before = await allVariables();
    assert.equal(find(before.Metrics, 'lostWrites').value, '0');
    assert.equal(find(before['Write-behind queue'], 'node1').value, '0 lost, 3 pending, 0 dead letters');
    const pending = find(before['Write-behind queue'], 'node1', 'pending');
    assert.deepEqual(pending.children?.map((c) => `${c.name} = ${c.value}`), [
      '[0] product:1 = {"price":12} · writes [2] · age 3ms',
      '[1] product:2 = {"price":20} · writes [3] · age 2ms',
      '[2] product:3 = {"price":30} · writes [4] · age 1ms',
    ]);
    assert.equal(find(before['Write-behind queue'], 'node1', 'lost').value, '0 writes');
    assert.equal(await evaluate('metric lostWrites'), '0');
  });

  it('stepBack restores exactly the earlier variables of every scope', async () => {
    await launch(crashFile);
    await next();
    await next();
    await stepIn(); // line 6: the write is queued
    const before = await allVariables();
    await stepIn();
    const moved = await allVariables();
    assert.notDeepEqual(moved, before);
    const stop = await stepBack();
    assert.equal(stop.body.reason, 'step');
    assert.deepEqual(await allVariables(), before);
    await stepBack();
    await stepIn();
    assert.deepEqual(await allVariables(), before);
  });

  it('reverseContinue stops at the previous breakpoint, then at entry', async () => {
    const first = await launch(crashFile, { stopOnEntry: false, breakpoints: [{ line: 6 }, { line: 8 }] });
    assert.equal(first.body.reason, 'breakpoint');
    assert.equal(await topLine(), 6);
    await cont();
    assert.equal(await topLine(), 8);
    const back = await reverse();
    assert.equal(back.body.reason, 'breakpoint');
    assert.equal(await topLine(), 6);
    assert.equal((await position()).index, 1);
    const entry = await reverse();
    assert.equal(entry.body.reason, 'entry');
    assert.equal(await topLine(), 2);
  });

  it('evaluates db, cache, metric, queue and time, and explains a bad expression', async () => {
    await launch(crashFile, { stopOnEntry: false, breakpoints: [{ line: 9 }] });
    assert.equal(await evaluate('db product:1'), '{"price":10} (v1, row version 1)');
    assert.equal(await evaluate('cache product:1'), '{"price":12} (v2)');
    assert.equal(await evaluate('metric lostWrites'), '0');
    assert.equal(await evaluate('metric acknowledgedWrites'), '3');
    assert.equal(await evaluate('time'), '4ms (virtual)');
    assert.match(await evaluate('queue'), /^3 pending: node1 product:1 \{"price":12\} \[2\]/);
    const hover = await dc.evaluateRequest({ expression: 'product:2', context: 'hover' });
    assert.equal(hover.body.result, 'db missing · node1 {"price":20} (v3) · node1/queue 1 pending');
    await assert.rejects(dc.evaluateRequest({ expression: 'db', context: 'repl' }), /expected a key after db, e\.g\. db product:1[\s\S]*cache KEY \[via nodeN\]/);
    await assert.rejects(dc.evaluateRequest({ expression: 'lostWrite', context: 'repl' }), /unknown name "lostWrite"; did you mean lostWrites\?/);
  });

  it('inline values follow the current step', async () => {
    await launch(crashFile, { stopOnEntry: false, breakpoints: [{ line: 9 }] });
    const body = (await dc.customRequest('cacheScenario/inlineValues')).body as { values: { line: number; text: string }[] };
    assert.deepEqual(body.values, [
      { line: 6, text: 'acknowledged · pending in node1/queue' },
      { line: 7, text: 'acknowledged · pending in node1/queue' },
      { line: 8, text: 'acknowledged · pending in node1/queue' },
      { line: 9, text: 'reading…' },
    ]);
  });

  it('a broken scenario fails the launch with file:line:col: message', async () => {
    await assert.rejects(dc.launch({ program: brokenFile }), (e: Error) => {
      // The tail is V8's JSON.parse message, which differs between Node versions.
      assert.ok(e.message.startsWith(`${brokenFile}:2:17: expected a JSON value like 12, "alice" or {"price": 12}: Expected ',' or '}'`), e.message);
      return true;
    });
  });

  it('a missing program fails the launch with a clear message', async () => {
    await assert.rejects(dc.launch({}), /needs "program": the path of the \.cachescenario file/);
    await dc.stop();
    dc = new DebugClient('node', adapter, 'cachescenario');
    await dc.start();
    await assert.rejects(dc.launch({ program: join(dir, 'nope.cachescenario') }), /nope\.cachescenario:1:1: cannot read the scenario \(ENOENT/);
  });

  it('a bad breakpoint condition is reported unverified, with the reason in the output', async () => {
    await launch(crashFile);
    const output = dc.assertOutput('stderr', 'breakpoint on line 10: bad condition "lostWrites >"');
    const r = await dc.setBreakpointsRequest({ source: { path: crashFile }, breakpoints: [{ line: 10, condition: 'lostWrites >' }, { line: 9 }] });
    const [bad, good] = r.body.breakpoints;
    assert.equal(bad?.verified, false);
    assert.match(bad?.message ?? '', /^bad condition "lostWrites >": the expression ends too early: a value is missing\. Conditions compare metrics and state/);
    assert.equal(good?.verified, true);
    assert.equal(good?.line, 9);
    await output;
    // The bad breakpoint never stops the run: continue reaches line 9, then the end.
    await cont();
    assert.equal(await topLine(), 9);
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest(THREAD);
    await ended;
  });
});
