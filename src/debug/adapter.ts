// The Debug Adapter Protocol session of the `cachescenario` debugger: each DAP request becomes one ScenarioRuntime
// call and each runtime event one DAP event. It runs inline in the extension host or standalone (tests).
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { BreakpointEvent, DebugSession, Event, InitializedEvent, OutputEvent, Response, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { described } from '../model/words';
import { didYouMean } from '../scenario/parser';
import { ANOMALY_FILTERS, ANOMALY_FILTER_NAMES, isAnomalyFilter, ScenarioRuntime } from './runtime';
import type { AnomalyFilter, BreakpointState, DataBreakpointState, RuntimeEvent, ScenarioPosition } from './runtime';

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
  /** Seed of the run, for anything random in it: a whole number from 0. Default 1. */
  seed?: number;
  /** Echo every trace step the debugger moves past to the Debug Console. Default false. */
  trace?: boolean;
  /** Set by VS Code for Run Without Debugging (Ctrl+F5): run to the end, write the verdicts, end the session. */
  noDebug?: boolean;
}

/** Custom requests and the custom event of this adapter (the workbench diagram and the inline values use them). */
export const CUSTOM = {
  /** Request: where the debugger stands; answers a ScenarioPosition. */
  position: 'cacheScenario/position',
  /** Request: inline values for the editor; answers `{ values: { line, text }[] }`. */
  inlineValues: 'cacheScenario/inlineValues',
  /**
   * Request: move straight to the trace step numbered `seq` (`{ "seq": 6 }`, the workbench diagram's step), forward or
   * back; it stops there with reason "goto". The Debug trace page's "Move the debugger here" sends it.
   */
  jumpToStep: 'cacheScenario/jumpToStep',
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
/** Requests that name a thread; any thread but THREAD_ID is refused. */
const THREAD_REQUESTS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'stackTrace', 'exceptionInfo', 'goto']);
/** Requests that move the debugger (or stop it where it is): refused once the session has ended. */
const MOVE_REQUESTS = new Set<string>(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'goto', CUSTOM.jumpToStep]);

/**
 * Requests of the protocol this debugger does not support (its capabilities do not advertise them), with why. The
 * library's default handlers answered each with success and did nothing; they are refused instead.
 */
const UNSUPPORTED: Record<string, string> = {
  attach: 'there is no running scenario to attach to; use "request": "launch" with "program" set to the .cachescenario file',
  restart: 'stop the session and start it again',
  restartFrame: 'use Reverse Continue, or Step Back',
  stepInTargets: 'Step Into goes one hop of the trace',
  setVariable: 'the recording is fixed: change the scenario and start the session again',
  setExpression: 'the recording is fixed: change the scenario and start the session again',
  completions: 'type "help" in the Debug Console for the expressions it understands',
  source: 'every source is the scenario file on disk',
  loadedSources: 'the only source is the scenario file',
  setFunctionBreakpoints: 'a scenario has no functions; set a breakpoint on a line',
  setInstructionBreakpoints: 'a scenario has no instructions; set a breakpoint on a line',
  terminateThreads: 'a scenario runs as one thread; stop the session instead',
  readMemory: 'a scenario has no memory to read',
  writeMemory: 'a scenario has no memory to write',
  disassemble: 'a scenario has no instructions',
  cancel: 'every request is answered at once',
};
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
  /** Set by the first successful initialize: the protocol allows one. */
  private initialized = false;
  /** Set when the launch starts the scenario, after configurationDone: moves before it are refused. */
  private started = false;
  /** Set by the first launch: a session debugs one scenario. */
  private launched = false;
  /** Set once the session has ended (terminate, disconnect, or a run without debugging done): moves are refused. */
  private ended = false;
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
        const path = e.path ?? this.program;
        if (e.line !== undefined && path) {
          ev.body.source = new Source(basename(path), this.convertDebuggerPathToClient(path));
          ev.body.line = this.convertDebuggerLineToClient(e.line);
        }
        this.sendEvent(ev);
        return;
      }
      case 'breakpoint':
        this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(e.breakpoint, e.path)));
        return;
      case 'dataBreakpoint':
        this.sendEvent(new BreakpointEvent('changed', toDapDataBreakpoint(e.breakpoint)));
        return;
      default: {
        const unhandled: never = e;
        throw new Error(`unhandled runtime event ${JSON.stringify(unhandled)}`);
      }
    }
  }

  // ---------------------------------------------------------------- requests off the wire

  /**
   * Every request passes here first. Checks what the library would trip over or wave through: initialize's
   * arguments (it reads them unchecked), the thread a request names, a move after the session ended, and the
   * requests this debugger does not support (the library answers those with success and does nothing).
   */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const response = new Response(request);
    const command = String(request.command);
    if (command === 'initialize') {
      // The protocol allows one initialize per session; a second would change how lines and columns are counted
      // under the breakpoints, frames and targets already given out.
      if (this.initialized) return this.fail(response, 'initialize: this session is initialized already; the protocol allows one initialize request per session (start another session instead)');
      const args: unknown = request.arguments;
      if (typeof args !== 'object' || args === null || Array.isArray(args)) {
        return this.fail(response, `initialize: the arguments must be an object, such as { "adapterID": "cachescenario", "linesStartAt1": true, "pathFormat": "path" }; got ${described(args)}`);
      }
      // The protocol's default path format is "path"; the library refuses a client that leaves it out, and one that
      // asks for URIs with a message that names neither the field nor the value.
      const f = args as Record<string, unknown>;
      if (f.pathFormat !== undefined && f.pathFormat !== 'path') {
        return this.fail(response, `initialize: "pathFormat" must be "path": the scenario debugger reads and reports file paths, not URIs; got ${described(f.pathFormat)}`);
      }
      if (f.pathFormat === undefined) request = { ...request, arguments: { ...f, pathFormat: 'path' } };
    } else if (command === 'launch' && !this.initialized) {
      // The protocol's first request is initialize: before it, how the client counts lines and columns is unknown, so
      // the launch's breakpoints, frames and stops would be given in the wrong terms. (Other requests before a launch
      // are refused as needing one.)
      return this.fail(response, 'launch: the session is not initialized yet: a client sends initialize first (with "linesStartAt1" and "columnsStartAt1"), then launch');
    }
    // Own keys only: `constructor`, `toString` or `__proto__` as a command would find what every object inherits.
    const why = Object.hasOwn(UNSUPPORTED, command) ? UNSUPPORTED[command] : undefined;
    if (why !== undefined) {
      return this.fail(response, `${command} is not supported by the scenario debugger: ${why}`);
    }
    if (THREAD_REQUESTS.has(command)) {
      const thread = fields(request.arguments).threadId;
      if (thread !== THREAD_ID) return this.fail(response, `${command}: "threadId" must be ${THREAD_ID}, the scenario's only thread; got ${described(thread)}`);
    }
    if (MOVE_REQUESTS.has(command) && this.ended) return this.fail(response, `${command}: the debug session has ended; start it again to step through the scenario`);
    // Loaded but not started: the launch waits for configurationDone, and a move now would run the scenario (writing
    // its verdicts, stopping) before the launch is answered, which then starts it again from entry.
    if (MOVE_REQUESTS.has(command) && this.runtime.recording && !this.started) {
      return this.fail(response, `${command}: the scenario has not started yet: it starts when the client sends configurationDone, after its breakpoints`);
    }
    super.dispatchRequest(request);
  }

  // ---------------------------------------------------------------- lifecycle

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsBreakpointLocationsRequest: true,
      supportsTerminateRequest: true,
      // What can go wrong in a run, as exception filters: checkboxes in the Breakpoints view, all off to begin with.
      exceptionBreakpointFilters: ANOMALY_FILTERS.map((f) => ({ filter: f.filter, label: f.label, description: f.description, default: false })),
      // setExceptionBreakpoints reads `filterOptions` (VS Code then sends the ticked filters there, none with a condition).
      supportsExceptionFilterOptions: true,
      supportsExceptionInfoRequest: true,
      // Break on Value Change on a row, a cache entry, a metric or a node's queue in the Variables view.
      supportsDataBreakpoints: true,
      // Jump to Cursor: straight to a line's step, forward or back.
      supportsGotoTargetsRequest: true,
    };
    this.initialized = true;
    this.sendResponse(response);
    // `initialized` comes after launch has loaded the scenario, so breakpoints arrive when they can be verified.
  }

  /**
   * The exception filters turned on: `filters` (names), or `filterOptions` (a name each, without a condition). Each
   * gets a breakpoint in the answer, in order: verified, or not with what was expected. The known ones are set.
   * `exceptionOptions` entries, not supported, are answered last, unverified.
   */
  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, raw: unknown): void {
    const args = fields(raw);
    const shape = 'such as { "filters": ["stale", "lost"] }';
    if (args.filters !== undefined && !Array.isArray(args.filters)) return this.fail(response, `setExceptionBreakpoints: "filters" must be a list of filter names, ${shape}; got ${described(args.filters)}`);
    if (args.filterOptions !== undefined && !Array.isArray(args.filterOptions)) {
      return this.fail(response, `setExceptionBreakpoints: "filterOptions" must be a list of { "filterId": name }, ${shape}; got ${described(args.filterOptions)}`);
    }
    const on: AnomalyFilter[] = [];
    const answer = (name: unknown, condition: unknown): DebugProtocol.Breakpoint => {
      if (typeof name !== 'string' || !isAnomalyFilter(name)) {
        const hint = typeof name === 'string' ? didYouMean(name, ANOMALY_FILTERS.map((f) => f.filter)) : undefined;
        return { verified: false, message: `unknown exception filter ${described(name)}: expected ${ANOMALY_FILTER_NAMES}${hint !== undefined ? `; did you mean "${hint}"?` : ''}` };
      }
      if (condition !== undefined && condition !== '') return { verified: false, message: `the "${name}" filter takes no condition: it stops at every ${name} anomaly; use a conditional line breakpoint to narrow it` };
      on.push(name);
      return { verified: true };
    };
    // The protocol has an adapter without `supportsExceptionOptions` leave `exceptionOptions` alone: the filters of the
    // request are still set, and each option is answered unverified, after the filters, saying what to use instead.
    const options = Array.isArray(args.exceptionOptions) ? (args.exceptionOptions as unknown[]) : [];
    const breakpoints = [
      ...((args.filters as unknown[] | undefined) ?? []).map((f) => answer(f, undefined)),
      ...((args.filterOptions as unknown[] | undefined) ?? []).map((o) => answer(fields(o).filterId, fields(o).condition)),
      ...options.map((): DebugProtocol.Breakpoint => ({ verified: false, message: `exceptionOptions are not supported: name the filters (${ANOMALY_FILTER_NAMES}) in "filters"` })),
    ];
    this.runtime.setAnomalyFilters(on);
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  /**
   * Whether a variable of the Variables view can be watched (VS Code asks before it offers Break on Value Change): a
   * dataId, or null with why not. Only variables are watched, not expressions typed in the Debug Console or Watch.
   */
  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, raw: unknown): void {
    if (!this.ready(response)) return;
    const args = fields(raw);
    if (typeof args.name !== 'string') return this.fail(response, `dataBreakpointInfo: "name" must be the variable's name, text; got ${described(args.name)}`);
    const ref = args.variablesReference;
    // `asAddress` (and `bytes`, a range from an address) come from a memory view; the client was told nothing of either.
    if (args.asAddress === true) {
      response.body = { dataId: null, description: 'a scenario has no memory addresses: right-click a row under Database, Cache, Write-behind queue or Metrics in the Variables view' };
      return this.sendResponse(response);
    }
    if (ref === undefined || ref === 0) {
      response.body = { dataId: null, description: 'only variables can be watched: right-click a row under Database, Cache, Write-behind queue or Metrics in the Variables view' };
      return this.sendResponse(response);
    }
    const problem = notWhole(ref, '"variablesReference"', 1);
    if (problem !== undefined) return this.fail(response, `dataBreakpointInfo: ${problem}`);
    const parent = this.paths[(ref as number) - 1];
    if (parent === undefined) return this.fail(response, `dataBreakpointInfo: ${ref as number} is not a variablesReference this session gave out`);
    const info = this.runtime.dataBreakpointInfo(parent, args.name);
    response.body = info.dataId === null ? { dataId: null, description: info.description } : { dataId: info.dataId, description: info.description, accessTypes: ['write'], canPersist: true };
    this.sendResponse(response);
  }

  /** Replaces the data breakpoints; each is answered verified, or not with what was expected. */
  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, raw: unknown): void {
    const list = fields(raw).breakpoints;
    if (!Array.isArray(list)) return this.fail(response, `setDataBreakpoints: "breakpoints" must be a list, such as [{ "dataId": "..." }] from dataBreakpointInfo; got ${described(list)}`);
    const specs = [];
    for (const [i, item] of list.entries()) {
      const b = fields(item);
      if (typeof b.dataId !== 'string') return this.fail(response, `setDataBreakpoints: breakpoint ${i + 1}'s "dataId" must be text from dataBreakpointInfo; got ${described(b.dataId)}`);
      const problem = notText(b.condition, `breakpoint ${i + 1}'s "condition"`) ?? notText(b.hitCondition, `breakpoint ${i + 1}'s "hitCondition"`) ?? notText(b.accessType, `breakpoint ${i + 1}'s "accessType"`);
      if (problem !== undefined) return this.fail(response, `setDataBreakpoints: ${problem}`);
      specs.push({ dataId: b.dataId, condition: b.condition as string | undefined, hitCondition: b.hitCondition as string | undefined, accessType: b.accessType as string | undefined });
    }
    response.body = { breakpoints: this.runtime.setDataBreakpoints(specs).map(toDapDataBreakpoint) };
    this.sendResponse(response);
  }

  /** What happened at the current position, when it is an anomaly (a stop with reason "exception" is one). */
  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    if (!this.ready(response)) return;
    const info = this.runtime.anomalyInfo();
    if (info === undefined) {
      // The answer points the way to an anomaly: none in the run, only behind (the end of the trace, or past the last
      // one), or ahead.
      const anomalies = this.runtime.anomalyPositions();
      if (anomalies.length === 0) return this.fail(response, 'exceptionInfo: nothing goes wrong in this run: no stale read, lost write, error or failed expectation');
      const here = this.runtime.currentIndex;
      if (this.runtime.atEnd) {
        return this.fail(response, `exceptionInfo: the end of the trace shows no anomaly; with an exception filter (${ANOMALY_FILTER_NAMES}) on, Reverse Continue goes back to the last one`);
      }
      if (!anomalies.some((i) => i > here)) {
        return this.fail(response, `exceptionInfo: nothing went wrong at this position, nor does anything after it; with an exception filter (${ANOMALY_FILTER_NAMES}) on, Reverse Continue goes back to the last anomaly`);
      }
      const where = here < 0 ? 'on entry nothing has run yet, so nothing has gone wrong' : 'nothing went wrong at this position';
      return this.fail(response, `exceptionInfo: ${where}; turn on an exception filter (${ANOMALY_FILTER_NAMES}) in the Breakpoints view and Continue to stop where something does`);
    }
    response.body = { exceptionId: info.exceptionId, description: info.description, breakMode: 'always', details: { message: info.description, typeName: info.filter, stackTrace: info.details } };
    this.sendResponse(response);
  }

  /** Stop (Shift+F5): the session ends at once; VS Code disconnects next. */
  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.end();
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.ended = true;
    this.releaseLaunch();
    super.disconnectRequest(response, args, request);
  }

  /**
   * VS Code disposes an inline adapter when its session is gone, normally after disconnect; without one (a client that
   * vanished), a launch still waiting for `configurationDone` is answered now rather than by its timer, 5 s later.
   */
  override dispose(): void {
    this.ended = true;
    this.releaseLaunch();
    super.dispose();
  }

  /** Ends the session: moves are refused from now on, and the client hears `terminated` (once). */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.sendEvent(new TerminatedEvent());
    this.releaseLaunch();
  }

  /** A launch still waiting for `configurationDone` stops waiting (and its timer with it): the session has ended. */
  private releaseLaunch(): void {
    const release = this.whenConfigured;
    this.whenConfigured = undefined;
    release?.();
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured = true;
    this.releaseLaunch();
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments | undefined): void {
    // A client may send no arguments at all; anything thrown becomes the launch's error, never a crashed adapter.
    this.launch(response, (args ?? {}) as Partial<CacheScenarioLaunchArgs>).catch((e: unknown) => this.fail(response, `the scenario debugger failed to start: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async launch(response: DebugProtocol.LaunchResponse, args: Partial<CacheScenarioLaunchArgs>): Promise<void> {
    if (this.launched) {
      const what = this.program === undefined ? 'a scenario' : this.program;
      return this.fail(response, `this debug session already steps through ${what}; a session debugs one scenario: start another session for another`);
    }
    if (this.ended) return this.fail(response, 'the debug session has ended');
    const problem = checkLaunchArgs(args);
    if (problem || args.program === undefined) return this.fail(response, problem ?? 'no program');
    // A misspelt attribute (`stopOnentry`) would otherwise be dropped without a word.
    for (const warning of unknownLaunchAttributes(args)) this.sendEvent(new OutputEvent(`launch: ${warning}\n`, 'stderr'));
    const program = resolve(args.program);
    let text: string;
    try {
      text = this.readSource(program);
    } catch (e) {
      // A relative path is taken from the adapter's working directory, which the user never chose: say so.
      const relative = isAbsolute(args.program) ? '' : `; "program" ${JSON.stringify(args.program)} is relative, so it was looked for in ${process.cwd()}: give an absolute path, such as "\${workspaceFolder}/${args.program}"`;
      return this.fail(response, `${program}:1:1: cannot read the scenario (${e instanceof Error ? e.message : String(e)})${relative}`);
    }
    this.launched = true;
    this.program = program;
    const noDebug = args.noDebug === true;
    const loaded = this.runtime.load({ program, text, seed: args.seed, trace: args.trace, noDebug });
    if (!loaded.ok) {
      this.launched = false;
      this.program = undefined;
      return this.fail(response, loaded.message);
    }
    this.sendEvent(new InitializedEvent());
    await this.configurationDone();
    // Stopped or disconnected while waiting: answer the launch now, and start nothing.
    if (this.ended) {
      return this.sendErrorResponse(response, { id: 1001, format: '{_message}', variables: { _message: 'launch: the session ended before configurationDone; nothing was started' }, showUser: false });
    }
    this.started = true;
    this.sendResponse(response);
    if (!noDebug) return this.runtime.start(args.stopOnEntry ?? true);
    // Run Without Debugging: the run is over already; say how it went and end the session.
    this.runtime.report();
    this.end();
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
    this.fail(response, `${response.command}: no scenario is loaded yet; it needs a launch request first, with "program" set to the .cachescenario file`);
    return false;
  }

  // ---------------------------------------------------------------- breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, raw: unknown): void {
    // Arguments come off the wire unchecked: a malformed request is refused with what was expected, and the
    // breakpoints already set stay as they were.
    const args = checkSetBreakpointsArgs(raw);
    if (typeof args === 'string') return this.fail(response, args);
    const path = args.path === undefined ? '' : resolve(this.convertClientPathToDebugger(args.path));
    const specs = args.breakpoints.map((b) => ({ ...b, line: this.convertClientLineToDebugger(b.line) }));
    const states = this.runtime.setBreakpoints(path, specs);
    response.body = { breakpoints: states.map((s) => this.toDapBreakpoint(s, path)) };
    this.sendResponse(response);
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, raw: unknown): void {
    const args = fields(raw);
    const source = fields(args.source);
    const problem = notText(source.path, '"source.path"') ?? notWhole(args.line, '"line"', 0, true) ?? notWhole(args.endLine, '"endLine"', 0);
    if (problem !== undefined) return this.fail(response, `breakpointLocations: ${problem}`);
    const path = typeof source.path === 'string' ? resolve(this.convertClientPathToDebugger(source.path)) : '';
    const line = args.line as number;
    const from = this.convertClientLineToDebugger(line);
    const to = this.convertClientLineToDebugger(typeof args.endLine === 'number' ? args.endLine : line);
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
    // The protocol requires a body here; the one thread is the whole scenario, so everything continued.
    response.body = { allThreadsContinued: true };
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
    // Nothing ever runs in the background: every move ends in a stop before its response is read, so pausing stops
    // again where the debugger stands (reason "pause").
    this.move(response, () => this.runtime.pause());
  }

  /** Jump to Cursor asks where a line can be jumped to: each visit of the line, in the order they happen. */
  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, raw: unknown): void {
    if (!this.ready(response)) return;
    const args = fields(raw);
    const path = fields(args.source).path;
    if (typeof path !== 'string') return this.fail(response, `gotoTargets: "source" must name the scenario's file in "path", such as { "path": "${this.program ?? ''}" }; got ${described(args.source)}`);
    if (this.program !== undefined && resolve(this.convertClientPathToDebugger(path)) !== resolve(this.program)) {
      // Said to the learner (Jump to Cursor in another scenario's editor): in words, without the request's name.
      return this.fail(response, `Jump to Cursor: only ${basename(this.program)} is being debugged; jump within it`);
    }
    // The first line is 1, or 0 for a client that counts lines from 0 (initialize's `linesStartAt1`).
    const problem = notWhole(args.line, '"line"', this.convertDebuggerLineToClient(1), true);
    if (problem !== undefined) return this.fail(response, `gotoTargets: ${problem}`);
    const r = this.runtime.gotoTargets(this.convertClientLineToDebugger(args.line as number));
    // Said to the learner (Jump to Cursor on a comment or a setting), who never typed "gotoTargets".
    if (!r.ok) return this.fail(response, `Jump to Cursor: ${r.message}`);
    response.body = { targets: r.targets.map((t) => ({ id: t.id, label: t.label, line: this.convertDebuggerLineToClient(t.line) })) };
    this.sendResponse(response);
  }

  /** Jump to Cursor: the debugger moves straight to the target, forward or back, and stops there (reason "goto"). */
  protected override gotoRequest(response: DebugProtocol.GotoResponse, raw: unknown): void {
    if (!this.ready(response)) return;
    const id = fields(raw).targetId;
    const problem = notWhole(id, '"targetId"', 1, true);
    if (problem !== undefined) return this.fail(response, `goto: ${problem}`);
    if (!this.runtime.isGotoTarget(id as number)) return this.fail(response, `goto: ${id as number} is not a target gotoTargets gave out; ask gotoTargets for the line first`);
    this.move(response, () => this.runtime.goto(id as number));
  }

  /** The response goes first, then the runtime's stop, as clients expect. */
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

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, raw: unknown): void {
    if (!this.ready(response)) return;
    const args = fields(raw);
    const problem = notWhole(args.startFrame, '"startFrame"', 0) ?? notWhole(args.levels, '"levels"', 0);
    if (problem !== undefined) return this.fail(response, `stackTrace: ${problem}`);
    const frames = this.runtime.frames();
    const start = typeof args.startFrame === 'number' ? args.startFrame : 0;
    const count = typeof args.levels === 'number' && args.levels > 0 ? args.levels : frames.length;
    const source = this.source();
    response.body = {
      stackFrames: frames.slice(start, start + count).map((f, i) => new StackFrame(start + i + 1, f.name, source, this.convertDebuggerLineToClient(f.line), this.convertDebuggerColumnToClient(1))),
      totalFrames: frames.length,
    };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, raw: unknown): void {
    if (!this.ready(response)) return;
    // Every frame shows the same state, but a frame the stack does not have is a client's mistake worth naming.
    const frameId = fields(raw).frameId;
    const problem = notWhole(frameId, '"frameId"', 1, true);
    if (problem !== undefined) return this.fail(response, `scopes: ${problem}`);
    const count = this.runtime.frames().length;
    if ((frameId as number) > count) {
      const frames = count === 1 ? '1 frame (id 1)' : `${count} frames (ids 1 to ${count})`;
      return this.fail(response, `scopes: there is no frame ${frameId as number}: the call stack has ${frames}; ask stackTrace again after each stop`);
    }
    response.body = { scopes: this.runtime.scopes().map((s) => new Scope(s.name, this.handle(s.path), false)) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, raw: unknown): void {
    if (!this.ready(response)) return;
    const ref = fields(raw).variablesReference;
    const problem = notWhole(ref, '"variablesReference"', 0, true);
    if (problem !== undefined) return this.fail(response, `variables: ${problem}`);
    if (ref === 0) return this.fail(response, 'variables: reference 0 means "no children"; expand a scope or a variable whose variablesReference is above 0');
    // Handles never change meaning: one given out earlier lists what its path holds now (nothing, once a step removed
    // it); one never given out is a mistake, and says so.
    const path = this.paths[(ref as number) - 1];
    if (path === undefined) {
      return this.fail(response, `variables: ${ref as number} is not a variablesReference this session gave out (they come from scopes, variables and evaluate; ${this.paths.length} so far)`);
    }
    const vars = this.runtime.variables(path);
    response.body = {
      variables: vars.map((v) => {
        const out: DebugProtocol.Variable = { name: v.name, value: v.value, variablesReference: v.path ? this.handle(v.path) : 0 };
        if (v.type !== undefined) out.type = v.type;
        if (v.evaluateName !== undefined) out.evaluateName = v.evaluateName;
        return out;
      }),
    };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, raw: unknown): void {
    if (!this.ready(response)) return;
    const expression = fields(raw).expression;
    if (typeof expression !== 'string') return this.fail(response, `evaluate: "expression" must be text, such as db product:1 or lostWrites > 0; got ${described(expression)}`);
    const r = this.runtime.evaluate(expression);
    // Shown where it was asked (the Debug Console, a watch, a hover), not as a notification too: a hover or a watch
    // that cannot be evaluated is no reason to interrupt. The Debug Console gets the problem and the list of
    // expressions; a Watch row (one line, cut at its edge), a hover or a copy gets the problem and where the list is.
    if (!r.ok) {
      const context = fields(raw).context;
      const repl = context === undefined || context === 'repl';
      const message = repl ? r.message : `${firstLine(r.message)} (help in the Debug Console lists the expressions)`;
      return this.sendErrorResponse(response, { id: 1001, format: '{_message}', variables: { _message: message }, showUser: false });
    }
    response.body = { result: r.result, variablesReference: r.path ? this.handle(r.path) : 0 };
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    switch (command) {
      case CUSTOM.jumpToStep: {
        if (!this.ready(response)) return;
        const seq = fields(args).seq;
        const problem = notWhole(seq, '"seq"', 1, true);
        if (problem !== undefined) return this.fail(response, `${command}: ${problem}`);
        const total = this.runtime.recording?.result.steps.length ?? 0;
        if (!this.runtime.canJumpToStep(seq as number)) {
          return this.fail(response, `${command}: the trace has no step ${seq as number}: ${total === 0 ? 'this run recorded no steps' : `its steps are numbered 1 to ${total}`}`);
        }
        return this.move(response, () => this.runtime.jumpToStep(seq as number));
      }
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
        // The library answers "unrecognized request" for telemetry only, naming nothing; say which request and what is known.
        this.sendErrorResponse(response, {
          id: 1014,
          format: '{_message}',
          variables: { _message: `${described(command)} is not a request the scenario debugger knows: it answers the protocol's requests its capabilities name, and its own ${CUSTOM.position}, ${CUSTOM.inlineValues} and ${CUSTOM.jumpToStep}` },
          showUser: false,
        });
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

/**
 * Every launch attribute the adapter reads (the Record fails to compile when CacheScenarioLaunchArgs gains or loses
 * one), with the two the protocol itself defines: `noDebug`, and `__restart`, which a restart passes back unread.
 */
const LAUNCH_ATTRIBUTES: Record<keyof CacheScenarioLaunchArgs, true> = { program: true, stopOnEntry: true, seed: true, trace: true, noDebug: true, __restart: true };

/**
 * Attributes VS Code puts in or lets into every debug configuration, whatever the debugger (its launch.json schema
 * adds them to each one); names starting `__` are its own bookkeeping (`__sessionId`, `__configurationTarget`).
 * `serverReadyAction` comes from VS Code's built-in Server Ready extension, which adds it to every debugger's launch
 * schema (a `debuggers` entry of type "*") and acts on it itself, watching the session's output.
 */
const CLIENT_ATTRIBUTES = new Set(['type', 'request', 'name', 'debugServer', 'preLaunchTask', 'postDebugTask', 'internalConsoleOptions', 'presentation', 'suppressMultipleSessionWarning', 'windows', 'osx', 'linux', 'serverReadyAction']);

/**
 * The launch arguments this debugger does not know, each as a warning in words (`"stopOnentry" is not ...; did you
 * mean "stopOnEntry"?`). They are ignored, not refused: other clients may add attributes of their own.
 */
export function unknownLaunchAttributes(args: object): string[] {
  const known = Object.keys(LAUNCH_ATTRIBUTES).filter((k) => !k.startsWith('__'));
  const out: string[] = [];
  for (const name of Object.keys(args)) {
    // Own keys only: `in` would also find what every object inherits (`constructor`, `toString`).
    if (Object.hasOwn(LAUNCH_ATTRIBUTES, name) || CLIENT_ATTRIBUTES.has(name) || name.startsWith('__')) continue;
    const hint = didYouMean(name, known);
    out.push(`"${name}" is not a launch attribute of the scenario debugger and is ignored${hint ? `; did you mean "${hint}"?` : '.'} It reads ${known.map((k) => `"${k}"`).join(', ')}.`);
  }
  return out;
}

/** What is wrong with launch arguments, in words, or undefined. */
export function checkLaunchArgs(args: Partial<CacheScenarioLaunchArgs>): string | undefined {
  const program: unknown = args.program;
  if (program !== undefined && typeof program !== 'string') return `"program" must be the path of the .cachescenario file to step through, as text; got ${described(program)}`;
  if (program === undefined || program.trim() === '') {
    return `the launch configuration needs "program": the path of the .cachescenario file to step through${program === undefined ? '' : `; got ${described(program)}`}`;
  }
  if (args.seed !== undefined && (!Number.isSafeInteger(args.seed) || args.seed < 0)) return `"seed" must be a whole number from 0, got ${described(args.seed)}`;
  if (args.stopOnEntry !== undefined && typeof args.stopOnEntry !== 'boolean') return '"stopOnEntry" must be true or false';
  if (args.trace !== undefined && typeof args.trace !== 'boolean') return '"trace" must be true or false';
  if (args.noDebug !== undefined && typeof args.noDebug !== 'boolean') return '"noDebug" must be true or false';
  return undefined;
}

// ---------------------------------------------------------------- request arguments off the wire

/** The fields of a request's arguments: an object's own, or none when it is anything else (null, a string, a list). */
function fields(args: unknown): Record<string, unknown> {
  return typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

/** What is wrong with `v` as a whole number from `min` (`name` says which field), or undefined; absent is fine unless `required`. */
function notWhole(v: unknown, name: string, min: number, required = false): string | undefined {
  if (v === undefined && !required) return undefined;
  return Number.isSafeInteger(v) && (v as number) >= min ? undefined : `${name} must be a whole number from ${min}, got ${described(v)}`;
}

/** What is wrong with `v` as a whole number of either sign (`name` says which field), or undefined. */
function notInteger(v: unknown, name: string): string | undefined {
  return Number.isSafeInteger(v) ? undefined : `${name} must be a whole number, got ${described(v)}`;
}

/** A data breakpoint's answer as the protocol has it: its id, whether it is verified, and why not. */
function toDapDataBreakpoint(b: DataBreakpointState): DebugProtocol.Breakpoint {
  return b.message === undefined ? { id: b.id, verified: b.verified } : { id: b.id, verified: b.verified, message: b.message };
}

/** What is wrong with `v` as optional text, or undefined. */
function notText(v: unknown, name: string): string | undefined {
  return v === undefined || typeof v === 'string' ? undefined : `${name} must be text, got ${described(v)}`;
}

/** setBreakpoints' arguments, checked: the source's path and the breakpoints (from `breakpoints`, or the older `lines`). */
export interface BreakpointsRequest {
  path: string | undefined;
  breakpoints: { line: number; condition?: string; hitCondition?: string; logMessage?: string }[];
}

/** Checks setBreakpoints' arguments as they came off the wire: the request, or what is wrong with it, in words. */
export function checkSetBreakpointsArgs(raw: unknown): BreakpointsRequest | string {
  const args = fields(raw);
  const bad = (what: string): string => `setBreakpoints: ${what}`;
  const source = fields(args.source);
  if (source !== args.source) return bad(`"source" must be the file, as { "path": "/path/to/file.cachescenario" }; got ${described(args.source)}`);
  const pathProblem = notText(source.path, '"source.path"');
  if (pathProblem !== undefined) return bad(pathProblem);
  const path = source.path as string | undefined;
  if (args.breakpoints !== undefined) {
    if (!Array.isArray(args.breakpoints)) {
      return bad(`"breakpoints" must be a list of { "line": N, "condition"?: "...", "hitCondition"?: "...", "logMessage"?: "..." }, got ${described(args.breakpoints)}`);
    }
    const breakpoints: BreakpointsRequest['breakpoints'] = [];
    for (const [i, b] of (args.breakpoints as unknown[]).entries()) {
      const f = fields(b);
      const which = `breakpoint ${i + 1}'s`;
      const problem =
        notInteger(f.line, `${which} "line"`) ?? notText(f.condition, `${which} "condition"`) ?? notText(f.hitCondition, `${which} "hitCondition"`) ?? notText(f.logMessage, `${which} "logMessage"`);
      if (problem !== undefined) return bad(problem);
      // A line below 1 is a breakpoint the runtime reports unverified, saying why; the request itself is fine.
      const spec: BreakpointsRequest['breakpoints'][number] = { line: f.line as number };
      if (typeof f.condition === 'string') spec.condition = f.condition;
      if (typeof f.hitCondition === 'string') spec.hitCondition = f.hitCondition;
      if (typeof f.logMessage === 'string') spec.logMessage = f.logMessage;
      breakpoints.push(spec);
    }
    return { path, breakpoints };
  }
  if (args.lines !== undefined) {
    if (!Array.isArray(args.lines)) return bad(`"lines" must be a list of line numbers, got ${described(args.lines)}`);
    const lines = args.lines as unknown[];
    for (const [i, l] of lines.entries()) {
      const problem = notInteger(l, `line ${i + 1} of "lines"`);
      if (problem !== undefined) return bad(problem);
    }
    return { path, breakpoints: lines.map((l) => ({ line: l as number })) };
  }
  return { path, breakpoints: [] };
}

/** The first line of a message (the runtime's evaluate errors end with the list of expressions). */
function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}
