// The Debug Adapter Protocol session of the `cachescenario` debugger: each DAP request becomes one ScenarioRuntime
// call and each runtime event one DAP event. It runs inline in the extension host or standalone (tests).
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { BreakpointEvent, DebugSession, Event, InitializedEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ScenarioRuntime } from './runtime';
import type { BreakpointState, RuntimeEvent, ScenarioPosition } from './runtime';

/**
 * Launch arguments of a `cachescenario` debug configuration. They mirror
 * `contributes.debuggers[type=cachescenario].configurationAttributes.launch` in package.json (docs/debugger-contributions.json
 * holds the entry): change the two together.
 */
export interface CacheScenarioLaunchArgs extends DebugProtocol.LaunchRequestArguments {
  /** Absolute path of the `.cachescenario` file to step through. */
  program: string;
  /** Stop before the first step runs. Default true. */
  stopOnEntry?: boolean;
  /** Seed of the run, for anything random in it. Default 1. */
  seed?: number;
  /** Echo every trace step the debugger moves past to the Debug Console. Default false. */
  trace?: boolean;
}

/** Custom requests and the custom event of this adapter (the workbench diagram and the inline values use them). */
export const CUSTOM = {
  /** Request: where the debugger stands; answers a ScenarioPosition. */
  position: 'cacheScenario/position',
  /** Request: inline values for the editor; answers `{ values: { line, text }[] }`. */
  inlineValues: 'cacheScenario/inlineValues',
  /** Event sent on every stop, with a ScenarioPosition as its body. */
  step: 'cacheScenario/step',
} as const;

export interface InlineValuesBody {
  values: { line: number; text: string }[];
}

/** Reads a scenario's text; the inline adapter prefers an open editor's unsaved text. */
export type SourceReader = (path: string) => string;

/** The single thread: a scenario is one timeline, whatever clients it names. */
const THREAD_ID = 1;
/** How long launch waits for `configurationDone` before it starts anyway. */
const CONFIGURATION_TIMEOUT_MS = 5000;

const readFromDisk: SourceReader = (path) => readFileSync(path, 'utf8');

export class CacheScenarioSession extends DebugSession {
  private readonly runtime = new ScenarioRuntime((e) => this.onRuntimeEvent(e));
  private program: string | undefined;
  /** Variable references: one stable number per path into the state, so the same row keeps its handle while stepping. */
  private readonly handles = new Map<string, number>();
  private readonly paths: string[][] = [];
  private configured = false;
  private whenConfigured: (() => void) | undefined;
  /** Replaced by the inline factory to read unsaved editors. */
  readSource: SourceReader = readFromDisk;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---------------------------------------------------------------- runtime events -> DAP events

  private onRuntimeEvent(e: RuntimeEvent): void {
    switch (e.type) {
      case 'stopped': {
        const ev = new StoppedEvent(e.reason, THREAD_ID) as DebugProtocol.StoppedEvent;
        ev.body.description = e.description;
        ev.body.text = e.text;
        ev.body.allThreadsStopped = true;
        if (e.hitBreakpointIds.length > 0) ev.body.hitBreakpointIds = e.hitBreakpointIds;
        this.sendEvent(ev);
        return;
      }
      case 'position':
        this.sendEvent(new Event(CUSTOM.step, e.position));
        return;
      case 'output': {
        const ev = new OutputEvent(e.text, e.category) as DebugProtocol.OutputEvent;
        if (e.line !== undefined && this.program !== undefined) {
          ev.body.source = this.source();
          ev.body.line = this.convertDebuggerLineToClient(e.line);
        }
        this.sendEvent(ev);
        return;
      }
      case 'breakpoint':
        this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(e.breakpoint)));
        return;
      case 'terminated':
        this.sendEvent(new TerminatedEvent());
        return;
      default: {
        const unhandled: never = e;
        throw new Error(`unhandled runtime event ${JSON.stringify(unhandled)}`);
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsConditionalBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsBreakpointLocationsRequest: true,
    };
    this.sendResponse(response);
    // `initialized` comes after launch has loaded the scenario, so breakpoints arrive when they can be verified.
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured = true;
    this.whenConfigured?.();
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments | undefined): void {
    // A client may send no arguments at all; anything thrown becomes the launch's error, never a crashed adapter.
    this.launch(response, (args ?? {}) as Partial<CacheScenarioLaunchArgs>).catch((e: unknown) => this.fail(response, `the scenario debugger failed to start: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async launch(response: DebugProtocol.LaunchResponse, args: Partial<CacheScenarioLaunchArgs>): Promise<void> {
    const problem = checkLaunchArgs(args);
    if (problem || args.program === undefined) return this.fail(response, problem ?? 'no program');
    const program = resolve(args.program);
    let text: string;
    try {
      text = this.readSource(program);
    } catch (e) {
      return this.fail(response, `${program}:1:1: cannot read the scenario (${e instanceof Error ? e.message : String(e)})`);
    }
    this.program = program;
    const loaded = this.runtime.load({ program, text, seed: args.seed, trace: args.trace });
    if (!loaded.ok) return this.fail(response, loaded.message);
    this.sendEvent(new InitializedEvent());
    await this.configurationDone();
    this.sendResponse(response);
    this.runtime.start(args.stopOnEntry ?? true);
  }

  private configurationDone(): Promise<void> {
    if (this.configured) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(done, CONFIGURATION_TIMEOUT_MS);
      this.whenConfigured = () => {
        clearTimeout(timer);
        done();
      };
    });
  }

  /** Fails a request with a message shown to the user as is (the `_` variable keeps braces in JSON intact). */
  private fail(response: DebugProtocol.Response, message: string): void {
    this.sendErrorResponse(response, { id: 1001, format: '{_message}', variables: { _message: message }, showUser: true });
  }

  private ready(response: DebugProtocol.Response): boolean {
    if (this.runtime.recording) return true;
    this.fail(response, 'no scenario is loaded');
    return false;
  }

  // ---------------------------------------------------------------- breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args.source.path === undefined ? '' : resolve(this.convertClientPathToDebugger(args.source.path));
    const requested: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? args.lines?.map((line) => ({ line })) ?? [];
    const specs = requested.map((b) => ({ line: this.convertClientLineToDebugger(b.line), condition: b.condition }));
    const states = this.runtime.setBreakpoints(path, specs);
    response.body = { breakpoints: states.map((s) => this.toDapBreakpoint(s, path)) };
    this.sendResponse(response);
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    const path = args.source.path === undefined ? '' : resolve(this.convertClientPathToDebugger(args.source.path));
    const from = this.convertClientLineToDebugger(args.line);
    const to = this.convertClientLineToDebugger(args.endLine ?? args.line);
    const lines = this.runtime.recording && path === this.program ? this.runtime.stopLines().filter((l) => l >= from && l <= to) : [];
    response.body = { breakpoints: lines.map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
    this.sendResponse(response);
  }

  private toDapBreakpoint(s: BreakpointState, path = this.program): DebugProtocol.Breakpoint {
    const bp: DebugProtocol.Breakpoint = { id: s.id, verified: s.verified, line: this.convertDebuggerLineToClient(s.line) };
    if (s.message !== undefined) bp.message = s.message;
    if (path) bp.source = new Source(basename(path), this.convertDebuggerPathToClient(path));
    return bp;
  }

  // ---------------------------------------------------------------- moving

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.move(response, () => this.runtime.continue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.move(response, () => this.runtime.next());
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.move(response, () => this.runtime.stepIn());
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.move(response, () => this.runtime.stepOut());
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.move(response, () => this.runtime.stepBack());
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.move(response, () => this.runtime.reverseContinue());
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    // Nothing ever runs in the background: every move ends in a stop before its response is read.
    this.sendResponse(response);
  }

  /** The response goes first, then the runtime's stop (or termination), as clients expect. */
  private move(response: DebugProtocol.Response, action: () => void): void {
    if (!this.ready(response)) return;
    this.sendResponse(response);
    action();
  }

  // ---------------------------------------------------------------- inspecting

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const strategy = this.runtime.recording?.result.strategy;
    response.body = { threads: [new Thread(THREAD_ID, strategy ? `scenario (${strategy})` : 'scenario')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    if (!this.ready(response)) return;
    const frames = this.runtime.frames();
    const start = args.startFrame ?? 0;
    const count = args.levels && args.levels > 0 ? args.levels : frames.length;
    const source = this.source();
    response.body = {
      stackFrames: frames.slice(start, start + count).map((f, i) => new StackFrame(start + i + 1, f.name, source, this.convertDebuggerLineToClient(f.line), this.convertDebuggerColumnToClient(1))),
      totalFrames: frames.length,
    };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    if (!this.ready(response)) return;
    response.body = { scopes: this.runtime.scopes().map((s) => new Scope(s.name, this.handle(s.path), false)) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    if (!this.ready(response)) return;
    const path = this.paths[args.variablesReference - 1];
    const vars = path ? this.runtime.variables(path) : [];
    response.body = {
      variables: vars.map((v) => {
        const out: DebugProtocol.Variable = { name: v.name, value: v.value, variablesReference: v.path ? this.handle(v.path) : 0 };
        if (v.type !== undefined) out.type = v.type;
        return out;
      }),
    };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    if (!this.ready(response)) return;
    const r = this.runtime.evaluate(args.expression);
    if (!r.ok) return this.fail(response, r.message);
    response.body = { result: r.result, variablesReference: r.path ? this.handle(r.path) : 0 };
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    switch (command) {
      case CUSTOM.position: {
        if (!this.ready(response)) return;
        const body: ScenarioPosition = this.runtime.position();
        response.body = body;
        this.sendResponse(response);
        return;
      }
      case CUSTOM.inlineValues: {
        if (!this.ready(response)) return;
        const body: InlineValuesBody = { values: this.runtime.inlineValues() };
        response.body = body;
        this.sendResponse(response);
        return;
      }
      default:
        super.customRequest(command, response, args);
    }
  }

  // ---------------------------------------------------------------- helpers

  private source(): Source {
    const program = this.program ?? '';
    return new Source(basename(program), this.convertDebuggerPathToClient(program));
  }

  private handle(path: string[]): number {
    const key = JSON.stringify(path);
    let h = this.handles.get(key);
    if (h === undefined) {
      this.paths.push(path);
      h = this.paths.length;
      this.handles.set(key, h);
    }
    return h;
  }
}

/** What is wrong with launch arguments, in words, or undefined. */
export function checkLaunchArgs(args: Partial<CacheScenarioLaunchArgs>): string | undefined {
  if (typeof args.program !== 'string' || args.program.trim() === '') {
    return 'the launch configuration needs "program": the path of the .cachescenario file to step through';
  }
  if (args.seed !== undefined && !Number.isSafeInteger(args.seed)) return `"seed" must be a whole number, got ${JSON.stringify(args.seed)}`;
  if (args.stopOnEntry !== undefined && typeof args.stopOnEntry !== 'boolean') return '"stopOnEntry" must be true or false';
  if (args.trace !== undefined && typeof args.trace !== 'boolean') return '"trace" must be true or false';
  return undefined;
}
