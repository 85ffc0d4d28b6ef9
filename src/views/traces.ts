// Pure: which bundled scenario demonstrates each (strategy, diagram variant), and a cache of their runs as traces.
// File access comes in as a function, so the extension, the tests and a CLI can all use it without vscode.
import type { DiagramVariant } from '../lesson/sections';
import type { Strategy } from '../model/types';
import { plural } from '../model/words';
import { parseScenario } from '../scenario/parser';
import { runProgram } from '../scenario/runner';
import type { HostMessage, TraceResult } from './protocol';

/** The extension's answer to `diagram/request` and `snippet/run`. */
export type DiagramTraceMessage = Extract<HostMessage, { type: 'diagram/trace' }>;

/** The scenario behind each diagram the lesson can draw, per strategy and variant, in the switcher's order. */
export const DIAGRAM_SCENARIOS: Readonly<Record<Strategy, Partial<Record<DiagramVariant, string>>>> = {
  'write-through': {
    normal: 'c01-write-through-ack-after-both.cachescenario',
    'db-failure': 'c16-write-through-db-failure-rolls-back.cachescenario',
    'dirty-read': 'x14-write-through-dirty-read.cachescenario',
  },
  'write-behind': {
    normal: 'c06-write-behind-ack-after-cache.cachescenario',
    'crash-before-flush': 'c08-write-behind-crash-loses-writes.cachescenario',
    wal: 'c10-write-behind-wal-survives-crash.cachescenario',
    'other-node': 'c09-write-behind-stale-db-and-other-node.cachescenario',
    shutdown: 'x07-graceful-shutdown-timeout.cachescenario',
    'lost-reply': 'x08-lost-reply-applied-twice.cachescenario',
    'write-delay': 'x15-hazelcast-write-delay.cachescenario',
  },
  'write-around': {
    normal: 'c12-write-around-first-read-misses.cachescenario',
  },
  'cache-aside': {
    normal: 'x10-cache-aside-basics.cachescenario',
    race: 'c14-cache-aside-race-stale-entry.cachescenario',
    'lost-reply': 'x11-cache-aside-lost-reply-stale.cachescenario',
  },
  'write-through+cache-aside': {
    normal: 'c15-hybrid-fresh-and-lazy.cachescenario',
  },
};

/** Variants the switcher offers for a strategy (just `normal` when there is nothing to switch to). */
export function variantsFor(strategy: Strategy): DiagramVariant[] {
  return Object.keys(DIAGRAM_SCENARIOS[strategy]) as DiagramVariant[];
}

/** The scenario file demonstrating (strategy, variant), or undefined when the lesson has none. */
export function scenarioFor(strategy: Strategy, variant: DiagramVariant): string | undefined {
  return DIAGRAM_SCENARIOS[strategy][variant];
}

/**
 * Parses and runs one scenario text; parse errors and run failures become a readable error, never an exception.
 * `seed` is the run's seed (default: the engine's, 1), so a debugger launched with a seed gets the same trace.
 */
export function traceScenarioText(scenario: string, text: string, seed?: number): TraceResult {
  try {
    const program = parseScenario(text);
    const errors = program.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const first = errors[0];
      const where = first ? `line ${first.line}:${first.column}: ${first.message}` : 'parse error';
      return { ok: false, scenario, error: `${scenario} does not parse (${plural(errors.length, 'error')}); ${where}` };
    }
    const result = runProgram(program, seed === undefined ? {} : { seed });
    return { ok: true, scenario, strategy: program.strategy ?? 'write-through', steps: result.steps };
  } catch (err) {
    return { ok: false, scenario, error: `${scenario} could not run: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Reads a bundled scenario's text by file name; undefined when it does not exist. */
export type ScenarioReader = (file: string) => Promise<string | undefined>;

/**
 * Runs bundled scenarios on demand and keeps each result: a scenario's trace depends only on its text (virtual time,
 * fixed seed), so one run per file serves every diagram that shows it.
 */
export class TraceLibrary {
  private readonly cache = new Map<string, Promise<TraceResult>>();

  constructor(private readonly read: ScenarioReader) {}

  /** The trace of a bundled scenario file. */
  traceFile(file: string): Promise<TraceResult> {
    let pending = this.cache.get(file);
    if (!pending) {
      pending = this.load(file);
      this.cache.set(file, pending);
    }
    return pending;
  }

  /** The trace demonstrating (strategy, variant). */
  trace(strategy: Strategy, variant: DiagramVariant): Promise<TraceResult> {
    const file = scenarioFor(strategy, variant);
    if (!file) {
      return Promise.resolve({ ok: false, scenario: '', error: `the lesson has no ${variant} diagram for ${strategy}` });
    }
    return this.traceFile(file);
  }

  private async load(file: string): Promise<TraceResult> {
    let text: string | undefined;
    try {
      text = await this.read(file);
    } catch (err) {
      this.cache.delete(file);
      return { ok: false, scenario: file, error: `${file} could not be read: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (text === undefined) {
      this.cache.delete(file);
      return { ok: false, scenario: file, error: `${file} is not among the bundled scenarios` };
    }
    return traceScenarioText(file, text);
  }
}

/**
 * The answer to a request whose run failed unexpectedly (an exception, not a scenario error): an error result the
 * diagram shows, so it never stays on "Running the scenario…".
 */
export function traceFailure(
  request: Omit<DiagramTraceMessage, 'type' | 'result'>,
  scenario: string,
  err: unknown,
): DiagramTraceMessage {
  const reason = err instanceof Error ? err.message : String(err);
  return { type: 'diagram/trace', ...request, result: { ok: false, scenario, error: `The scenario${scenario ? ` ${scenario}` : ''} could not be run: ${reason}` } };
}

/**
 * The answer to `diagram/request`: the trace demonstrating (strategy, variant), or, when getting it throws, an error
 * result (reported through `log` too). Never rejects, so the page always gets an answer.
 */
export async function diagramTrace(
  traces: Pick<TraceLibrary, 'trace'>,
  requestId: string,
  strategy: Strategy,
  variant: DiagramVariant,
  log: (line: string) => void,
): Promise<DiagramTraceMessage> {
  const request = { requestId, strategy, variant, variants: variantsFor(strategy) };
  try {
    return { type: 'diagram/trace', ...request, result: await traces.trace(strategy, variant) };
  } catch (err) {
    log(`diagram ${strategy}/${variant} failed: ${err instanceof Error ? err.message : String(err)}`);
    return traceFailure(request, scenarioFor(strategy, variant) ?? '', err);
  }
}
