// What a hand mutation audit of the extension host's view logic and the lesson's code found unpinned: each test names
// the mutant (a one-line break of the source) it catches. The panel and the sidebar run on fake webviews, through the
// small `vscode` stand-in; the start watchdog on a fake clock; the TypeScript snippets against fake stores.
import './support/vscodeStub';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import ts from 'typescript';
import type * as vscode from 'vscode';
import { TabInputText, TabInputWebview, executedCommands, tabGroups } from './support/vscodeStub';
import { ids } from '../../src/constants';
import { ALL_CLAIMS, LESSON_SECTIONS, findSection, isClaimId, parseInline } from '../../src/lesson/sections';
import { SNIPPETS, findSnippet, snippetsFor } from '../../src/lesson/snippets';
import { EngineRunner } from '../../src/views/engineRunner';
import type { EngineJob } from '../../src/views/engineJobs';
import { EXAMPLE_COPIES_KEY, ExampleCopies, decideCopy, textHash } from '../../src/views/exampleCopies';
import type { ExampleFiles } from '../../src/views/exampleCopies';
import { LessonSidebarProvider } from '../../src/views/lessonSidebar';
import { MementoWrites, SerialMemento } from '../../src/views/mementoWrites';
import type { StateMemento } from '../../src/views/mementoWrites';
import type { HostMessage, ProgressView, UiState, ViewSettings, WebviewMessage } from '../../src/views/protocol';
import { ReadyWatchdog } from '../../src/views/readyWatchdog';
import { FakeClock } from './support/fakeClock';
import { TraceLibrary, traceScenarioText } from '../../src/views/traces';
import { WorkbenchPanel, WorkbenchPanelSerializer, webviewHtml, webviewResourceRoots } from '../../src/views/workbenchPanel';
import type { DebugPosition, WebviewEndpoint, WebviewHost } from '../../src/views/workbenchPanel';

/** One field of a posted message, whatever its type. */
const field = (m: HostMessage | undefined, key: string): unknown => (m as Record<string, unknown> | undefined)?.[key];
const tick = (): Promise<void> => new Promise((done) => setImmediate(done));

// ---------------------------------------------------------------------------------------------------------------
// The start watchdog

describe('ReadyWatchdog (pins)', () => {
  const setup = (timeoutMs?: number) => {
    const clock = new FakeClock();
    const log: string[] = [];
    let reloads = 0;
    const watchdog = new ReadyWatchdog({ what: 'lesson view', clock, log: (l) => log.push(l), reload: () => { reloads++; }, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    return { clock, log, watchdog, reloads: () => reloads };
  };

  // W3: cancel() no longer clears `waiting`: a page hidden while waiting would never be watched again when shown
  // (the panel and the sidebar arm the watchdog on show only when it is not waiting).
  it('stops waiting once the page is ready or hidden', () => {
    const t = setup();
    t.watchdog.htmlSet();
    t.watchdog.ready();
    assert.equal(t.watchdog.isWaiting, false);
    t.watchdog.htmlSet();
    t.watchdog.cancel();
    assert.equal(t.watchdog.isWaiting, false);
  });

  // W6: the `timeoutMs` option ignored (always the default).
  it('waits the timeout it is given, and says so in seconds', () => {
    const t = setup(2000);
    t.watchdog.htmlSet();
    t.clock.advance(1999);
    assert.equal(t.reloads(), 0);
    t.clock.advance(1);
    assert.equal(t.reloads(), 1);
    assert.deepEqual(t.log, ['The lesson view did not say it was ready within 2 s of loading; loading it once more.']);
  });

  // W7: arm() no longer cancels the running timer: HTML set twice leaves the first timer going, and it reloads a page
  // that has said it is ready.
  it('HTML set again while waiting restarts the wait: one timer, and none after the page is ready', () => {
    const t = setup();
    t.watchdog.htmlSet();
    t.clock.advance(12_000);
    t.watchdog.htmlSet();
    assert.equal(t.clock.pending, 1);
    t.clock.advance(10_000);
    t.watchdog.ready();
    t.clock.advance(60_000);
    assert.equal(t.reloads(), 0);
    assert.deepEqual(t.log, []);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Traces

describe('traceScenarioText and TraceLibrary (pins)', () => {
  // T3: warnings counted as errors (a scenario without a strategy line, which only warns, would not draw).
  // T8: the strategy of a scenario without a strategy line is no longer write-through.
  it('runs a scenario that only warns, as write-through when it names no strategy', () => {
    const r = traceScenarioText('w.cachescenario', 'write k 1\nexpect ok\n');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.strategy, 'write-through');
    assert.ok(r.steps.length > 0);
  });

  // T4: a scenario with exactly one error is run anyway. T5: line and column swapped in the message.
  it('refuses a scenario with one error, naming its line and column', () => {
    const r = traceScenarioText('e.cachescenario', 'strategy write-through\n\nwrite k 1\n  frobnicate\n');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /^e\.cachescenario does not parse \(1 error\); line 4:3: /);
  });

  // T6: the count of errors always said as 1.
  it('counts every error in the message', () => {
    const r = traceScenarioText('e.cachescenario', 'strategy write-through\nfrobnicate\nwibble\n');
    assert.match(r.ok ? '' : r.error, /^e\.cachescenario does not parse \(2 errors\); line 2:1: /);
  });

  const good = 'strategy write-through\nwrite k 1\n';

  // T9: a file's trace no longer kept: every diagram showing it reads and runs it again.
  it('reads and runs each file once', async () => {
    const reads: string[] = [];
    const lib = new TraceLibrary(async (f) => { reads.push(f); return good; });
    const a = await lib.traceFile('a.cachescenario');
    const b = await lib.traceFile('a.cachescenario');
    assert.equal(a, b);
    assert.deepEqual(reads, ['a.cachescenario']);
  });

  // T10: a file that was missing stays missing in the cache. T15: the missing file's message.
  it('does not keep "not bundled": the next request reads the file again', async () => {
    const disk: { text?: string } = {};
    const lib = new TraceLibrary(async () => disk.text);
    assert.deepEqual(await lib.traceFile('a.cachescenario'), { ok: false, scenario: 'a.cachescenario', error: 'a.cachescenario is not among the bundled scenarios' });
    disk.text = good;
    assert.equal((await lib.traceFile('a.cachescenario')).ok, true);
  });

  // T11: a read that failed stays failed in the cache.
  it('does not keep a failed read: the next request reads the file again', async () => {
    let fail = true;
    const lib = new TraceLibrary(async () => { if (fail) throw new Error('EBUSY'); return good; });
    assert.deepEqual(await lib.traceFile('a.cachescenario'), { ok: false, scenario: 'a.cachescenario', error: 'a.cachescenario could not be read: EBUSY' });
    fail = false;
    assert.equal((await lib.traceFile('a.cachescenario')).ok, true);
  });

  // T12: strategy and variant swapped in the message for a diagram the lesson does not have.
  it('names the variant, then the strategy, of a diagram the lesson does not have', async () => {
    const lib = new TraceLibrary(async () => assert.fail('nothing to read'));
    assert.deepEqual(await lib.trace('write-around', 'wal'), { ok: false, scenario: '', error: 'the lesson has no wal diagram for write-around' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Example copies

function copiesFixture(bundled: Record<string, string>) {
  const copies = new Map<string, string>();
  const dirty = new Set<string>();
  const files: ExampleFiles = {
    readBundled: async (f) => bundled[f],
    readCopy: async (f) => copies.get(f),
    writeCopy: async (f, t) => void copies.set(f, t),
    isDirty: (f) => dirty.has(f),
  };
  const store = new Map<string, unknown>();
  const examples = new ExampleCopies(files, { get: (k) => store.get(k), update: async (k, v) => void store.set(k, v) });
  return { examples, copies, dirty, store, bundled };
}

describe('ExampleCopies (pins)', () => {
  // E1: a copy with unsaved changes whose saved text equals the bundled one counted as `current`.
  it('a copy with unsaved changes is the learner\'s, even when its saved text is the bundled one', () => {
    assert.equal(decideCopy('a', 'a', true, textHash('a')), 'edited');
  });

  // E4: a copy found equal to the bundled text is not remembered, so a later version of it counts as an edit.
  it('remembers a copy found equal to the bundled text (written by an older version), so it is updated later', async () => {
    const f = copiesFixture({ 'a.cachescenario': 'v1' });
    f.copies.set('a.cachescenario', 'v1');
    assert.equal(await f.examples.prepare('a.cachescenario'), 'current');
    assert.deepEqual(f.store.get(EXAMPLE_COPIES_KEY), { 'a.cachescenario': textHash('v1') });
    f.bundled['a.cachescenario'] = 'v2';
    assert.equal(await f.examples.prepare('a.cachescenario'), 'updated');
    assert.equal(f.copies.get('a.cachescenario'), 'v2');
  });

  // E7: remembering one copy forgets the others: their next version counts as the learner's edit.
  it('remembering one copy keeps what it knows of the others', async () => {
    const f = copiesFixture({ 'a.cachescenario': 'a1', 'b.cachescenario': 'b1' });
    await f.examples.prepare('a.cachescenario');
    await f.examples.prepare('b.cachescenario');
    assert.deepEqual(f.store.get(EXAMPLE_COPIES_KEY), { 'a.cachescenario': textHash('a1'), 'b.cachescenario': textHash('b1') });
    f.bundled['a.cachescenario'] = 'a2';
    assert.equal(await f.examples.prepare('a.cachescenario'), 'updated');
  });

  // E8: restored() records nothing: a restored copy the extension never wrote stays "edited" for good.
  it('a restore is remembered even when nothing was remembered before', async () => {
    const f = copiesFixture({ 'a.cachescenario': 'v1' });
    f.copies.set('a.cachescenario', 'v0, edited');
    assert.equal(await f.examples.prepare('a.cachescenario'), 'edited');
    f.copies.set('a.cachescenario', 'v1');
    await f.examples.restored('a.cachescenario', 'v1');
    assert.deepEqual(f.store.get(EXAMPLE_COPIES_KEY), { 'a.cachescenario': textHash('v1') });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Memento writes

interface Deferred { resolve(): void; reject(err: Error): void }

/** A memento whose updates settle when the test says so. */
function slowMemento() {
  const data = new Map<string, unknown>();
  const pending: (Deferred & { key: string; value: unknown })[] = [];
  const memento: StateMemento = {
    get: (k) => data.get(k),
    update: (key, value) => new Promise<void>((resolve, reject) => {
      pending.push({ key, value, resolve: () => { data.set(key, value); resolve(); }, reject });
    }),
  };
  return { data, pending, memento };
}

describe('MementoWrites and SerialMemento (pins)', () => {
  // M1: idle (and write's promise) settles once the newest write has, while an older one is still on its way.
  it('settles only once every write handed over so far has', async () => {
    const m = slowMemento();
    const writes = new MementoWrites(m.memento, () => assert.fail('no error'));
    void writes.write('a', 1);
    let done = false;
    void writes.write('b', 2).then(() => { done = true; });
    m.pending[1]?.resolve();
    await tick();
    assert.equal(done, false);
    m.pending[0]?.resolve();
    await writes.idle;
    assert.equal(done, true);
  });

  // M10: a failed write is thrown at the caller instead of reported through onError.
  it('reports a failed write through onError and never rejects', async () => {
    const errors: string[] = [];
    const writes = new MementoWrites({ get: () => undefined, update: () => Promise.reject(new Error('disk full')) }, (key, err) => errors.push(`${key}: ${(err as Error).message}`));
    await writes.write('k', 1);
    await writes.idle;
    assert.deepEqual(errors, ['k: disk full']);
  });

  // M2: a waiting `undefined` (a key being cleared) read as the older saved value.
  it('reads a waiting undefined as undefined, not as the value it replaces', async () => {
    const m = slowMemento();
    m.data.set('k', 'old');
    const s = new SerialMemento(m.memento);
    void s.update('other', 1);
    void s.update('k', undefined);
    assert.equal(s.get('k'), undefined);
    m.pending[0]?.resolve();
    await tick();
    await tick();
    m.pending[1]?.resolve();
  });

  // M6: an update that fails while the next one waits makes the next one fail too, never handed over.
  it('hands the next update over after one that failed while it waited', async () => {
    const m = slowMemento();
    const s = new SerialMemento(m.memento);
    const first = s.update('a', 1);
    const second = s.update('b', 2);
    m.pending[0]?.reject(new Error('refused'));
    await assert.rejects(first, /refused/);
    await tick();
    assert.equal(m.pending.length, 2, 'the second update reached the memento');
    m.pending[1]?.resolve();
    await second;
    assert.equal(m.data.get('b'), 2);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The engine runner

const SCENARIO_JOB: EngineJob = { kind: 'scenario', name: 'a.cachescenario', text: 'strategy write-through\nwrite k 1\n', seed: undefined, outputSteps: 0 };

describe('EngineRunner (pins)', () => {
  // N6: cancel() claims to stop a job running on the calling thread (no worker), which goes on: the page would be told
  // "stopped" and then get the answer.
  it('cannot stop a job running on the calling thread, and says so', async () => {
    const runner = new EngineRunner(undefined);
    const run = runner.run(SCENARIO_JOB);
    assert.equal(runner.cancel('scenario'), false);
    const r = await run;
    assert.ok(r?.ok, 'the job finished');
    runner.dispose();
  });

  // N10: dispose() leaves the running job's promise unsettled for good. N17: the same for a job still waiting.
  it('dispose settles the running job and the waiting ones with undefined', { timeout: 10_000 }, async () => {
    const runner = new EngineRunner(undefined);
    const run = runner.run(SCENARIO_JOB);
    const waiting = runner.run({ kind: 'compare', request: { kind: 'uniform', ops: 10, keys: 5, seed: 1, knobs: {} } } as unknown as EngineJob);
    runner.dispose();
    assert.deepEqual(await Promise.all([run, waiting]), [undefined, undefined]);
  });
});

/** Stand-in engine workers (plain JavaScript): one that dies at its first job, one that spins until it is ended. */
const CRASHING_WORKER = `require('node:worker_threads').parentPort.on('message', () => process.exit(3));`;
const ENDLESS_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, job }) => {
  if (job.kind === 'compare' && job.request.ops === 1) {
    parentPort.postMessage({ id, result: { kind: 'compare', ok: true, table: {}, elapsedMs: 0 } });
    return;
  }
  for (;;) {}
});
`;

describe('EngineRunner on a worker (pins)', () => {
  let dir = '';
  // The runner unrefs its worker, so something else keeps the event loop alive while a test awaits its answer.
  let keepAlive: NodeJS.Timeout | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-hostpins-'));
    writeFileSync(join(dir, 'crash.js'), CRASHING_WORKER);
    writeFileSync(join(dir, 'endless.js'), ENDLESS_WORKER);
    keepAlive = setInterval(() => undefined, 1000);
  });
  after(() => {
    clearInterval(keepAlive);
    rmSync(dir, { recursive: true, force: true });
  });
  const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

  // N18: a job whose worker died is never answered. N8: the runner gives the worker up after two deaths, not three.
  // N11: after three deaths it still claims to use the worker (and the comparison page says so).
  it('a worker that dies fails its job; after three deaths jobs run on the calling thread', { timeout: 10_000 }, async () => {
    const lines: string[] = [];
    const runner = new EngineRunner(join(dir, 'crash.js'), (l) => lines.push(l));
    for (let i = 1; i <= 3; i++) {
      assert.equal(runner.usesWorker, true, `before death ${i}`);
      const r = await runner.run(SCENARIO_JOB);
      assert.deepEqual(r, { kind: 'scenario', ok: false, error: 'the engine worker exited (code 3)' });
    }
    assert.equal(runner.usesWorker, false);
    assert.equal(lines.at(-1), 'engine worker failed three times; running jobs on the main thread from now on');
    const r = await runner.run(SCENARIO_JOB);
    assert.ok(r?.ok, 'the fourth job runs on the calling thread');
    runner.dispose();
  });

  // N4: with no take-over kinds given, a newer job of the same kind ends a long-running one anyway.
  it('without take-over kinds, a newer job waits for the running one of its kind', { timeout: 10_000 }, async () => {
    const runner = new EngineRunner(join(dir, 'endless.js'));
    const request = { kind: 'uniform', ops: 2, keys: 5, seed: 1, knobs: {} };
    const long = runner.run({ kind: 'compare', request } as unknown as EngineJob);
    await sleep(350);
    let answered = false;
    const quick = runner.run({ kind: 'compare', request: { ...request, ops: 1 } } as unknown as EngineJob).then((r) => { answered = true; return r; });
    await sleep(250);
    assert.equal(answered, false, 'the quick job waits its turn');
    assert.equal(runner.cancel('compare'), true);
    assert.deepEqual(await Promise.all([long, quick]), [undefined, undefined]);
    runner.dispose();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The workbench panel, on a fake WebviewPanel

const extensionUri = { path: '/ext' } as unknown as vscode.Uri;
const output = (lines: string[] = []) => ({ appendLine: (l: string) => lines.push(l) }) as unknown as vscode.OutputChannel;
const PROGRESS = { lastSection: 'write-behind' } as unknown as ProgressView;
const SETTINGS = { reducedMotion: 'off' } as unknown as ViewSettings;
const host: WebviewHost = {
  handle: (m: WebviewMessage, from: WebviewEndpoint) => { if (m.type === 'state/ready') from.onReady(m.repeat); },
  progress: () => PROGRESS,
  settings: () => SETTINGS,
};

function fakeWebview(posted: unknown[]) {
  const listeners: ((raw: unknown) => void)[] = [];
  /** What postMessage answers: VS Code's false means the webview was not live and did not take the message. */
  const answer = { taken: true };
  return {
    listeners,
    answer,
    webview: {
      options: undefined as unknown,
      html: '',
      cspSource: 'vscode-webview:',
      asWebviewUri: (u: { path: string }) => ({ toString: () => `https://webview${u.path}` }),
      onDidReceiveMessage: (l: (raw: unknown) => void) => { listeners.push(l); return { dispose: () => undefined }; },
      postMessage: (m: unknown) => { posted.push(m); return Promise.resolve(answer.taken); },
    },
  };
}

function fakePanel() {
  const posted: HostMessage[] = [];
  const reveals: unknown[][] = [];
  const w = fakeWebview(posted);
  let viewState: ((e: unknown) => void) | undefined;
  let disposed: (() => void) | undefined;
  const panel = {
    visible: true,
    disposeCalls: 0,
    iconPath: undefined as unknown,
    webview: w.webview,
    onDidChangeViewState: (l: (e: unknown) => void) => { viewState = l; return { dispose: () => undefined }; },
    onDidDispose: (l: () => void) => { disposed = l; return { dispose: () => undefined }; },
    reveal: (...args: unknown[]) => void reveals.push(args),
    dispose: () => { panel.disposeCalls++; disposed?.(); },
  };
  return {
    panel,
    vs: panel as unknown as vscode.WebviewPanel,
    posted,
    reveals,
    send: (raw: unknown) => { for (const l of w.listeners) l(raw); },
    setVisible: (v: boolean) => { panel.visible = v; viewState?.({ webviewPanel: panel }); },
    answer: w.answer,
  };
}

/** A workbench holding a restored fake panel; `ready` has the page say `state/ready`. Dispose it at the end (its watchdog). */
function workbench(ready = true, state?: unknown) {
  const lines: string[] = [];
  const wb = new WorkbenchPanel(extensionUri, output(lines), host);
  const p = fakePanel();
  wb.restore(p.vs, state);
  if (ready) p.send({ type: 'state/ready', view: 'workbench' });
  const since = p.posted.length;
  return { wb, ...p, lines, since };
}

const UI: UiState = { v: 1, route: 'compare', section: 'cache-aside', diagrams: {}, snippetLanguage: 'python' };

describe('WorkbenchPanel (pins)', () => {
  // P1: open(section) no longer drops a page asked for before the page was ready: the lesson asked for last loses.
  it('open(section) after openPage(route), before the page is ready: the page starts on the lesson at that section', (t) => {
    const w = workbench(false);
    t.after(() => w.wb.dispose());
    w.wb.openPage('quiz');
    w.wb.open('write-around');
    w.send({ type: 'state/ready', view: 'workbench' });
    assert.deepEqual(w.posted, [{ type: 'state/init', view: 'workbench', section: 'write-around', route: null, progress: PROGRESS, settings: SETTINGS }]);
  });

  // P2: open(section) on a page not ready yet sends lesson/show into the void and state/init has no section.
  // P24: flushSection keeps the section: the page jumps back to it when it says ready again (shown after hiding).
  it('a section asked for before the page is ready comes with state/init, once', (t) => {
    const w = workbench(false);
    t.after(() => w.wb.dispose());
    w.wb.open('write-around');
    assert.deepEqual(w.posted, []);
    w.send({ type: 'state/ready', view: 'workbench' });
    assert.equal(field(w.posted[0], 'section'), 'write-around');
    w.wb.open('cache-aside');
    assert.deepEqual(w.posted.slice(1), [{ type: 'lesson/show', section: 'cache-aside' }]);
    assert.deepEqual(w.reveals, [[undefined, false], [undefined, false]]);
    w.setVisible(false);
    w.setVisible(true);
    w.send({ type: 'state/ready', view: 'workbench' });
    assert.equal(field(w.posted.at(-1), 'section'), null);
  });

  // P4: openPage('lesson') on a ready panel only reveals it; the page stays on the quiz.
  // P5: openPage(route) on a ready panel only reveals it.
  it('openPage on a ready panel shows the page asked for, the lesson included', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    w.wb.openPage('quiz');
    w.wb.openPage('lesson');
    assert.deepEqual(w.posted.slice(w.since), [{ type: 'route/show', route: 'quiz' }, { type: 'route/show', route: 'lesson' }]);
    assert.equal(w.wb.state.pendingRoute, null);
  });

  // P6: a second restored panel is left open beside the singleton.
  it('restoring a second panel disposes it: the workbench is a singleton', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    const other = fakePanel();
    w.wb.restore(other.vs, UI);
    assert.equal(other.panel.disposeCalls, 1);
    assert.equal(other.panel.webview.html, '');
  });

  // P7: the restored page's saved UI state dropped. P21: the serializer hands the restore no state.
  it('the serializer restores the panel with the UI state its page saved', async (t) => {
    const wb = new WorkbenchPanel(extensionUri, output(), host);
    t.after(() => wb.dispose());
    const p = fakePanel();
    await new WorkbenchPanelSerializer(wb).deserializeWebviewPanel(p.vs, UI);
    assert.equal(wb.state.ui?.route, 'compare');
    assert.equal(wb.state.ui?.section, 'cache-aside');
    assert.equal(wb.state.ui?.snippetLanguage, 'python');
  });

  // P9: a hidden panel still counts as ready: a section asked for while hidden goes to a torn-down page and is lost.
  it('a hidden panel keeps the section asked for until its page is ready again', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    w.setVisible(false);
    assert.equal(w.wb.state.ready, false);
    w.wb.post({ type: 'lesson/show', section: 'write-around' });
    assert.deepEqual(w.posted.slice(w.since), []);
    w.setVisible(true);
    w.send({ type: 'state/ready', view: 'workbench' });
    assert.equal(field(w.posted.at(-1), 'section'), 'write-around');
  });

  // P25: a page that survived being hidden never says state/ready again, so everything posted to it was dropped for good
  // (seen in CI: a playground run whose result never came). Its next message shows it is there.
  it('a page that survived being hidden gets posts again from its next message, with what it missed', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    w.setVisible(false);
    w.setVisible(true);
    w.wb.post({ type: 'progress/changed', progress: PROGRESS });
    w.wb.open('write-around');
    assert.deepEqual(w.posted.slice(w.since), [], 'nothing goes to a page taken for gone');
    w.send({ type: 'state/changed', state: UI });
    assert.equal(w.wb.state.ready, true);
    assert.deepEqual(w.posted.slice(w.since), [
      { type: 'progress/changed', progress: PROGRESS },
      { type: 'settings/changed', settings: SETTINGS },
      { type: 'lesson/show', section: 'write-around' },
    ]);
    assert.match(w.lines.join('\n'), /page sent state\/changed while it was taken for gone/);
    w.wb.post({ type: 'progress/changed', progress: PROGRESS });
    assert.equal(w.posted.length, w.since + 4);
    // A ready page's messages change nothing, and a hidden page's cannot revive it.
    w.send({ type: 'state/changed', state: UI });
    assert.equal(w.posted.length, w.since + 4);
    w.setVisible(false);
    w.send({ type: 'state/changed', state: UI });
    assert.equal(w.wb.state.ready, false);
  });

  // P28: a page whose state/ready or state/init went missing under load had no settings for good (seen in CI: a
  // playground without the learner's defaults). The page says state/ready again; each one gets a state/init, logged.
  it('a page that says state/ready again gets state/init again, and the log says it had none', (t) => {
    const w = workbench(false);
    t.after(() => w.wb.dispose());
    w.wb.openPage('quiz');
    w.send({ type: 'state/ready', view: 'workbench' });
    w.send({ type: 'state/ready', view: 'workbench', repeat: 1 });
    assert.deepEqual(w.posted, [
      { type: 'state/init', view: 'workbench', section: null, route: 'quiz', progress: PROGRESS, settings: SETTINGS },
      // The page asked for went with the first answer: the second leaves the page where it is.
      { type: 'state/init', view: 'workbench', section: null, route: null, progress: PROGRESS, settings: SETTINGS },
    ]);
    assert.deepEqual(w.lines, ["The workbench panel's page said state/ready again (repeat 1): no state/init had reached it; sending it now."]);
  });

  // P29: VS Code answers false to a post the webview did not take (not live); the panel kept posting into the void.
  it('a message the webview did not take is logged, and the page is taken for gone until it says anything again', async (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    w.answer.taken = false;
    w.wb.post({ type: 'progress/changed', progress: PROGRESS });
    await tick();
    assert.equal(w.wb.state.ready, false);
    assert.deepEqual(w.lines, ["The workbench panel's page did not take progress/changed (VS Code found it not live); it gets the current state when it next says anything."]);
    w.answer.taken = true;
    w.send({ type: 'state/changed', state: UI });
    assert.equal(w.wb.state.ready, true);
    assert.deepEqual(w.posted.slice(w.since + 1, w.since + 3), [
      { type: 'progress/changed', progress: PROGRESS },
      { type: 'settings/changed', settings: SETTINGS },
    ]);
  });

  // P10: a closed panel keeps the section it was going to show: the next open() starts there, not where the learner left off.
  it('closing the panel forgets the section and the page it was going to show', () => {
    const w = workbench(false);
    w.wb.open('write-around');
    w.wb.openPage('quiz');
    w.panel.dispose();
    assert.equal(w.wb.state.open, false);
    assert.equal(w.wb.state.pendingSection, null);
    assert.equal(w.wb.state.pendingRoute, null);
    w.wb.dispose();
  });

  // P11: messages posted to a page that is not listening yet (not ready).
  it('posts nothing but the kept section before the page is ready', (t) => {
    const w = workbench(false);
    t.after(() => w.wb.dispose());
    w.wb.post({ type: 'progress/changed', progress: PROGRESS });
    assert.deepEqual(w.posted, []);
  });

  // P12: onReady keeps the section it sent: state/init repeats it when the page reloads (hidden, then shown).
  it('state/init carries a section once: a page shown again starts where it is', (t) => {
    const w = workbench(false);
    t.after(() => w.wb.dispose());
    w.wb.open('write-around');
    w.send({ type: 'state/ready', view: 'workbench' });
    assert.equal(w.wb.state.pendingSection, null);
    w.setVisible(false);
    w.setVisible(true);
    w.send({ type: 'state/ready', view: 'workbench' });
    assert.equal(field(w.posted.at(-1), 'section'), null);
  });

  const steps = [{ seq: 0 }, { seq: 1 }] as unknown as DebugPosition['steps'];
  const position = (over: Partial<DebugPosition> = {}): DebugPosition => ({ scenario: '/w/a.cachescenario', label: 'a.cachescenario', title: 'Stepping a.cachescenario', steps, seq: 0, ...over });

  // P13: a page that reloads during a debug session loses the highlighted step.
  // P14: onReady no longer resets "steps sent": the reloaded page gets a position without the trace's steps.
  it('a page that reloads while debugging gets the debug position again, with the steps', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    w.wb.showDebugPosition(position());
    assert.deepEqual(w.posted.slice(w.since), [{ type: 'debug/position', scenario: '/w/a.cachescenario', label: 'a.cachescenario', title: 'Stepping a.cachescenario', seq: 0, steps }]);
    w.setVisible(false);
    w.setVisible(true);
    const before = w.posted.length;
    w.send({ type: 'state/ready', view: 'workbench' });
    assert.deepEqual(w.posted.slice(before).map((m) => m.type), ['state/init', 'debug/position']);
    assert.equal(field(w.posted.at(-1), 'steps'), steps);
  });

  // P15: a new run of the same scenario (other steps: another seed) is sent without its steps.
  // P16: another scenario's trace is sent without its steps.
  // P17: a checkpoint dropped from a position sent without steps.
  it('sends the steps again for a new trace, and a checkpoint with every position', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    w.wb.showDebugPosition(position());
    w.wb.showDebugPosition(position({ seq: 1, checkpoint: { kind: 'expect', line: 7 } }));
    const other = [{ seq: 0 }] as unknown as DebugPosition['steps'];
    w.wb.showDebugPosition(position({ steps: other }));
    w.wb.showDebugPosition(position({ scenario: '/w/b.cachescenario', steps: other }));
    const sent = w.posted.slice(w.since) as { steps?: unknown; checkpoint?: unknown; seq?: unknown }[];
    assert.equal(sent.length, 4);
    assert.equal(sent[1]?.steps, undefined);
    assert.deepEqual(sent[1]?.checkpoint, { kind: 'expect', line: 7 });
    assert.equal(sent[2]?.steps, other, 'same scenario, new steps');
    assert.equal(sent[3]?.steps, other, 'another scenario');
  });

  // P18: ending another scenario's session ends ours. P19: debug/ended no longer sent.
  it('ends the debug view only for the scenario being debugged, and tells the page', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    w.wb.showDebugPosition(position());
    w.wb.endDebug('/w/other.cachescenario');
    assert.equal(w.wb.state.debugScenario, '/w/a.cachescenario');
    w.wb.endDebug('/w/a.cachescenario');
    assert.equal(w.wb.state.debugScenario, undefined);
    assert.deepEqual(w.posted.at(-1), { type: 'debug/ended', scenario: '/w/a.cachescenario' });
  });

  // P20: rejected messages no longer counted.
  it('counts the messages it rejects', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    const reason = w.wb.receiveForTest({ type: 'no/such' });
    w.send(42);
    assert.equal(w.wb.state.rejectedMessages, 2);
    assert.ok(reason);
  });

  // P25: a debug position with `open` reveals an open panel beside the editor (moving it) instead of leaving it.
  it('a debug position with open: true leaves an open panel where it is', (t) => {
    const w = workbench();
    t.after(() => w.wb.dispose());
    w.wb.showDebugPosition(position(), { open: true });
    assert.deepEqual(w.reveals, []);
  });

  // P26: keepBeside moves a panel that is in view. P27: keepBeside waits for the panel's own visibility, which lags
  // behind the tabs (a panel opened over the stopped scenario stayed behind it at every step).
  it('keepBeside moves the panel beside the scenario only when the scenario is in front of it, whatever the panel\'s visibility says', (t) => {
    const w = workbench();
    t.after(() => {
      w.wb.dispose();
      tabGroups.all = [];
    });
    const webview = { input: new TabInputWebview(`mainThreadWebview-${ids.panels.workbench}`) };
    const scenario = { input: new TabInputText({ fsPath: '/w/a.cachescenario' }) };
    tabGroups.all = [{ viewColumn: 2, activeTab: webview, tabs: [scenario, webview] }];
    w.wb.keepBeside('/w/a.cachescenario');
    assert.deepEqual(w.reveals, [], 'the panel is in front of its group');
    tabGroups.all = [{ viewColumn: 2, activeTab: { input: new TabInputText({ fsPath: '/w/b.cachescenario' }) }, tabs: [scenario, webview] }];
    w.wb.keepBeside('/w/a.cachescenario');
    assert.deepEqual(w.reveals, [], 'another file hides it: not the debugger\'s doing');
    tabGroups.all = [{ viewColumn: 2, activeTab: scenario, tabs: [scenario, webview] }];
    w.panel.visible = true;
    w.wb.keepBeside('/w/a.cachescenario');
    assert.deepEqual(w.reveals, [[3, true]]);
  });

  // P22: every page mounts the workbench, the sidebar included.
  it('names the view the page mounts', () => {
    const { webview } = fakeWebview([]);
    assert.match(webviewHtml(webview as unknown as vscode.Webview, extensionUri, 'sidebar', 'Lesson'), /<body data-webview="sidebar">/);
  });

  // P23: media/ (the stylesheet) no longer a resource root: the pages lose their styles.
  it('lets the pages load from dist/ and media/', () => {
    assert.deepEqual(webviewResourceRoots(extensionUri), [{ path: '/ext/dist' }, { path: '/ext/media' }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The lesson sidebar, on a fake WebviewView

function fakeView() {
  const posted: HostMessage[] = [];
  const shows: unknown[] = [];
  const w = fakeWebview(posted);
  let visibility: (() => void) | undefined;
  let disposed: (() => void) | undefined;
  const view = {
    visible: true,
    webview: w.webview,
    onDidChangeVisibility: (l: () => void) => { visibility = l; return { dispose: () => undefined }; },
    onDidDispose: (l: () => void) => { disposed = l; return { dispose: () => undefined }; },
    show: (preserveFocus: unknown) => void shows.push(preserveFocus),
  };
  return {
    view,
    vs: view as unknown as vscode.WebviewView,
    posted,
    shows,
    send: (raw: unknown) => { for (const l of w.listeners) l(raw); },
    setVisible: (v: boolean) => { view.visible = v; visibility?.(); },
    dispose: () => disposed?.(),
    answer: w.answer,
  };
}

function sidebar() {
  const lines: string[] = [];
  const s = new LessonSidebarProvider(extensionUri, output(lines), host);
  const v = fakeView();
  s.resolveWebviewView(v.vs);
  return { s, ...v, lines };
}

describe('LessonSidebarProvider (pins)', () => {
  // L1: messages posted before the page listens. L2: state/init names the workbench view.
  it('posts nothing before the page is ready, then state/init for the sidebar', (t) => {
    const v = sidebar();
    t.after(() => v.s.dispose());
    v.s.post({ type: 'progress/changed', progress: PROGRESS });
    assert.deepEqual(v.posted, []);
    v.send({ type: 'state/ready', view: 'sidebar' });
    assert.deepEqual(v.posted, [{ type: 'state/init', view: 'sidebar', section: null, route: null, progress: PROGRESS, settings: SETTINGS }]);
  });

  // L3: whenReady waits out its whole timeout although the page said ready. L4: it waits when the page is ready already.
  it('whenReady settles when the page says ready, and at once when it is', { timeout: 10_000 }, async (t) => {
    const v = sidebar();
    t.after(() => v.s.dispose());
    let settled = false;
    const waiting = v.s.whenReady(60_000).then(() => { settled = true; });
    await tick();
    assert.equal(settled, false);
    v.send({ type: 'state/ready', view: 'sidebar' });
    await waiting;
    let again = false;
    void v.s.whenReady(60_000).then(() => { again = true; });
    await tick();
    assert.equal(again, true);
  });

  // L5: a hidden view still counts as ready. L9: a disposed one too. L11: a view resolved again starts ready.
  it('is not ready while hidden, once disposed, or when resolved again until its page says so', (t) => {
    const v = sidebar();
    t.after(() => v.s.dispose());
    v.send({ type: 'state/ready', view: 'sidebar' });
    v.setVisible(false);
    assert.equal(v.s.state.ready, false);
    v.setVisible(true);
    v.send({ type: 'state/ready', view: 'sidebar' });
    v.dispose();
    assert.deepEqual({ resolved: v.s.state.resolved, ready: v.s.state.ready }, { resolved: false, ready: false });
    const again = fakeView();
    v.s.resolveWebviewView(again.vs);
    again.send({ type: 'state/ready', view: 'sidebar' });
    const next = fakeView();
    v.s.resolveWebviewView(next.vs);
    assert.equal(v.s.state.ready, false);
  });

  // L14: a page that survived being hidden never says state/ready again; the view's progress marks froze (seen in CI).
  it('a page that survived being hidden gets state/init from its next message, and posts again', (t) => {
    const v = sidebar();
    t.after(() => v.s.dispose());
    v.send({ type: 'state/ready', view: 'sidebar' });
    v.setVisible(false);
    v.setVisible(true);
    v.s.post({ type: 'progress/changed', progress: PROGRESS });
    assert.equal(v.posted.length, 1, 'nothing goes to a page taken for gone');
    v.send({ type: 'lesson/open', section: null });
    assert.equal(v.s.state.ready, true);
    assert.deepEqual(v.posted.slice(1), [{ type: 'state/init', view: 'sidebar', section: null, route: null, progress: PROGRESS, settings: SETTINGS }]);
    v.s.post({ type: 'progress/changed', progress: PROGRESS });
    assert.equal(v.posted.length, 3);
    v.setVisible(false);
    v.send({ type: 'lesson/open', section: null });
    assert.equal(v.s.state.ready, false, 'a hidden page stays taken for gone');
  });

  // L15: the sidebar's page says state/ready again when no state/init came (a message lost under load).
  it('a page that says state/ready again gets state/init again, and the log says it had none', (t) => {
    const v = sidebar();
    t.after(() => v.s.dispose());
    v.send({ type: 'state/ready', view: 'sidebar' });
    v.send({ type: 'state/ready', view: 'sidebar', repeat: 3 });
    const init = { type: 'state/init', view: 'sidebar', section: null, route: null, progress: PROGRESS, settings: SETTINGS };
    assert.deepEqual(v.posted, [init, init]);
    assert.deepEqual(v.lines, ["The lesson view's page said state/ready again (repeat 3): no state/init had reached it; sending it now."]);
  });

  // L16: the same for the sidebar: a message its webview did not take marks the page gone, logged.
  it('a message the webview did not take is logged, and the page is taken for gone until it says anything again', async (t) => {
    const v = sidebar();
    t.after(() => v.s.dispose());
    v.send({ type: 'state/ready', view: 'sidebar' });
    v.answer.taken = false;
    v.s.post({ type: 'progress/changed', progress: PROGRESS });
    await tick();
    assert.equal(v.s.state.ready, false);
    assert.deepEqual(v.lines, ["The lesson view's page did not take progress/changed (VS Code found it not live); it gets the current state when it next says anything."]);
  });

  // L6: rejected messages no longer counted.
  it('counts the messages it rejects', (t) => {
    const v = sidebar();
    t.after(() => v.s.dispose());
    v.send({ type: 'no/such' });
    assert.equal(v.s.state.rejectedMessages, 1);
    assert.match(v.s.state.lastRejection ?? '', /./);
  });

  // L7: the "lesson view resolved" context key set to false. L8: `resolved` never settles. L12: scripts disabled.
  it('resolving the view enables scripts, sets the context key and settles `resolved`', async (t) => {
    const s = new LessonSidebarProvider(extensionUri, output(), host);
    t.after(() => s.dispose());
    const v = fakeView();
    const before = executedCommands.length;
    s.resolveWebviewView(v.vs);
    assert.equal((v.view.webview.options as { enableScripts?: unknown }).enableScripts, true);
    assert.deepEqual(executedCommands.slice(before), [['setContext', ids.contextKeys.lessonViewResolved, true]]);
    await s.resolved;
  });

  // L10: reveal without a view runs a command that does not exist. L13: reveal takes the focus.
  it('reveal keeps the focus on a resolved view, and focuses the view by its derived command otherwise', async (t) => {
    const s = new LessonSidebarProvider(extensionUri, output(), host);
    t.after(() => s.dispose());
    const before = executedCommands.length;
    await s.reveal();
    assert.deepEqual(executedCommands.slice(before), [[`${ids.views.lesson}.focus`]]);
    const v = fakeView();
    s.resolveWebviewView(v.vs);
    await s.reveal();
    assert.deepEqual(v.shows, [true]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The lesson's functions and code

describe('lesson sections and snippets (pins)', () => {
  // X1: the language ignored: the Python tab would get the first snippet of the strategy whatever was asked for.
  // X2: every strategy's snippets shown as tabs of each strategy.
  it('finds a snippet by strategy and language, and lists only the strategy\'s', () => {
    assert.equal(findSnippet('write-around', 'typescript')?.language, 'typescript');
    assert.equal(findSnippet('write-around', 'python')?.language, 'python');
    assert.deepEqual(snippetsFor('cache-aside').map((s) => [s.strategy, s.language]), [['cache-aside', 'python'], ['cache-aside', 'typescript']]);
  });

  // X8: a snippet's "Run it" runs a scenario of another strategy.
  it('runs each snippet\'s idea in a scenario of the snippet\'s strategy, the same for both languages', () => {
    for (const s of SNIPPETS) {
      const other = SNIPPETS.find((o) => o.strategy === s.strategy && o.language !== s.language);
      assert.equal(s.scenario, other?.scenario, `${s.strategy}: both languages run one scenario`);
      const section = LESSON_SECTIONS.find((sec) => sec.strategy === s.strategy && sec.scenarios.includes(s.scenario));
      assert.ok(section, `${s.strategy} ${s.language}: ${s.scenario} belongs to the section about ${s.strategy}`);
    }
  });

  // X3: empty backticks become an empty code span. X5: an empty **** becomes an empty bold span.
  // X4: bold spanning a backtick (the two markups may not overlap).
  it('keeps empty markers and bold that would overlap a code span literal', () => {
    assert.deepEqual(parseInline('a `` b'), [{ kind: 'text', text: 'a `` b' }]);
    assert.deepEqual(parseInline('a **** b'), [{ kind: 'text', text: 'a **** b' }]);
    assert.deepEqual(parseInline('**a `b** c`'), [{ kind: 'text', text: '**a ' }, { kind: 'code', text: 'b** c' }]);
  });

  // X6: a section found by a prefix of its id (a stale or truncated lastSection opens the wrong section).
  it('finds a section by its exact id only', () => {
    const first = LESSON_SECTIONS[0];
    assert.equal(findSection(first?.id ?? ''), first);
    assert.equal(findSection((first?.id ?? 'x').slice(0, 3)), undefined);
    assert.equal(findSection(''), undefined);
  });

  // X7: any C<number> accepted as a claim (a stored quiz question naming C19 would pass validation).
  it('knows the lesson\'s claims and no others', () => {
    assert.equal(ALL_CLAIMS.every((c) => isClaimId(c)), true);
    assert.equal(isClaimId('C19'), false);
    assert.equal(isClaimId('C0'), false);
  });
});

/** A TypeScript snippet's exports, compiled to CommonJS and loaded. */
function loadSnippet(strategy: Parameters<typeof findSnippet>[0]): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const code = findSnippet(strategy, 'typescript')?.code ?? '';
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
  const module = { exports: {} as Record<string, (...args: unknown[]) => Promise<unknown>> };
  new Function('module', 'exports', 'require', js)(module, module.exports, () => ({}));
  return module.exports;
}

/** An in-memory cache whose delete can be made to fail a number of times. */
function memoryCache(failDeletes = 0) {
  const data = new Map<string, string>();
  let failing = failDeletes;
  const calls: string[] = [];
  return {
    data,
    calls,
    get: async (k: string) => data.get(k),
    set: async (k: string, v: string) => void data.set(k, v),
    add: async (k: string, v: string) => (data.has(k) ? false : (data.set(k, v), true)),
    delete: async (k: string) => {
      calls.push(`delete ${k}`);
      if (failing > 0) { failing--; throw new Error('cache down'); }
      data.delete(k);
    },
  };
}

/**
 * A database whose transaction runs the work and rethrows its failure (a rollback); `fail`: its INSERT fails, or with
 * 'commit' the commit itself fails after the work.
 */
function failingDb(fail: boolean | 'commit') {
  return {
    transaction: async <T>(work: (tx: unknown) => Promise<T>): Promise<T> => {
      const result = await work({ execute: async (sql: string) => { if (fail === true && /INSERT/.test(sql)) throw new Error('db down'); } });
      if (fail === 'commit') throw new Error('db down');
      return result;
    },
    queryOne: async () => 'from-db',
    execute: async () => undefined,
    renameUser: async () => undefined,
  };
}

describe('the TypeScript snippets\' behaviour (pins)', () => {
  // X12: cache-aside's invalidation no longer retried: one failed delete leaves the stale row in the cache.
  it('cache-aside: a failed invalidation is retried (three tries in all)', async () => {
    const { renameUser } = loadSnippet('cache-aside');
    const cache = memoryCache(2);
    cache.data.set('user:7', '{"id":"7","name":"old"}');
    await renameUser?.(failingDb(false), cache, '7', 'new');
    assert.equal(cache.data.has('user:7'), false);
    assert.equal(cache.calls.length, 3);
  });

  // X15: the hybrid's undo dropped: a rolled-back write leaves the new value in the cache.
  // X16: the hybrid's read no longer fills the cache on a miss.
  it('hybrid: a rolled-back write leaves no cached value, and a miss fills the cache', async () => {
    const { writeSetting, readSetting } = loadSnippet('write-through+cache-aside');
    const cache = memoryCache();
    await assert.rejects(writeSetting?.(failingDb('commit'), cache, 'mode', 'dark') ?? Promise.resolve(), /db down/);
    assert.equal(cache.data.has('setting:mode'), false);
    assert.equal(await readSetting?.(failingDb(false), cache, 'theme'), 'from-db');
    assert.equal(cache.data.get('setting:theme'), 'from-db');
  });
});
