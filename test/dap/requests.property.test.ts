// Requests off the wire: the debug adapter gets whatever a client sends, so every request, with arguments of any shape
// (none, null, a list, wrong types, damaged well-formed ones), before and after a scenario is loaded, gets exactly one
// response: a success, or a failure whose message says what was expected. Never an exception's text or stack (the
// library turns a thrown exception into an error response with id 1104), and the session goes on working afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CacheScenarioSession, checkSetBreakpointsArgs } from '../../src/debug/adapter';
import { CRASH } from './scenarios';

const RUNS = 200;
let dir: string;
let program: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cache-workbench-requests-'));
  program = join(dir, 'crash.cachescenario');
  writeFileSync(program, CRASH);
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** A session driven in-process: `send` returns the responses a request produced (once any async work settled). */
class Wire {
  readonly session = new CacheScenarioSession();
  private readonly out: DebugProtocol.ProtocolMessage[] = [];
  private seq = 1;

  constructor() {
    // The session's emitter keeps one listener: this one.
    this.session.onDidSendMessage((m) => this.out.push(m as DebugProtocol.ProtocolMessage));
  }

  /** Every `stopped` event sent so far. */
  stops(): DebugProtocol.StoppedEvent[] {
    return this.out.filter((m): m is DebugProtocol.StoppedEvent => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped');
  }

  async send(command: string, args: unknown): Promise<DebugProtocol.Response[]> {
    const from = this.out.length;
    const seq = this.seq++;
    this.session.handleMessage({ type: 'request', seq, command, arguments: args } as DebugProtocol.Request);
    // Launch answers after a promise settles; everything else answers at once.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    return this.out.slice(from).filter((m): m is DebugProtocol.Response => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq);
  }

  async launch(): Promise<void> {
    await this.send('initialize', { adapterID: 'cachescenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await this.send('configurationDone', {});
    const [r] = await this.send('launch', { program, stopOnEntry: true });
    assert.equal(r?.success, true, `launch failed: ${r?.message}`);
  }
}

const COMMANDS = [
  'setBreakpoints',
  'breakpointLocations',
  'stackTrace',
  'scopes',
  'variables',
  'evaluate',
  'threads',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'continue',
  'reverseContinue',
  'pause',
  'cacheScenario/position',
  'cacheScenario/inlineValues',
  'noSuchRequest',
  // Not supported: each is refused with a message.
  'goto',
  'restart',
  'setVariable',
  'completions',
  'attach',
  'setExceptionBreakpoints',
  // Ends the session: later moves are refused, everything else still answers.
  'terminate',
] as const;

/** Well-formed arguments per command, as a client would send them (the fuzz damages them). */
function wellFormed(command: string): Record<string, unknown> {
  switch (command) {
    case 'setBreakpoints':
      return { source: { path: program }, breakpoints: [{ line: 6, hitCondition: '>= 1' }, { line: 10, condition: 'lostWrites > 0' }, { line: 8, logMessage: 'queue {queue}' }] };
    case 'breakpointLocations':
      return { source: { path: program }, line: 1, endLine: 8 };
    case 'stackTrace':
      return { threadId: 1, startFrame: 0, levels: 20 };
    case 'scopes':
      return { frameId: 1 };
    case 'variables':
      return { variablesReference: 1 };
    case 'evaluate':
      return { expression: 'metric lostWrites', context: 'repl' };
    default:
      return { threadId: 1 };
  }
}

/** Replace the value at a random path inside `v` (or `v` itself) with `junk`. */
function damage(v: unknown, path: number[], junk: unknown): unknown {
  if (path.length === 0 || typeof v !== 'object' || v === null) return junk;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return junk;
  const [head = 0, ...rest] = path;
  const [key, inner] = entries[head % entries.length] as [string, unknown];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(v) ? [...(v as unknown[])] : { ...(v as Record<string, unknown>) };
  (copy as Record<string, unknown>)[key] = damage(inner, rest, junk);
  return copy;
}

const junkArb = fc.oneof(fc.constantFrom(null, undefined, '', 'x', -1, 0, 1.5, 1e300, 2n, [], {}, [null], { line: 'a' }), fc.anything({ withBigInt: true }));
const argsArb = (command: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(wellFormed(command)),
    fc.tuple(fc.array(fc.nat(5), { maxLength: 4 }), junkArb).map(([path, junk]) => damage(wellFormed(command), path, junk)),
    junkArb,
  );
const requestArb = fc.constantFrom(...COMMANDS).chain((command) => argsArb(command).map((args) => ({ command, args })));

/** What an exception's text looks like: a failure must say what was expected instead. */
const EXCEPTION = /TypeError|ReferenceError|RangeError|Cannot read propert|is not a function|is not iterable|\n\s+at /;

function checkAnswer(req: { command: string; args: unknown }, responses: DebugProtocol.Response[]): void {
  const show = `${req.command} ${fc.stringify(req.args).slice(0, 200)}`;
  assert.equal(responses.length, 1, `${show}: ${responses.length} responses`);
  const r = responses[0] as DebugProtocol.Response;
  if (r.success) return;
  const err = (r.body as { error?: DebugProtocol.Message } | undefined)?.error;
  assert.notEqual(err?.id, 1104, `${show}: the handler threw: ${r.message}`);
  assert.ok(typeof r.message === 'string' && r.message.length > 0, `${show}: a failure without a message`);
  assert.doesNotMatch(r.message, EXCEPTION, `${show}: ${r.message}`);
  const shown = String(err?.variables?._message ?? err?.format ?? '');
  assert.doesNotMatch(shown, EXCEPTION, `${show}: ${shown}`);
}

describe('debug adapter: requests with arguments of any shape', () => {
  it('before a scenario is loaded, every request gets one answer that is not an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestArb, { minLength: 1, maxLength: 8 }), async (requests) => {
        const wire = new Wire();
        for (const req of requests) checkAnswer(req, await wire.send(req.command, req.args));
      }),
      { numRuns: RUNS },
    );
  });

  it('while stepping, every request gets one answer that is not an exception, and the session keeps working', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestArb, { minLength: 1, maxLength: 12 }), async (requests) => {
        const wire = new Wire();
        await wire.launch();
        for (const req of requests) checkAnswer(req, await wire.send(req.command, req.args));
        // Still answering properly: well-formed requests succeed.
        const [bps] = await wire.send('setBreakpoints', wellFormed('setBreakpoints'));
        assert.equal(bps?.success, true);
        assert.equal((bps?.body as DebugProtocol.SetBreakpointsResponse['body']).breakpoints.length, 3);
        const [st] = await wire.send('stackTrace', { threadId: 1 });
        assert.equal(st?.success, true);
        const [ev] = await wire.send('evaluate', { expression: 'time' });
        assert.equal(ev?.success, true);
      }),
      { numRuns: RUNS },
    );
  });

  it('a refused setBreakpoints says what was expected and leaves the breakpoints as they were', async () => {
    const wire = new Wire();
    await wire.launch();
    const [set] = await wire.send('setBreakpoints', { source: { path: program }, breakpoints: [{ line: 8 }] });
    assert.deepEqual((set?.body as DebugProtocol.SetBreakpointsResponse['body']).breakpoints.map((b) => [b.line, b.verified]), [[8, true]]);
    const [bad] = await wire.send('setBreakpoints', { source: { path: program }, breakpoints: [{ line: 10, condition: 7 }] });
    assert.equal(bad?.success, false);
    assert.equal(bad?.message, `setBreakpoints: breakpoint 1's "condition" must be text, got 7`);
    // Continue from entry stops at line 8's breakpoint: the refused request removed nothing.
    const before = wire.stops().length;
    await wire.send('continue', { threadId: 1 });
    assert.equal(wire.stops()[before]?.body.reason, 'breakpoint');
    const [st] = await wire.send('stackTrace', { threadId: 1 });
    assert.equal((st?.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0]?.line, 8);
  });

  it('disposing the session while launch waits for configurationDone answers the launch at once and starts nothing', async () => {
    const wire = new Wire();
    await wire.send('initialize', { adapterID: 'cachescenario', pathFormat: 'path' });
    const t0 = Date.now();
    const launched = wire.send('launch', { program });
    wire.session.dispose();
    const [r] = await launched;
    assert.equal(r?.success, false);
    assert.equal(r?.message, 'launch: the session ended before configurationDone; nothing was started');
    assert.ok(Date.now() - t0 < 1000, 'answered by its 5 s timer');
    assert.deepEqual(wire.stops(), []);
  });

  it('checkSetBreakpointsArgs names the field and what it must be', () => {
    assert.deepEqual(checkSetBreakpointsArgs({ source: { path: '/a' }, lines: [3, 5] }), { path: '/a', breakpoints: [{ line: 3 }, { line: 5 }] });
    assert.deepEqual(checkSetBreakpointsArgs({ source: { path: '/a' }, breakpoints: [{ line: 0, condition: 'time > 0', hitCondition: '% 2', logMessage: 'at {time}' }] }), {
      path: '/a',
      breakpoints: [{ line: 0, condition: 'time > 0', hitCondition: '% 2', logMessage: 'at {time}' }],
    });
    assert.equal(checkSetBreakpointsArgs({ source: {}, breakpoints: [{ line: 2, hitCondition: 3 }] }), `setBreakpoints: breakpoint 1's "hitCondition" must be text, got 3`);
    assert.equal(checkSetBreakpointsArgs({ source: {}, breakpoints: [{ line: 2, logMessage: null }] }), `setBreakpoints: breakpoint 1's "logMessage" must be text, got null`);
    assert.deepEqual(checkSetBreakpointsArgs({ source: {} }), { path: undefined, breakpoints: [] });
    assert.equal(checkSetBreakpointsArgs(null), 'setBreakpoints: "source" must be the file, as { "path": "/path/to/file.cachescenario" }; got nothing');
    assert.equal(checkSetBreakpointsArgs({ source: { path: 5 } }), 'setBreakpoints: "source.path" must be text, got 5');
    assert.equal(
      checkSetBreakpointsArgs({ source: {}, breakpoints: 'x' }),
      'setBreakpoints: "breakpoints" must be a list of { "line": N, "condition"?: "...", "hitCondition"?: "...", "logMessage"?: "..." }, got "x"',
    );
    assert.equal(checkSetBreakpointsArgs({ source: {}, breakpoints: [{ line: 2 }, null] }), `setBreakpoints: breakpoint 2's "line" must be a whole number, got nothing`);
    assert.equal(checkSetBreakpointsArgs({ source: {}, lines: [1, 2.5] }), 'setBreakpoints: line 2 of "lines" must be a whole number, got 2.5');
  });
});
