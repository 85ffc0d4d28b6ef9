// The `cachescenario` debug adapter over real DAP: a standalone adapter process, built from source in before(), driven
// by @vscode/debugadapter-testsupport's DebugClient through launch, stepping both ways, breakpoints, variables, evaluate.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ScenarioPosition } from '../../src/debug/runtime';
import { buildAdapter } from './buildAdapter';
import { CONCURRENT, CRASH, KEYWORD_KEYS, THROUGH, TTL_RETRY } from './scenarios';

const THREAD = { threadId: 1 };

const BROKEN = ['strategy write-behind', 'write product:1 {"price": 12', 'read product:1'].join('\n');

let dir: string;
let adapter: string;
let crashFile: string;
let throughFile: string;
let brokenFile: string;
let concurrentFile: string;
let keywordsFile: string;
let ttlFile: string;
let dc: DebugClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cache-workbench-dap-'));
  adapter = await buildAdapter(dir);
  crashFile = join(dir, 'crash.cachescenario');
  throughFile = join(dir, 'through.cachescenario');
  brokenFile = join(dir, 'broken.cachescenario');
  writeFileSync(crashFile, CRASH);
  writeFileSync(throughFile, THROUGH);
  writeFileSync(brokenFile, BROKEN);
  concurrentFile = join(dir, 'concurrent.cachescenario');
  keywordsFile = join(dir, 'keywords.cachescenario');
  writeFileSync(concurrentFile, CONCURRENT);
  writeFileSync(keywordsFile, KEYWORD_KEYS);
  ttlFile = join(dir, 'ttl.cachescenario');
  writeFileSync(ttlFile, TTL_RETRY);
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
async function launch(program: string, options: { stopOnEntry?: boolean; breakpoints?: DebugProtocol.SourceBreakpoint[]; exceptionFilters?: string[] } = {}): Promise<Stopped> {
  const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
  const configured = dc.waitForEvent('initialized').then(async () => {
    if (options.breakpoints) await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: options.breakpoints });
    if (options.exceptionFilters) await dc.setExceptionBreakpointsRequest({ filters: options.exceptionFilters });
    await dc.configurationDoneRequest();
  });
  await Promise.all([configured, dc.launch({ program, stopOnEntry: options.stopOnEntry ?? true })]);
  return stopped;
}

/** Every event of one kind the adapter sends from now on (DebugClient's waitForEvent sees only the next one). */
function collect<T extends DebugProtocol.Event>(event: string): T[] {
  const seen: T[] = [];
  dc.on(event, (e: T) => seen.push(e));
  return seen;
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
    assert.deepEqual(vars.Database, [{ name: '(status)', value: 'up' }]);
  });

  it('variables carry the expression that reads them (Add to Watch, Copy as Expression), and evaluate agrees', async () => {
    await launch(crashFile);
    for (let i = 0; i < 3; i++) await next();
    const frameId = (await dc.stackTraceRequest(THREAD)).body.stackFrames[0]?.id ?? 0;
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    const scope = async (name: string) => (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === name)?.variablesReference ?? 0 })).body.variables;
    const rows = (await scope('Database')).filter((v) => v.evaluateName !== undefined);
    assert.ok(rows.length > 0);
    for (const v of rows) {
      assert.equal(v.evaluateName, `db ${v.name}`);
      assert.equal(await evaluate(v.evaluateName as string), v.value);
    }
    const lost = (await scope('Metrics')).find((v) => v.name === 'lostWrites');
    assert.equal(lost?.evaluateName, 'metric lostWrites');
    assert.equal(await evaluate('metric lostWrites'), lost?.value);
    // The database's status line has no expression of its own.
    assert.equal((await scope('Database')).find((v) => v.name === '(status)')?.evaluateName, undefined);
  });

  it('next moves statement by statement, then stops at the end of the trace', async () => {
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
    const end = await next();
    assert.equal(end.body.reason, 'step');
    assert.equal(end.body.description, 'end of the trace: 16 steps; line 11 holds: metric lostWrites is 3 (== 3)');
    assert.equal((await position()).index, 17);
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
    assert.equal(await evaluate('db product:1'), '{"price":10} (write #1, row version 1)');
    assert.equal(await evaluate('cache product:1'), '{"price":12} (write #2)');
    assert.equal(await evaluate('metric lostWrites'), '0');
    assert.equal(await evaluate('metric acknowledgedWrites'), '3');
    assert.equal(await evaluate('time'), '4ms (virtual)');
    assert.match(await evaluate('queue'), /^3 pending: node1 product:1 \{"price":12\} \[2\]/);
    const hover = await dc.evaluateRequest({ expression: 'product:2', context: 'hover' });
    assert.equal(hover.body.result, 'db missing · node1 {"price":20} (write #3) · node1/queue 1 pending');
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
    const end = await cont();
    assert.match(end.body.description ?? '', /^end of the trace: /);
  });
});

describe('what the stepping issue names, over DAP', () => {
  it('a conditional breakpoint on queue.length >= 3 stops where the third write is queued; Step Into reaches its ack, whose stop says the database does not have it yet', async () => {
    const stop = await launch(crashFile, { stopOnEntry: false, breakpoints: [{ line: 8, condition: 'queue.length >= 3' }, { line: 10 }] });
    assert.equal(stop.body.reason, 'breakpoint');
    assert.match(stop.body.text ?? '', /condition "queue\.length >= 3" holds/);
    // Line 8's first step (the cache write) has only two entries queued: the breakpoint waits for the enqueue.
    const at = await position();
    assert.deepEqual([at.line, at.step?.action, at.step?.key], [8, 'queue.enqueue', 'product:3']);
    assert.equal(await evaluate('queue.length >= 3'), 'true');
    assert.equal(find((await allVariables())['Write-behind queue'], 'node1').value, '0 lost, 3 pending, 0 dead letters');
    const ack = await stepIn();
    assert.equal((await position()).step?.action, 'ack');
    assert.equal(ack.body.description, 'acknowledged before the database has it: the write is only in the cache and its queue');
    assert.equal(await evaluate('db product:3'), 'missing');
    // Past it to the crash, then back: Reverse Continue stops at the conditional breakpoint again.
    await cont();
    assert.equal(await topLine(), 10);
    const back = await reverse();
    assert.equal(back.body.reason, 'breakpoint');
    assert.deepEqual([(await position()).index, await topLine()], [at.index, 8]);
  });

  it('the Cache scope lists each node\'s entries most recently used first, with the TTL left; the queue shows each entry\'s retries', async () => {
    // Line 7 reads a, written before b: a becomes the most recently used entry though its TTL runs out first.
    await launch(ttlFile, { stopOnEntry: false, breakpoints: [{ line: 7, condition: 'reads == 1' }, { line: 9, condition: 'retries >= 1' }] });
    let vars = await allVariables();
    assert.equal(find(vars.Clock, 'time').value, '3ms');
    assert.equal(find(vars.Cache, 'node1').value, 'up, 2 entries (most recently used first)');
    assert.deepEqual(find(vars.Cache, 'node1').children?.map((c) => `${c.name} = ${c.value}`), ['a = 1 (write #1, 9998ms left)', 'b = 2 (write #2, 9999ms left)']);
    assert.equal(find(vars.Cache, 'node1', 'a', 'ttlLeft').value, '9998ms');
    assert.equal(await evaluate('cache a via node1'), '1 (write #1, 9998ms left)');

    // The flush at 60 s fails; both entries go back to the queue with one retry each.
    const retry = await cont();
    assert.equal(retry.body.reason, 'breakpoint');
    assert.equal((await position()).step?.action, 'queue.retry');
    vars = await allVariables();
    const pending = find(vars['Write-behind queue'], 'node1', 'pending');
    assert.deepEqual(pending.children?.map((c) => `${c.name} = ${c.value}`), ['[0] a = 1 · writes [1] · age 60009ms · 1 retry · due in 1s', '[1] b = 2 · writes [2] · age 60008ms · 1 retry · due in 1s']);
    assert.equal(find(vars['Write-behind queue'], 'node1', 'pending', '[0] a', 'retries').value, '1');
    assert.equal(find(vars['Write-behind queue'], 'node1', 'pending', '[0] a', 'dueIn').value, '1s', 'the retry waits 1 s');
    // Expired by now: the TTL ran out at 10 s.
    assert.equal(find(vars.Cache, 'node1').value, 'up, 0 entries');
  });
});

describe('logpoints and hit counts', () => {
  it('are announced, with terminate; the capabilities are exactly what the debugger does', async () => {
    const r = await dc.initializeRequest();
    const on = Object.entries(r.body ?? {}).filter(([, v]) => v === true).map(([k]) => k).sort();
    assert.deepEqual(on, [
      'supportsBreakpointLocationsRequest',
      'supportsConditionalBreakpoints',
      'supportsConfigurationDoneRequest',
      'supportsDataBreakpoints',
      'supportsEvaluateForHovers',
      'supportsExceptionFilterOptions',
      'supportsExceptionInfoRequest',
      'supportsGotoTargetsRequest',
      'supportsHitConditionalBreakpoints',
      'supportsLogPoints',
      'supportsStepBack',
      'supportsTerminateRequest',
    ]);
  });

  it('a logpoint writes a console output at its line, {expressions} filled in, and never stops; a hit count stops at the k-th visit', async () => {
    const outputs = collect<DebugProtocol.OutputEvent>('output');
    const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
    let states: DebugProtocol.Breakpoint[] = [];
    const configured = dc.waitForEvent('initialized').then(async () => {
      const r = await dc.setBreakpointsRequest({
        source: { path: concurrentFile },
        breakpoints: [{ line: 2, logMessage: 'a is {db a}; {nope}' }, { line: 2, hitCondition: '2' }, { line: 3, hitCondition: 'twice' }, { line: 4, hitCondition: '3' }],
      });
      states = r.body.breakpoints;
      await dc.configurationDoneRequest();
    });
    await Promise.all([configured, dc.launch({ program: concurrentFile, stopOnEntry: false })]);
    const stop = await stopped;
    assert.deepEqual(states.map((b) => [b.line, b.verified]), [[2, true], [2, true], [3, false], [4, false]]);
    // Short messages: the Breakpoints view cuts long ones off.
    assert.equal(states[2]?.message, 'bad hit count "twice": use 3 (the third hit), >= 3, > 3, < 3, <= 3 or % 3 (every third)');
    assert.equal(states[3]?.message, 'line 4 runs twice in this scenario: hit count 3 never fires');
    // The second visit to line 2 (position 6, at 11 ms), not the first (position 1).
    assert.equal(stop.body.reason, 'breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [states[1]?.id]);
    assert.equal((await position()).index, 6);
    const logs = outputs.filter((o) => o.body.line === 2);
    assert.deepEqual(logs.map((o) => [o.body.category, o.body.output, o.body.source?.path]), [
      ['stdout', 'a is missing; {nope: column 1: unknown name "nope"}\n', concurrentFile],
      ['stdout', 'a is 1 (write #1, row version 1); {nope: column 1: unknown name "nope"}\n', concurrentFile],
    ]);
    // Back from the end: the same visit is still the second.
    const end = await cont();
    assert.match(end.body.description ?? '', /^end of the trace/);
    const back = await reverse();
    assert.equal(back.body.reason, 'breakpoint');
    assert.equal((await position()).index, 6);
    assert.equal(outputs.filter((o) => o.body.line === 2).length, 2, 'going back writes no log line');
  });
});

describe('the end of the trace', () => {
  it('F5 without breakpoints stops there, with the verdicts; the session stays, F5 stays there, Step Back goes back', async () => {
    const outputs = collect<DebugProtocol.OutputEvent>('output');
    const terminated = collect<DebugProtocol.TerminatedEvent>('terminated');
    const end = await launch(crashFile, { stopOnEntry: false });
    assert.equal(end.body.reason, 'step');
    assert.equal(end.body.description, 'end of the trace: 16 steps; line 11 holds: metric lostWrites is 3 (== 3)');
    assert.ok(outputs.some((o) => o.body.output === 'ok   line 11: metric lostWrites is 3 (== 3)\n'));
    const frames = (await dc.stackTraceRequest(THREAD)).body.stackFrames.map((f) => [f.name, f.line]);
    assert.deepEqual(frames, [['end of the trace: write-behind, 16 steps, 1 of 1 expectation held', 11]]);
    const p = await position();
    assert.deepEqual([p.index, p.total, p.line, p.time, p.step?.action], [17, 17, 11, 4, 'expect']);
    const clock = (await allVariables()).Clock;
    assert.equal(find(clock, 'stop').value, 'end of the trace, after all 17 stops (16 trace steps + 1 advance/expect line)');
    assert.equal(await evaluate('metric lostWrites'), '3');

    const again = await cont();
    assert.equal(again.body.reason, 'step');
    assert.equal((await position()).index, 17);
    await next();
    assert.equal(outputs.filter((o) => o.body.output.startsWith('The trace is over')).length, 2);
    const back = await stepBack();
    assert.equal(back.body.reason, 'step');
    assert.equal((await position()).index, 16);
    assert.equal(await topLine(), 11);
    const reversed = await reverse();
    assert.equal(reversed.body.reason, 'entry');
    assert.equal(terminated.length, 0, 'the session never ends by itself');
  });

  it('pause stops again where the debugger is, with reason pause', async () => {
    await launch(crashFile);
    await next();
    const paused = await move((a) => dc.pauseRequest(a));
    assert.equal(paused.body.reason, 'pause');
    assert.equal((await position()).index, 0);
  });
});

describe('hovering a key', () => {
  it('evaluates `key NAME`: the key, even when it reads as a number, the clock or a metric', async () => {
    await launch(keywordsFile, { stopOnEntry: false });
    const hover = async (expression: string): Promise<string> => (await dc.evaluateRequest({ expression, context: 'hover' })).body.result;
    assert.equal(await hover('key 42'), 'db {"a":1} (write #1) · node1 {"a":1} (write #1)');
    assert.equal(await hover('key time'), 'db 7 (write #2) · node1 7 (write #2)');
    assert.equal(await hover('key reads'), 'db 3 (write #3) · node1 3 (write #3)');
    // An error stays where it was asked: no notification.
    const bad = await dc.evaluateRequest({ expression: 'key', context: 'hover' }).catch((e: unknown) => e);
    assert.ok(bad instanceof Error);
    assert.match(bad.message, /expected a key after key/);
    // A hover or a Watch row gets one line, saying where the list of expressions is; the Debug Console gets the list.
    for (const context of ['hover', 'watch', 'clipboard']) {
      const short = await dc.evaluateRequest({ expression: 'lostWrite', context }).catch((e: unknown) => e);
      assert.ok(short instanceof Error);
      assert.equal(short.message, 'column 1: unknown name "lostWrite"; did you mean lostWrites? (help in the Debug Console lists the expressions)', context);
    }
    const full = await dc.evaluateRequest({ expression: 'lostWrite', context: 'repl' }).catch((e: unknown) => e);
    assert.ok(full instanceof Error);
    assert.match(full.message, /did you mean lostWrites\?\nExpressions the Debug Console understands:/);
  });
});

describe('run without debugging', () => {
  it('noDebug runs to the end, writes the verdicts and the summary, and ends the session without stopping', async () => {
    const outputs = collect<DebugProtocol.OutputEvent>('output');
    const stops = collect<Stopped>('stopped');
    const terminated = dc.waitForEvent('terminated');
    const configured = dc.waitForEvent('initialized').then(async () => {
      await dc.setBreakpointsRequest({ source: { path: crashFile }, breakpoints: [{ line: 6 }] });
      await dc.configurationDoneRequest();
    });
    await Promise.all([configured, dc.launch({ program: crashFile, noDebug: true })]);
    await terminated;
    assert.equal(stops.length, 0);
    const text = outputs.map((o) => o.body.output).join('');
    assert.match(text, /Ran 16 steps of a write-behind run \(4ms of virtual time\) without debugging\./);
    assert.match(text, /ok {3}line 11: metric lostWrites is 3 \(== 3\)\n/);
    assert.match(text, /Scenario finished: 1 of 1 expectation held; 3 writes acknowledged, 3 lost/);
    await assert.rejects(dc.nextRequest(THREAD), /next: the debug session has ended/);
  });
});

describe('requests the debugger does not support, and the session ending', () => {
  it('each unsupported request is refused, saying so; attach says to use launch', async () => {
    await launch(crashFile);
    const cases: [string, unknown][] = [
      ['restart', { arguments: { program: crashFile } }],
      ['stepInTargets', { frameId: 1 }],
      ['setVariable', { variablesReference: 1, name: 'time', value: '5' }],
      ['setExpression', { expression: 'time', value: '5' }],
      ['completions', { text: 'db', column: 3 }],
      ['source', { sourceReference: 1 }],
      ['loadedSources', {}],
      ['setFunctionBreakpoints', { breakpoints: [{ name: 'f' }] }],
      ['restartFrame', { frameId: 1 }],
    ];
    for (const [command, args] of cases) {
      await assert.rejects(dc.send(command, args), new RegExp(`^Error: ${command} is not supported by the scenario debugger: `), command);
    }
    await assert.rejects(dc.send('attach', { program: crashFile }), /attach is not supported by the scenario debugger: .*use "request": "launch"/);
    // The session goes on.
    assert.equal((await next()).body.reason, 'step');
  });

  it('terminate ends the session: terminated, then every move is refused', async () => {
    await launch(crashFile);
    const ended = dc.waitForEvent('terminated');
    await dc.terminateRequest({});
    await ended;
    for (const request of [() => dc.nextRequest(THREAD), () => dc.stepBackRequest(THREAD), () => dc.continueRequest(THREAD), () => dc.pauseRequest(THREAD)]) {
      await assert.rejects(request(), /: the debug session has ended/);
    }
    // Jump to Cursor and the workbench's Move the debugger here are moves too.
    await assert.rejects(dc.send('goto', { ...THREAD, targetId: 1 }), /^Error: goto: the debug session has ended/);
    await assert.rejects(dc.customRequest('cacheScenario/jumpToStep', { seq: 1 }), /^Error: cacheScenario\/jumpToStep: the debug session has ended/);
  });

  it('a thread other than 1 is refused', async () => {
    await launch(crashFile);
    await assert.rejects(dc.nextRequest({ threadId: 2 }), /^Error: next: "threadId" must be 1, the scenario's only thread; got 2$/);
    await assert.rejects(dc.stackTraceRequest({ threadId: 7 }), /stackTrace: "threadId" must be 1/);
    assert.equal((await position()).index, -1, 'nothing moved');
  });

  it('a second launch in the same session is refused; the first scenario stays', async () => {
    await launch(crashFile);
    await assert.rejects(dc.launchRequest({ program: throughFile } as DebugProtocol.LaunchRequestArguments), /already steps through .*crash\.cachescenario; a session debugs one scenario/);
    assert.equal((await position()).total, 17);
  });

  it('refuses a negative seed, as package.json does (minimum 0)', async () => {
    await assert.rejects(dc.launch({ program: crashFile, seed: -5 }), /"seed" must be a whole number from 0, got -5/);
  });

  it('refuses a launch before initialize, which says how lines count; after it the launch goes', async () => {
    await assert.rejects(dc.launchRequest({ program: crashFile } as DebugProtocol.LaunchRequestArguments), /^Error: launch: the session is not initialized yet: a client sends initialize first/);
    await dc.initializeRequest({ adapterID: 'cachescenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const stopped = dc.waitForEvent('stopped');
    const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
    await Promise.all([configured, dc.launchRequest({ program: crashFile, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments)]);
    assert.equal((await stopped).body.reason, 'entry');
  });

  it('refuses initialize without arguments, saying what was expected (not a TypeError)', async () => {
    await assert.rejects(dc.send('initialize', null), /^Error: initialize: the arguments must be an object, such as/);
    // A client that leaves out pathFormat gets the protocol's default, "path".
    const r = await dc.send('initialize', { adapterID: 'cachescenario' });
    assert.equal(r.success, true);
  });

  it('a breakpoint on line 0 is unverified, saying lines count from 1', async () => {
    await launch(crashFile);
    const r = await dc.setBreakpointsRequest({ source: { path: crashFile }, breakpoints: [{ line: 0 }, { line: 6 }] });
    assert.deepEqual(r.body.breakpoints.map((b) => [b.line, b.verified, b.message]), [
      [0, false, 'line 0 is not a line of the file: lines count from 1'],
      [6, true, undefined],
    ]);
  });
});

describe('the standalone adapter process', () => {
  it('a frame it cannot parse is written to stderr and skipped; the session answers the next request', async () => {
    const p = spawn(process.execPath, [adapter], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => p.on('exit', (code) => done(code)));
    const frame = (o: unknown): string => {
      const json = JSON.stringify(o);
      return `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
    };
    p.stdin.write('Content-Length: 5\r\n\r\n{bad}');
    p.stdin.write(frame({ seq: 1, type: 'request', command: 'threads' }));
    const answered = await Promise.race([
      (async () => {
        while (!stdout.includes('"command":"threads"')) await new Promise((r) => setTimeout(r, 20));
        return true;
      })(),
      exited.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
    ]);
    assert.equal(answered, true, `no answer; stderr: ${stderr}`);
    assert.match(stderr, /cachescenario debug adapter: skipped a message it could not read \(Error handling data: .*\); the session goes on/);
    assert.equal(p.exitCode, null, 'still running');
    p.stdin.end();
    assert.equal(await exited, 0);
  });
});

describe('conformance: responses and events as the protocol defines them', () => {
  it('continue answers with the body the protocol requires (allThreadsContinued)', async () => {
    await launch(crashFile);
    const stopped = dc.waitForEvent('stopped');
    const r = await dc.continueRequest(THREAD);
    await stopped;
    assert.deepEqual(r.body, { allThreadsContinued: true });
  });

  it('a breakpoint set in another file before launch keeps naming that file when launch re-checks it', async () => {
    const other = join(dir, 'other.cachescenario');
    writeFileSync(other, THROUGH);
    const changed = collect<DebugProtocol.BreakpointEvent>('breakpoint');
    await dc.initializeRequest();
    const set = await dc.setBreakpointsRequest({ source: { path: other }, breakpoints: [{ line: 3 }] });
    const id = set.body.breakpoints[0]?.id;
    const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
    await Promise.all([configured, dc.launchRequest({ program: crashFile, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments), dc.waitForEvent('stopped')]);
    const mine = changed.filter((e) => e.body.breakpoint.id === id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.body.breakpoint.verified, false);
    assert.equal(mine[0]?.body.breakpoint.source?.path, other);
    assert.equal(mine[0]?.body.breakpoint.message, `only ${crashFile} is being debugged`);
  });

  it('the Debug Console line about a bad breakpoint in another file links to that file, not to the scenario', async () => {
    const other = join(dir, 'other.cachescenario');
    writeFileSync(other, THROUGH);
    await launch(crashFile);
    const outputs = collect<DebugProtocol.OutputEvent>('output');
    await dc.setBreakpointsRequest({ source: { path: other }, breakpoints: [{ line: 3, condition: 'lostWrites >' }, { line: 4, hitCondition: 'twice' }] });
    const about = outputs.filter((o) => o.body.output.startsWith('breakpoint on line '));
    assert.deepEqual(about.map((o) => [o.body.output.slice(0, 40), o.body.source?.path, o.body.line]), [
      ['breakpoint on line 3: bad condition "los', other, 3],
      ['breakpoint on line 4: bad hit count "twi', other, 4],
    ]);
  });

  it('a request that needs a scenario, sent before launch, is refused naming itself and what it needs first', async () => {
    await dc.initializeRequest();
    const cases: [string, unknown][] = [
      ['stackTrace', THREAD],
      ['scopes', { frameId: 1 }],
      ['variables', { variablesReference: 1 }],
      ['evaluate', { expression: 'time' }],
      ['next', THREAD],
      ['stepBack', THREAD],
      ['cacheScenario/position', {}],
    ];
    for (const [command, args] of cases) {
      await assert.rejects(dc.send(command, args), new RegExp(`^Error: ${command}: no scenario is loaded yet; it needs a launch request first, with "program" set to the \\.cachescenario file$`), command);
    }
  });

  it('a client asking for URI paths hears which field must be what, and what it sent', async () => {
    await assert.rejects(dc.send('initialize', { adapterID: 'cachescenario', pathFormat: 'uri' }), /^Error: initialize: "pathFormat" must be "path": the scenario debugger reads and reports file paths, not URIs; got "uri"$/);
    // The session goes on: a proper initialize and launch work.
    await launch(crashFile, { stopOnEntry: false, breakpoints: [{ line: 10 }] });
    assert.equal(await topLine(), 10);
  });

  it('an unknown request is refused, naming it', async () => {
    await assert.rejects(dc.send('fooBar', {}), /^Error: "fooBar" is not a request the scenario debugger knows: it answers the protocol's requests its capabilities name/);
    await launch(crashFile);
    await assert.rejects(dc.send('cacheScenario/nope', {}), /^Error: "cacheScenario\/nope" is not a request the scenario debugger knows: .*its own cacheScenario\/position, cacheScenario\/inlineValues and cacheScenario\/jumpToStep$/);
  });

  it('scopes needs a frame of the current stack, and says which frames there are', async () => {
    await launch(crashFile);
    await assert.rejects(dc.send('scopes', {}), /^Error: scopes: "frameId" must be a whole number from 1, got nothing$/);
    await assert.rejects(dc.scopesRequest({ frameId: 2 }), /^Error: scopes: there is no frame 2: the call stack has 1 frame \(id 1\); ask stackTrace again after each stop$/);
    await next();
    await assert.rejects(dc.scopesRequest({ frameId: 999 }), /^Error: scopes: there is no frame 999: the call stack has 3 frames \(ids 1 to 3\)/);
    assert.equal((await dc.scopesRequest({ frameId: 3 })).body.scopes.length, 5);
  });

  it('variables refuses a reference it never gave out; one that went stale after a step lists nothing', async () => {
    await launch(crashFile, { stopOnEntry: false, breakpoints: [{ line: 9 }] });
    await assert.rejects(dc.variablesRequest({ variablesReference: 0 }), /^Error: variables: reference 0 means "no children"; expand a scope or a variable whose variablesReference is above 0$/);
    await assert.rejects(dc.variablesRequest({ variablesReference: 2 ** 40 }), /^Error: variables: 1099511627776 is not a variablesReference this session gave out/);
    // A queue entry's reference, still valid after the flush emptied the queue: nothing under it.
    const queue = find((await allVariables())['Write-behind queue'], 'node1', 'pending');
    assert.equal(queue.children?.length, 3);
    const scopes = await dc.scopesRequest({ frameId: 1 });
    const q = scopes.body.scopes.find((s) => s.name === 'Write-behind queue')?.variablesReference ?? 0;
    const node = (await dc.variablesRequest({ variablesReference: q })).body.variables[0]?.variablesReference ?? 0;
    const pending = (await dc.variablesRequest({ variablesReference: node })).body.variables.find((v) => v.name === 'pending')?.variablesReference ?? 0;
    const entry = (await dc.variablesRequest({ variablesReference: pending })).body.variables[0]?.variablesReference ?? 0;
    assert.ok(entry > 0);
    await cont();
    assert.deepEqual((await dc.variablesRequest({ variablesReference: entry })).body.variables, []);
  });

  it('terminate while launch waits for configurationDone answers the launch at once, refused, and starts nothing', async () => {
    const stops = collect<Stopped>('stopped');
    await dc.initializeRequest();
    const t0 = Date.now();
    const launched = dc.launchRequest({ program: crashFile } as DebugProtocol.LaunchRequestArguments).then(
      () => 'answered: success',
      (e: Error) => `answered: ${e.message}`,
    );
    await dc.waitForEvent('initialized');
    await dc.terminateRequest({});
    const answer = await Promise.race([launched, new Promise<string>((r) => setTimeout(() => r('no answer within 2 s'), 2000))]);
    assert.equal(answer, 'answered: launch: the session ended before configurationDone; nothing was started');
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(stops.length, 0);
  });

  it('a program that is not text, or is blank, is refused saying what it got', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ program: 42 } as unknown as DebugProtocol.LaunchRequestArguments), /^Error: "program" must be the path of the \.cachescenario file to step through, as text; got 42$/);
    await assert.rejects(dc.launchRequest({ program: ['a.cachescenario'] } as unknown as DebugProtocol.LaunchRequestArguments), /as text; got \["a\.cachescenario"\]$/);
    await assert.rejects(dc.launchRequest({ program: '  ' } as unknown as DebugProtocol.LaunchRequestArguments), /^Error: the launch configuration needs "program": the path of the \.cachescenario file to step through; got " {2}"$/);
  });

  it('an unknown launch attribute is named in the Debug Console, with the likely one meant; what VS Code adds is not', async () => {
    const outputs = collect<DebugProtocol.OutputEvent>('output');
    const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
    const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
    const args = { type: 'cachescenario', request: 'launch', name: 'Step', __sessionId: 'x', __configurationTarget: 5, internalConsoleOptions: 'openOnSessionStart', program: crashFile, stopOnentry: false, sed: 3 };
    await Promise.all([configured, dc.launch(args)]);
    assert.equal((await stopped).body.reason, 'entry', 'the misspelt stopOnentry is ignored');
    const warnings = outputs.filter((o) => o.body.output.startsWith('launch: ')).map((o) => [o.body.category, o.body.output]);
    assert.deepEqual(warnings, [
      ['stderr', 'launch: "stopOnentry" is not a launch attribute of the scenario debugger and is ignored; did you mean "stopOnEntry"? It reads "program", "stopOnEntry", "seed", "trace", "noDebug".\n'],
      ['stderr', 'launch: "sed" is not a launch attribute of the scenario debugger and is ignored; did you mean "seed"? It reads "program", "stopOnEntry", "seed", "trace", "noDebug".\n'],
    ]);
  });

  it('a scenario with several parse errors fails the launch naming each, with its line and column', async () => {
    const several = join(dir, 'several.cachescenario');
    writeFileSync(several, ['strategy write-bogus', 'write a 1', 'read', 'set cache.capacity -3'].join('\n'));
    await assert.rejects(dc.launch({ program: several }), (e: Error) => {
      assert.deepEqual(e.message.split('\n').map((l) => l.slice(0, several.length + 6)), [`${several}:1:10:`, `${several}:3:1: `, `${several}:4:20:`]);
      return true;
    });
  });

  it('a relative program that cannot be read says where it was looked for and how to name it', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ program: 'scenarios/none.cachescenario' } as DebugProtocol.LaunchRequestArguments), (e: Error) => {
      assert.match(e.message, /none\.cachescenario:1:1: cannot read the scenario \(ENOENT/);
      assert.ok(e.message.endsWith(`; "program" "scenarios/none.cachescenario" is relative, so it was looked for in ${process.cwd()}: give an absolute path, such as "\${workspaceFolder}/scenarios/none.cachescenario"`), e.message);
      return true;
    });
  });

  it('a move sent while launch waits for configurationDone is refused; the scenario then starts on entry, nothing run', async () => {
    const stops = collect<Stopped>('stopped');
    const outputs = collect<DebugProtocol.OutputEvent>('output');
    await dc.initializeRequest();
    const launched = dc.launchRequest({ program: crashFile, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
    await dc.waitForEvent('initialized');
    for (const [command, args] of [['continue', THREAD], ['next', THREAD], ['stepBack', THREAD], ['pause', THREAD], ['cacheScenario/jumpToStep', { seq: 3 }]] as const) {
      await assert.rejects(dc.send(command, args), new RegExp(`^Error: ${command}: the scenario has not started yet: it starts when the client sends configurationDone`), command);
    }
    assert.equal(stops.length, 0, 'no stop before the launch is answered');
    const entry = dc.waitForEvent('stopped') as Promise<Stopped>;
    await dc.configurationDoneRequest();
    await launched;
    assert.equal((await entry).body.reason, 'entry');
    // Nothing ran: the verdicts are written when Continue first reaches the end, not before.
    assert.ok(!outputs.some((o) => o.body.output.startsWith('Scenario finished')));
    await cont();
    assert.equal(outputs.filter((o) => o.body.output.startsWith('Scenario finished')).length, 1);
  });

  it('a second initialize is refused, and lines are still counted as the first one said', async () => {
    await dc.initializeRequest({ adapterID: 'cachescenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await assert.rejects(
      dc.send('initialize', { adapterID: 'cachescenario', linesStartAt1: false, columnsStartAt1: false, pathFormat: 'path' }),
      /^Error: initialize: this session is initialized already; the protocol allows one initialize request per session/,
    );
    const configured = dc.waitForEvent('initialized').then(async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: crashFile }, breakpoints: [{ line: 10 }] });
      assert.deepEqual(r.body.breakpoints.map((b) => [b.line, b.verified]), [[10, true]]);
      await dc.configurationDoneRequest();
    });
    const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
    await Promise.all([configured, dc.launchRequest({ program: crashFile, stopOnEntry: false } as DebugProtocol.LaunchRequestArguments)]);
    assert.equal((await stopped).body.reason, 'breakpoint');
    assert.equal(await topLine(), 10);
  });

  it('a command named like what every object inherits (constructor, toString, __proto__) is refused as unknown, naming it', async () => {
    await dc.initializeRequest();
    for (const command of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      await assert.rejects(dc.send(command, {}), new RegExp(`^Error: "${command}" is not a request the scenario debugger knows: `), command);
    }
  });

  it('Jump to Cursor for a client counting lines from 0 takes line 0, the file\'s first', async () => {
    await dc.initializeRequest({ adapterID: 'cachescenario', linesStartAt1: false, columnsStartAt1: false, pathFormat: 'path' });
    const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
    const stopped = dc.waitForEvent('stopped');
    await Promise.all([configured, dc.launchRequest({ program: crashFile, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments), stopped]);
    // Line 0 is CRASH's comment (its line 1): no step there, said as for any such line, not refused as malformed.
    await assert.rejects(dc.send('gotoTargets', { source: { path: crashFile }, line: 0 }), /^Error: Jump to Cursor: no step of the run happens on line 1 /);
    const r = await dc.gotoTargetsRequest({ source: { path: crashFile }, line: 5 });
    assert.deepEqual(r.body.targets.map((t) => t.line), [5]);
    await assert.rejects(dc.send('gotoTargets', { source: { path: crashFile }, line: -1 }), /^Error: gotoTargets: "line" must be a whole number from 0, got -1$/);
  });

  it('disconnect while launch waits for configurationDone answers the launch before the adapter process exits', async () => {
    await dc.initializeRequest();
    const launched = dc.launchRequest({ program: crashFile } as DebugProtocol.LaunchRequestArguments).then(
      () => 'answered: success',
      (e: Error) => `answered: ${e.message}`,
    );
    await dc.waitForEvent('initialized');
    await dc.disconnectRequest({});
    // The standalone process exits about 100 ms after disconnect: a launch still waiting would never be answered.
    const answer = await Promise.race([launched, new Promise<string>((r) => setTimeout(() => r('no answer within 2 s'), 2000))]);
    assert.equal(answer, 'answered: launch: the session ended before configurationDone; nothing was started');
  });
});

describe('exception filters: stopping where something goes wrong', () => {
  /** Write-behind over two nodes: a database read and node2's read are stale until node1 flushes (claim C9). */
  const STALE = [
    'strategy write-behind', // 1
    'set cache.nodes 2', // 2
    'load product:1 {"price": 10}', // 3
    'write product:1 {"price": 12} via node1', // 4
    'read-db product:1', // 5
    'read product:1 via node2', // 6
    'advance 6s', // 7
    'read product:1 via node1', // 8
    'expect metric staleReads == 1', // 9: fails, there are two
  ].join('\n');
  /** A flush fails twice while the database is down, then the write gives up to the dead-letter queue. */
  const DEAD = [
    'strategy write-behind', // 1
    'set writeBehind.retryDelay 1s', // 2
    'set writeBehind.requeueLimit 1', // 3
    'write invoice:9 "sent"', // 4
    'fail db for 20s', // 5
    'advance 30s', // 6
  ].join('\n');
  /** A write-through write the database rejects: its error, the cache's rollback, then the error its caller gets. */
  const ROLLBACK = [
    'strategy write-through', // 1
    'load product:1 {"price": 10}', // 2
    'fail db next 1 writes', // 3
    'write product:1 {"price": 12}', // 4
    'read-db product:1', // 5
  ].join('\n');
  let staleFile: string;
  let deadFile: string;
  let rollbackFile: string;
  before(() => {
    staleFile = join(dir, 'stale.cachescenario');
    deadFile = join(dir, 'dead.cachescenario');
    rollbackFile = join(dir, 'rollback.cachescenario');
    writeFileSync(staleFile, STALE);
    writeFileSync(deadFile, DEAD);
    writeFileSync(rollbackFile, ROLLBACK);
  });

  it('offers six filters, all off, and answers exceptionInfo', async () => {
    const r = await dc.initializeRequest();
    assert.deepEqual(
      r.body?.exceptionBreakpointFilters?.map((f) => [f.filter, f.label, f.default]),
      [
        ['stale', 'Stale reads', false],
        ['dirty', 'Dirty reads', false],
        ['lost', 'Lost writes', false],
        ['duplicate', 'Writes applied twice', false],
        ['error', 'Errors', false],
        ['expect', 'Failed expectations', false],
      ],
    );
    assert.equal(r.body?.supportsExceptionInfoRequest, true);
  });

  it('"lost": Continue stops once at the crash that loses the queue, as an exception naming the writes; Reverse Continue finds it again', async () => {
    const entry = await launch(crashFile, { exceptionFilters: ['lost'] });
    assert.equal(entry.body.reason, 'entry');
    const stop = await cont();
    assert.equal(stop.body.reason, 'exception');
    assert.equal(await topLine(), 10);
    assert.match(stop.body.description ?? '', /^Lost writes: node1 crashed: cache emptied; 3 acknowledged writes in its queue never reached the database/);
    const info = await dc.send('exceptionInfo', THREAD);
    assert.equal(info.body.exceptionId, 'Lost writes');
    assert.equal(info.body.breakMode, 'always');
    assert.equal(info.body.description, 'node1 crashed: cache emptied; 3 acknowledged writes in its queue never reached the database: they are lost.');
    assert.equal(info.body.details?.stackTrace ?? '', '3 acknowledged writes lost: #2, #3, #4 (product:1, product:2, product:3)');
    // The crash's lost queue entries are one anomaly: the next Continue goes to the end of the trace.
    const end = await cont();
    assert.equal(end.body.reason, 'step');
    assert.equal((await position()).index, (await position()).total);
    const back = await reverse();
    assert.equal(back.body.reason, 'exception');
    assert.equal(await topLine(), 10);
    assert.equal((await reverse()).body.reason, 'entry');
  });

  it('"stale": stops at each stale read with the value it returned and the write it missed; without the filter Continue runs to the end', async () => {
    await launch(staleFile, { exceptionFilters: ['stale'] });
    const first = await cont();
    assert.equal(first.body.reason, 'exception');
    assert.equal(await topLine(), 5);
    const info = await dc.send('exceptionInfo', THREAD);
    assert.equal(info.body.exceptionId, 'Stale read');
    assert.equal(info.body.description, 'returned a stale value: a newer write to product:1 was acknowledged before this read began.');
    // The details name the statement as written: line 5 reads the database, not the cache.
    assert.match(info.body.details?.stackTrace ?? '', /^read-db product:1 returned \{"price":10\} \(write #1\); it began at \d+ms\nwrite #2 of \{"price":12\} was acknowledged at 1ms \(line 4\)$/);
    assert.equal((await cont()).body.reason, 'exception');
    assert.equal(await topLine(), 6);
    assert.match((await dc.send('exceptionInfo', THREAD)).body.details?.stackTrace ?? '', /^read product:1 via node2 returned \{"price":10\} \(write #1\); /);
    // Node1's own read after the flush is fresh: the next stop is the end of the trace.
    assert.equal((await cont()).body.reason, 'step');
    // Filters off: nothing stops Continue any more, going back either.
    assert.equal((await dc.setExceptionBreakpointsRequest({ filters: [] })).success, true);
    assert.equal((await reverse()).body.reason, 'entry');
    assert.equal((await cont()).body.reason, 'step');
  });

  it('"expect" stops at the expectation that fails; stepping onto an anomaly with its filter on stops as an exception too', async () => {
    await launch(staleFile, { exceptionFilters: ['expect'] });
    const stop = await cont();
    assert.equal(stop.body.reason, 'exception');
    assert.equal(await topLine(), 9);
    const info = await dc.send('exceptionInfo', THREAD);
    assert.equal(info.body.exceptionId, 'Expectation failed');
    // The verdict is said once, in the description; the widget's details do not repeat it (found by a review).
    assert.match(info.body.description ?? '', /FAILS: expected metric staleReads == 1, got 2\.?$/);
    assert.equal(info.body.details?.stackTrace ?? '', '');
    await dc.setExceptionBreakpointsRequest({ filters: ['stale'] });
    await reverse();
    await reverse();
    assert.equal(await topLine(), 5);
    // One hop back from the stale read's ack, then Step Into lands on it again.
    assert.equal((await stepBack()).body.reason, 'step');
    assert.equal((await stepIn()).body.reason, 'exception');
  });

  it('"error" stops at each failed flush, not at the fault the scenario injects; "lost" at the dead letter', async () => {
    await launch(deadFile, { exceptionFilters: ['error', 'lost'] });
    const stops: [string, string][] = [];
    for (let k = 0; k < 6; k++) {
      const s = await cont();
      if (s.body.reason !== 'exception') break;
      stops.push([(await dc.send('exceptionInfo', THREAD)).body.exceptionId, s.body.description ?? '']);
    }
    assert.deepEqual(
      stops.map(([id]) => id),
      ['Error', 'Error', 'Lost writes'],
    );
    assert.match(stops[0]?.[1] ?? '', /^Error: flush of 1 row failed: database is down/);
    assert.match(stops[2]?.[1] ?? '', /moved to the dead-letter queue/);
  });

  it('an unknown filter or a condition is answered unverified with what was expected; a malformed request is refused; exceptionInfo where nothing went wrong says so', async () => {
    await launch(crashFile);
    const r = await dc.setExceptionBreakpointsRequest({ filters: ['stael', 'lost'], filterOptions: [{ filterId: 'stale', condition: 'key == a' }] });
    assert.deepEqual(r.body?.breakpoints?.map((b) => b.verified), [false, true, false]);
    assert.equal(r.body?.breakpoints?.[0]?.message, 'unknown exception filter "stael": expected stale, dirty, lost, duplicate, error or expect; did you mean "stale"?');
    assert.match(r.body?.breakpoints?.[2]?.message ?? '', /^the "stale" filter takes no condition/);
    // The known filter is on.
    assert.equal((await cont()).body.reason, 'exception');
    await assert.rejects(dc.send('setExceptionBreakpoints', { filters: 'stale' }), /^Error: setExceptionBreakpoints: "filters" must be a list of filter names, such as \{ "filters": \["stale", "lost"\] \}; got "stale"$/);
    await stepBack();
    await assert.rejects(dc.send('exceptionInfo', THREAD), /^Error: exceptionInfo: nothing went wrong at this position; turn on an exception filter/);
    // On entry nothing has run; at the end of the trace Continue goes nowhere: the answer says to go back instead.
    await reverse();
    await reverse();
    assert.equal((await position()).index, -1);
    await assert.rejects(dc.send('exceptionInfo', THREAD), /^Error: exceptionInfo: on entry nothing has run yet, so nothing has gone wrong; turn on an exception filter .* and Continue/);
    while (!((await position()).index >= (await position()).total)) await cont();
    await assert.rejects(
      dc.send('exceptionInfo', THREAD),
      /^Error: exceptionInfo: the end of the trace shows no anomaly; with an exception filter \(stale, dirty, lost, duplicate, error or expect\) on, Reverse Continue goes back to the last one$/,
    );
  });

  it('exceptionInfo points the way an anomaly lies: in a clean run it says nothing goes wrong, past the last one it says to go back', async () => {
    // A run where nothing goes wrong: no filter will ever stop, on entry, midway or at the end.
    await launch(throughFile, { exceptionFilters: ['stale', 'lost', 'error', 'expect'] });
    const clean = /^Error: exceptionInfo: nothing goes wrong in this run: no stale read, lost write, error or failed expectation$/;
    await assert.rejects(dc.send('exceptionInfo', THREAD), clean);
    await stepIn();
    await assert.rejects(dc.send('exceptionInfo', THREAD), clean);
    await cont();
    assert.equal((await position()).index, (await position()).total);
    await assert.rejects(dc.send('exceptionInfo', THREAD), clean);
    await dc.stop();
    dc = new DebugClient('node', adapter, 'cachescenario');
    await dc.start();
    // Past the only anomaly (the rejected write on line 4), on the read of line 5: Continue finds none ahead.
    await launch(rollbackFile, { exceptionFilters: ['error'] });
    await cont();
    assert.equal(await topLine(), 4);
    while ((await topLine()) !== 5) await stepIn();
    await assert.rejects(dc.send('exceptionInfo', THREAD), /^Error: exceptionInfo: nothing went wrong at this position, nor does anything after it; with an exception filter \(stale, dirty, lost, duplicate, error or expect\) on, Reverse Continue goes back to the last anomaly$/);
  });

  it('cacheScenario/jumpToStep in a run that recorded no step says so, not that its steps are numbered 1 to 0', async () => {
    const empty = join(dir, 'empty.cachescenario');
    writeFileSync(empty, 'strategy write-through\nset cache.nodes 2\n');
    await launch(empty);
    await assert.rejects(dc.customRequest('cacheScenario/jumpToStep', { seq: 1 }), /^Error: cacheScenario\/jumpToStep: the trace has no step 1: this run recorded no steps$/);
  });
  it('"error" stops once for an operation that fails, though a rollback hop comes between its error and the one its caller gets', async () => {
    const console = collect<DebugProtocol.OutputEvent>('output');
    await launch(rollbackFile, { exceptionFilters: ['error'] });
    assert.ok(
      console.some((e) => e.body.output.startsWith('What goes wrong in this run: 1 error.')),
      `expected the Debug Console to count 1 error; got:\n${console.map((e) => e.body.output).join('')}`,
    );
    const stop = await cont();
    assert.equal(stop.body.reason, 'exception');
    assert.equal(await topLine(), 4);
    const at = (await position()).index;
    // The caller's error two hops later is the same anomaly: exceptionInfo there describes the database's error.
    await stepIn();
    const caller = await stepIn();
    assert.equal(caller.body.reason, 'step', 'the error the caller gets is part of the stop already made');
    assert.equal((await dc.send('exceptionInfo', THREAD)).body.description, 'database write failed: database rejected the write (injected fault); transaction rolled back.');
    assert.equal((await cont()).body.reason, 'step', 'the next Continue goes to the end of the trace');
    const back = await reverse();
    assert.equal(back.body.reason, 'exception');
    assert.equal((await position()).index, at, 'Reverse Continue stops where Continue did');
    assert.equal((await reverse()).body.reason, 'entry');
  });

  it('filters as VS Code sends them when filterOptions are announced: an empty "filters" and each ticked one in "filterOptions"', async () => {
    await launch(crashFile);
    const r = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'lost' }] });
    assert.deepEqual(r.body?.breakpoints?.map((b) => b.verified), [true]);
    const stop = await cont();
    assert.equal(stop.body.reason, 'exception');
    assert.equal(await topLine(), 10);
  });

  it('exceptionOptions, which the adapter does not support, is not honoured, and does not stop the filters of the same request from being set', async () => {
    await launch(crashFile);
    const r = await dc.send('setExceptionBreakpoints', { filters: ['lost'], exceptionOptions: [{ path: [{ names: ['Lost writes'] }], breakMode: 'always' }] });
    assert.equal(r.success, true);
    // One answer per element, filters first, then exceptionOptions.
    assert.deepEqual(r.body?.breakpoints?.map((b: DebugProtocol.Breakpoint) => b.verified), [true, false]);
    assert.match(r.body?.breakpoints?.[1]?.message ?? '', /^exceptionOptions are not supported: name the filters \(stale, dirty, lost, duplicate, error or expect\) in "filters"/);
    assert.equal((await cont()).body.reason, 'exception', 'the "lost" filter is on');
    assert.equal(await topLine(), 10);
    await assert.rejects(dc.send('exceptionInfo', { threadId: 2 }), /^Error: exceptionInfo: "threadId" must be 1/);
  });
});

describe('data breakpoints: Break on Value Change in the Variables view', () => {
  /** Write-behind: two writes to `a` are acknowledged at once; its row changes only when the flush lands at 5 s. */
  const FLUSHED = [
    'strategy write-behind', // 1
    'set writeBehind.flushInterval 5s', // 2
    'set cache.ttl 1m', // 3: a cache entry's TTL left moves with the clock
    'load a 0', // 4
    'write a 1', // 5
    'as bob write b 2', // 6
    'write a 3', // 7
    'advance 10s', // 8
    'read a', // 9
  ].join('\n');
  let flushedFile: string;
  before(() => {
    flushedFile = join(dir, 'flushed.cachescenario');
    writeFileSync(flushedFile, FLUSHED);
  });

  /** The variablesReference of a scope at the current stop, by its name. */
  async function scopeRef(name: string): Promise<number> {
    const st = await dc.stackTraceRequest(THREAD);
    const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0]?.id ?? 1 });
    const s = scopes.body.scopes.find((x) => x.name === name);
    assert.ok(s, `scope ${name}`);
    return s.variablesReference;
  }

  async function info(variablesReference: number, name: string): Promise<DebugProtocol.DataBreakpointInfoResponse['body']> {
    return ((await dc.send('dataBreakpointInfo', { variablesReference, name })) as DebugProtocol.DataBreakpointInfoResponse).body;
  }

  it('a database row: Continue stops where the flush changes it, saying from what to what; Reverse Continue finds it again', async () => {
    await launch(flushedFile);
    await stepIn(); // the load: the row exists now
    const db = await scopeRef('Database');
    const row = await info(db, 'a');
    // canPersist: VS Code keeps it when the session ends (the next session checks it against its scenario on load).
    assert.deepEqual(row, { dataId: '["db","a"]', description: 'db a', accessTypes: ['write'], canPersist: true });
    const set = (await dc.send('setDataBreakpoints', { breakpoints: [{ dataId: row.dataId }] })) as DebugProtocol.SetDataBreakpointsResponse;
    assert.deepEqual(set.body.breakpoints.map((b) => b.verified), [true]);
    const id = set.body.breakpoints[0]?.id;
    // Both writes are acknowledged into the cache first: the row keeps 0 until the flush at 5 s.
    const stop = await cont();
    assert.equal(stop.body.reason, 'data breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [id]);
    assert.match(stop.body.description ?? '', /^db a changed to 3 \(write #4, row version 2\) from 0 \(write #1, row version 1\): flushed 2 rows carrying 3 writes/);
    assert.equal((await position()).step?.time, 5010);
    assert.equal((await cont()).body.reason, 'step'); // the end of the trace
    const back = await reverse();
    assert.equal(back.body.reason, 'data breakpoint');
    assert.equal((await position()).step?.time, 5010);
    // Cleared: Reverse Continue goes back to entry.
    await dc.send('setDataBreakpoints', { breakpoints: [] });
    assert.equal((await reverse()).body.reason, 'entry');
  });

  it('a cache entry stops at each write to it, not when its TTL moves; a condition narrows the stops', async () => {
    await launch(flushedFile);
    await stepIn();
    await stepIn(); // the first write's cache step: node1 holds a
    const node1 = (await dc.variablesRequest({ variablesReference: await scopeRef('Cache') })).body.variables.find((v) => v.name === 'node1');
    assert.ok(node1);
    const entry = await info(node1.variablesReference, 'a');
    assert.equal(entry.description, 'cache a via node1');
    // Back before a is cached (at 1 ms): the condition leaves that change out, and the stop is the second write's (3 ms).
    await stepBack();
    await dc.send('setDataBreakpoints', { breakpoints: [{ dataId: entry.dataId, condition: 'time >= 2ms' }] });
    const stop = await cont();
    assert.equal(stop.body.reason, 'data breakpoint');
    assert.match(stop.body.description ?? '', /^cache a via node1 changed to 3 \(write #4\) from 1 \(write #2\)/);
    assert.equal((await cont()).body.reason, 'step');
    // Without the condition, the first stop is where a is cached.
    await stepBack();
    await dc.send('setDataBreakpoints', { breakpoints: [{ dataId: entry.dataId }] });
    await reverse();
    await reverse();
    assert.equal((await position()).index, 1, 'Reverse Continue finds where a was cached');
    assert.equal((await cont()).body.reason, 'data breakpoint');
    assert.equal((await position()).step?.time, 3);
  });

  it('a hit count says which changes stop, counted from the start of the trace, forward and back; one no change reaches is unverified', async () => {
    await launch(flushedFile);
    const entry = '["cache","node1","a"]';
    // a is cached by the first write (1 ms) and changed by the second (3 ms): hit count 2 stops only at the second.
    const set = (await dc.send('setDataBreakpoints', { breakpoints: [{ dataId: entry, hitCondition: '2' }, { dataId: entry, hitCondition: '>= 3' }] })) as DebugProtocol.SetDataBreakpointsResponse;
    assert.deepEqual(set.body.breakpoints.map((b) => [b.verified, b.message]), [
      [true, undefined],
      [false, 'the value of cache a via node1 changes twice in this scenario: hit count >= 3 never fires'],
    ]);
    const stop = await cont();
    assert.equal(stop.body.reason, 'data breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [set.body.breakpoints[0]?.id]);
    assert.equal((await position()).step?.time, 3);
    assert.equal((await cont()).body.reason, 'step'); // the end of the trace: the first change did not stop
    assert.equal((await reverse()).body.reason, 'data breakpoint');
    assert.equal((await position()).step?.time, 3);
    assert.equal((await reverse()).body.reason, 'entry');
  });

  it('the clock, a TTL left and queue entries cannot be watched, saying why; a bad dataId, accessType or hit count is answered unverified; malformed requests are refused', async () => {
    await launch(flushedFile);
    await stepIn();
    const clock = await info(await scopeRef('Clock'), 'time');
    assert.deepEqual(clock, { dataId: null, description: 'the clock changes at every step: step with F11 (Step Into) instead' });
    assert.deepEqual(await info(await scopeRef('Database'), 'nope'), { dataId: null, description: 'there is no "nope" under db at this step' });
    const expression = ((await dc.send('dataBreakpointInfo', { name: 'db a' })) as DebugProtocol.DataBreakpointInfoResponse).body;
    assert.equal(expression.dataId, null);
    assert.match(expression.description, /^only variables can be watched/);
    const r = (await dc.send('setDataBreakpoints', {
      breakpoints: [{ dataId: 'junk' }, { dataId: '["db","a"]', accessType: 'read' }, { dataId: '["db","a"]', hitCondition: 'twice' }, { dataId: '["clock","time"]' }, { dataId: '["db","b"]' }, { dataId: '["db","later"]' }, { dataId: '["cache","node1","later"]' }],
    })) as DebugProtocol.SetDataBreakpointsResponse;
    // b has no row yet, but bob writes it later: it can be watched. No step touches "later" (a data breakpoint kept
    // from a session of another scenario): refused, as a row and as an entry.
    assert.deepEqual(r.body.breakpoints.map((b) => b.verified), [false, false, false, false, true, false, false]);
    for (const i of [5, 6]) assert.equal(r.body.breakpoints[i]?.message, 'no step of this scenario touches the key "later": nothing loads, writes or reads it');
    assert.match(r.body.breakpoints[0]?.message ?? '', /^"junk" is not a dataId this debugger gave out/);
    assert.match(r.body.breakpoints[1]?.message ?? '', /^only a change of value can be watched \(accessType "write"\)/);
    assert.match(r.body.breakpoints[2]?.message ?? '', /^bad hit count "twice": use 3 \(the third hit\)/);
    await assert.rejects(dc.send('setDataBreakpoints', { breakpoints: 'all' }), /^Error: setDataBreakpoints: "breakpoints" must be a list/);
    await assert.rejects(dc.send('setDataBreakpoints', { breakpoints: [{ dataId: 7 }] }), /^Error: setDataBreakpoints: breakpoint 1's "dataId" must be text/);
    await assert.rejects(dc.send('dataBreakpointInfo', { variablesReference: 999, name: 'a' }), /^Error: dataBreakpointInfo: 999 is not a variablesReference this session gave out/);
    // Two hops on, a is cached with its TTL and queued: neither its TTL left nor its queue entry can be watched.
    await stepIn();
    await stepIn();
    const node1 = (await dc.variablesRequest({ variablesReference: await scopeRef('Cache') })).body.variables.find((v) => v.name === 'node1');
    const a = (await dc.variablesRequest({ variablesReference: node1?.variablesReference ?? 0 })).body.variables.find((v) => v.name === 'a');
    assert.ok(a && a.variablesReference > 0, 'node1 holds a');
    assert.deepEqual(await info(a.variablesReference, 'ttlLeft'), { dataId: null, description: "the TTL left changes as the clock moves: watch the entry's value instead" });
    assert.equal((await info(a.variablesReference, 'value')).description, 'cache a via node1 (value)');
    const queued = (await dc.variablesRequest({ variablesReference: await scopeRef('Write-behind queue') })).body.variables.find((v) => v.name === 'node1');
    const pending = (await dc.variablesRequest({ variablesReference: queued?.variablesReference ?? 0 })).body.variables.find((v) => v.name === 'pending');
    const entries = (await dc.variablesRequest({ variablesReference: pending?.variablesReference ?? 0 })).body.variables;
    assert.equal(entries[0]?.name, '[0] a');
    const entry = await info(pending?.variablesReference ?? 0, '[0] a');
    assert.equal(entry.dataId, null);
    assert.match(entry.description, /^queue entries age at every step: watch node1's row under Write-behind queue instead/);
    assert.equal((await info(await scopeRef('Write-behind queue'), 'node1')).description, 'queue node1');
    // An address (from a memory view) names nothing in a scenario, even with a variablesReference.
    const address = ((await dc.send('dataBreakpointInfo', { variablesReference: await scopeRef('Database'), name: 'a', asAddress: true, bytes: 4 })) as DebugProtocol.DataBreakpointInfoResponse).body;
    assert.equal(address.dataId, null);
    assert.match(address.description, /^a scenario has no memory addresses/);
  });

  it('set before launch: unverified until the scenario loads, then a breakpoint event says whether it holds; one re-sent from another session that names a node this run lacks is unverified', async () => {
    const changed = collect<DebugProtocol.BreakpointEvent>('breakpoint');
    await dc.initializeRequest({ adapterID: 'cachescenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const early = (await dc.send('setDataBreakpoints', { breakpoints: [{ dataId: '["db","a"]' }, { dataId: '["cache","node2","a"]' }] })) as DebugProtocol.SetDataBreakpointsResponse;
    assert.deepEqual(early.body.breakpoints.map((b) => [b.verified, b.message]), [
      [false, 'the scenario is not loaded yet'],
      [false, 'the scenario is not loaded yet'],
    ]);
    const ids = early.body.breakpoints.map((b) => b.id);
    const initialized = dc.waitForEvent('initialized');
    const launched = dc.launchRequest({ program: flushedFile, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
    await initialized;
    assert.deepEqual(changed.map((e) => [e.body.reason, e.body.breakpoint.id, e.body.breakpoint.verified]), [
      ['changed', ids[0], true],
      ['changed', ids[1], false],
    ]);
    assert.equal(changed[1]?.body.breakpoint.message, 'there is no "node2" in this scenario: it has 1 cache node (node1)');
    // VS Code sends the breakpoints it kept in the configuration phase: the same answer.
    const resent = (await dc.send('setDataBreakpoints', { breakpoints: [{ dataId: '["cache","node2","a"]' }, { dataId: '["metrics","writeLatencyMs","p99"]' }] })) as DebugProtocol.SetDataBreakpointsResponse;
    assert.deepEqual(resent.body.breakpoints.map((b) => b.verified), [false, true]);
    const stopped = dc.waitForEvent('stopped');
    await dc.configurationDoneRequest();
    await launched;
    await stopped;
  });
});

describe('Jump to Cursor (gotoTargets and goto)', () => {
  /** The whole state at the crash as Continue to a line breakpoint reaches it; then back to entry, breakpoint cleared. */
  async function stateAtCrashByContinue(): Promise<Record<string, Tree[]>> {
    await dc.setBreakpointsRequest({ source: { path: crashFile }, breakpoints: [{ line: 10 }] });
    await cont();
    const state = await allVariables();
    await dc.setBreakpointsRequest({ source: { path: crashFile }, breakpoints: [] });
    await reverse();
    return state;
  }

  async function jump(path: string, line: number, visit = 0): Promise<Stopped> {
    const t = (await dc.send('gotoTargets', { source: { path }, line })) as DebugProtocol.GotoTargetsResponse;
    const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
    await dc.send('goto', { threadId: 1, targetId: t.body.targets[visit]?.id });
    return stopped;
  }

  it('jumps straight to a line, forward and back, stopping with reason goto; the state is the one Continue reaches', async () => {
    await launch(crashFile);
    const crashState = await stateAtCrashByContinue();
    const t = (await dc.send('gotoTargets', { source: { path: crashFile }, line: 10 })) as DebugProtocol.GotoTargetsResponse;
    assert.deepEqual(t.body.targets.map((x) => [x.label, x.line]), [['line 10: node1 crash @ 4ms', 10]]);
    assert.equal((await jump(crashFile, 10)).body.reason, 'goto');
    assert.equal(await topLine(), 10);
    assert.deepEqual(await allVariables(), crashState);
    // Back to line 6, the first write, in one move.
    assert.equal((await jump(crashFile, 6)).body.reason, 'goto');
    assert.equal(await topLine(), 6);
    assert.equal(find((await allVariables()).Metrics, 'acknowledgedWrites').value, '0');
  });

  it('a jump that lands where a ticked filter\'s anomaly starts stops as that exception', async () => {
    await launch(crashFile, { exceptionFilters: ['lost'] });
    const stop = await jump(crashFile, 10);
    assert.equal(stop.body.reason, 'exception');
    assert.equal(((await dc.send('exceptionInfo', THREAD)) as DebugProtocol.ExceptionInfoResponse).body.exceptionId, 'Lost writes');
  });

  it('a line visited twice offers both visits in order, and each lands on its own step', async () => {
    await launch(concurrentFile);
    const t = (await dc.send('gotoTargets', { source: { path: concurrentFile }, line: 2 })) as DebugProtocol.GotoTargetsResponse;
    assert.deepEqual(t.body.targets.map((x) => /visit \d of \d/.exec(x.label)?.[0]), ['visit 1 of 2', 'visit 2 of 2']);
    await jump(concurrentFile, 2, 1);
    assert.equal((await position()).index, (t.body.targets[1]?.id ?? 0) - 1);
    assert.equal((await position()).time, 11);
  });

  it('cacheScenario/jumpToStep moves straight to a trace step by its number, forward and back; a step the trace lacks is refused', async () => {
    await launch(crashFile);
    const to = async (seq: number): Promise<Stopped> => {
      const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
      await dc.customRequest('cacheScenario/jumpToStep', { seq });
      return stopped;
    };
    assert.equal((await to(13)).body.reason, 'goto');
    let p = await position();
    assert.equal(p.step?.seq, 13);
    assert.equal(p.step?.action, 'crash');
    assert.equal((await to(2)).body.reason, 'goto');
    p = await position();
    assert.equal(p.step?.seq, 2);
    await assert.rejects(dc.customRequest('cacheScenario/jumpToStep', { seq: 999 }), /^Error: cacheScenario\/jumpToStep: the trace has no step 999: its steps are numbered 1 to \d+$/);
    await assert.rejects(dc.customRequest('cacheScenario/jumpToStep', { seq: 'x' }), /^Error: cacheScenario\/jumpToStep: "seq" must be a whole number from 1, got "x"$/);
    assert.equal((await position()).step?.seq, 2);
  });

  it('a line with no step, another file, a bad line, an unknown target or thread is refused, saying why', async () => {
    await launch(crashFile);
    await assert.rejects(dc.send('gotoTargets', { source: { path: crashFile }, line: 5 }), /^Error: Jump to Cursor: no step of the run happens on line 5 \(settings, comments and blank lines run no step\)/);
    await assert.rejects(dc.send('gotoTargets', { source: { path: concurrentFile }, line: 2 }), /^Error: Jump to Cursor: only crash\.cachescenario is being debugged; jump within it$/);
    await assert.rejects(dc.send('gotoTargets', { source: { path: crashFile }, line: 0 }), /^Error: gotoTargets: "line" must be a whole number from 1, got 0$/);
    await assert.rejects(dc.send('gotoTargets', { source: {}, line: 2 }), /^Error: gotoTargets: "source" must name the scenario's file in "path"/);
    await assert.rejects(dc.send('goto', { threadId: 1, targetId: 999 }), /^Error: goto: 999 is not a target gotoTargets gave out; ask gotoTargets for the line first$/);
    await assert.rejects(dc.send('goto', { threadId: 2, targetId: 1 }), /^Error: goto: "threadId" must be 1/);
    // Refused moves leave the debugger where it was.
    assert.equal((await position()).index, -1);
  });
});
