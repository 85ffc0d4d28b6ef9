// The one typed protocol between the extension and its webviews (workbench panel and sidebar), imported by both bundles.
// Messages are discriminated unions keyed on a namespaced `type`; everything arriving from a webview is validated here.
import { STRATEGIES } from '../model/types';
import type { Strategy, TraceStep } from '../model/types';
import { DIAGRAM_VARIANTS, SECTION_IDS } from '../lesson/sections';
import type { DiagramVariant } from '../lesson/sections';
import type { SnippetLanguage } from '../lesson/snippets';

// ---------------------------------------------------------------------------------------------------------------------
// Shared vocabulary

/** Which webview a message comes from or goes to. */
export const WEBVIEW_KINDS = ['workbench', 'sidebar'] as const;
export type WebviewKind = (typeof WEBVIEW_KINDS)[number];

export const SNIPPET_LANGUAGES = ['python', 'typescript'] as const satisfies readonly SnippetLanguage[];

/**
 * Pages of the workbench panel. `lesson` is the lesson reader; `trace` shows one scenario's diagram on its own (the
 * scenario being debugged). A later feature adds its page here (`quiz`, `compare`, `playground`), then the compiler
 * points at every `switch` over Route that must handle it.
 */
export const ROUTES = ['lesson', 'trace'] as const;
export type Route = (typeof ROUTES)[number];

/** Commands a webview may ask the extension to run; anything else is rejected by the validator. */
export const WEBVIEW_COMMANDS = ['takeKnowledgeCheck', 'compareStrategies', 'openExample'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

export const ANIMATION_SPEEDS = [0.5, 1, 2, 4] as const;
export type Speed = (typeof ANIMATION_SPEEDS)[number];

/** The learner's progress as the webviews see it (a view of the durable Progress plus the walkthrough flags). */
export interface ProgressView {
  /** Section ids read, in the order first read. */
  sectionsRead: string[];
  lastSection: string | null;
  /** The knowledge check has been passed at least once. */
  quizPassed: boolean;
  /** Best knowledge-check score, 0..1. */
  bestScore: number;
  attempts: number;
  diagramWatched: boolean;
}

/** Settings a webview needs, resolved by the extension. */
export interface ViewSettings {
  /** `auto` follows `prefers-reduced-motion` in the webview; `on` never animates; `off` always animates. */
  reducedMotion: 'auto' | 'on' | 'off';
  speed: Speed;
}

/** A scenario run as the diagram needs it. */
export type TraceResult =
  | { ok: true; scenario: string; strategy: Strategy; steps: TraceStep[] }
  | { ok: false; scenario: string; error: string };

/** UI state a webview keeps with getState/setState (and reports to the extension for tests and restore). */
export interface DiagramUiState {
  variant: DiagramVariant | null;
  /** Index of the current step, 0-based. */
  step: number;
}
export interface UiState {
  v: 1;
  route: Route;
  section: string;
  /** Per diagram slot (`<section>/<block index>` or `snippet/<strategy>`). */
  diagrams: Record<string, DiagramUiState>;
  snippetLanguage: SnippetLanguage;
}

// ---------------------------------------------------------------------------------------------------------------------
// Extension -> webview

export type HostMessage =
  /** Answer to `state/ready`: everything the view needs to render. `section` null = the view decides (restored or first). */
  | { type: 'state/init'; view: WebviewKind; section: string | null; progress: ProgressView; settings: ViewSettings }
  | { type: 'settings/changed'; settings: ViewSettings }
  | { type: 'progress/changed'; progress: ProgressView }
  /** Show the lesson at a section. */
  | { type: 'lesson/show'; section: string }
  /** Answer to `diagram/request` or `snippet/run`; `variants` lists the switcher's choices (empty: no switcher). */
  | {
      type: 'diagram/trace';
      requestId: string;
      strategy: Strategy;
      variant: DiagramVariant | null;
      variants: DiagramVariant[];
      result: TraceResult;
    }
  /**
   * The debugger's current step in a scenario: the panel shows that scenario's diagram with step `seq` highlighted.
   * `steps` comes with the first position of a session (or after the webview reloaded); later positions omit it.
   */
  | { type: 'debug/position'; scenario: string; title: string; seq: number | null; steps?: TraceStep[] }
  /** The debug session of `scenario` ended: drop the highlight. */
  | { type: 'debug/ended'; scenario: string }
  /** Feedback after a snippet action (the webview shows it next to the buttons). */
  | { type: 'snippet/done'; strategy: Strategy; language: SnippetLanguage; action: 'copy' | 'openInEditor'; ok: boolean };

export type HostMessageType = HostMessage['type'];

// ---------------------------------------------------------------------------------------------------------------------
// Webview -> extension

export type WebviewMessage =
  /** The webview's script has loaded and listens; the extension answers with `state/init`. */
  | { type: 'state/ready'; view: WebviewKind }
  /** The webview's UI state changed (section, diagram step...): kept by the panel for tests and restore. */
  | { type: 'state/changed'; state: UiState }
  /** Open the workbench at a section (`null`: where the learner left off). */
  | { type: 'lesson/open'; section: string | null }
  /** A section is on screen in the workbench: marks it read. */
  | { type: 'lesson/sectionShown'; section: string }
  /** Run the scenario behind a diagram block; answered by `diagram/trace` with the same requestId. */
  | { type: 'diagram/request'; requestId: string; strategy: Strategy; variant: DiagramVariant }
  /** A diagram was played or stepped to its last step. */
  | { type: 'diagram/watched'; strategy: Strategy; variant: DiagramVariant | null }
  | { type: 'snippet/openInEditor'; strategy: Strategy; language: SnippetLanguage }
  | { type: 'snippet/copy'; strategy: Strategy; language: SnippetLanguage }
  /** Run the snippet's scenario; answered by `diagram/trace` with the same requestId. */
  | { type: 'snippet/run'; requestId: string; strategy: Strategy; language: SnippetLanguage }
  /** Open a bundled scenario in an editor (`step`: and start stepping through it). */
  | { type: 'scenario/open'; file: string; mode: 'edit' | 'step' }
  | { type: 'command/run'; command: WebviewCommand }
  /** An error inside the webview, for the output channel. */
  | { type: 'log/error'; message: string };

export type WebviewMessageType = WebviewMessage['type'];

// ---------------------------------------------------------------------------------------------------------------------
// Validation of what a webview sends

/** A field check: undefined when the value is fine, else the reason (completed by the caller with the field path). */
type Check = (value: unknown, path: string) => string | undefined;
interface Field {
  check: Check;
  optional: boolean;
}

/** Longest string any field accepts; anything bigger is rejected before it reaches a handler. */
export const MAX_STRING = 2000;
const MAX_ID = 64;
const MAX_DIAGRAM_SLOTS = 64;

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `a string of ${v.length} characters` : `${typeof v}`;

const req = (check: Check): Field => ({ check, optional: false });

function str(max: number, pattern?: RegExp, patternText?: string): Check {
  return (v, path) => {
    if (typeof v !== 'string') return `${path} must be a string, got ${describe(v)}`;
    if (v.length > max) return `${path} must be at most ${max} characters, got ${v.length}`;
    if (pattern && !pattern.test(v)) return `${path} must be ${patternText ?? `like ${String(pattern)}`}`;
    return undefined;
  };
}

function oneOf(values: readonly (string | number)[], what: string): Check {
  return (v, path) => {
    if (values.includes(v as string | number)) return undefined;
    const shown = typeof v === 'string' ? `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : describe(v);
    return `${path} must be ${what} (${values.join(', ')}), got ${shown}`;
  };
}

function int(min: number, max: number): Check {
  return (v, path) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `${path} must be a whole number from ${min} to ${max}, got ${typeof v === 'number' ? String(v) : describe(v)}`;
}

function nullable(check: Check): Check {
  return (v, path) => (v === null ? undefined : check(v, path));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks an object against its fields: each required field present and valid, no field that is not declared. */
function checkObject(v: unknown, fields: Record<string, Field>, path: string, skip: readonly string[] = []): string | undefined {
  if (!isPlainObject(v)) return `${path || 'message'} must be an object, got ${describe(v)}`;
  const prefix = path ? `${path}.` : '';
  for (const key of Object.keys(v)) {
    if (!(key in fields) && !skip.includes(key)) return `unexpected field "${prefix}${key.slice(0, 40)}"`;
  }
  for (const [key, field] of Object.entries(fields)) {
    if (!(key in v) || v[key] === undefined) {
      if (field.optional) continue;
      return `missing field "${prefix}${key}"`;
    }
    const problem = field.check(v[key], `"${prefix}${key}"`);
    if (problem) return problem;
  }
  return undefined;
}

function obj(fields: Record<string, Field>): Check {
  return (v, path) => checkObject(v, fields, path.replace(/"/g, ''));
}

/** A record keyed by slot ids, each value checked; bounded in size. */
function record(keyCheck: Check, valueCheck: Check, maxEntries: number): Check {
  return (v, path) => {
    if (!isPlainObject(v)) return `${path} must be an object, got ${describe(v)}`;
    const keys = Object.keys(v);
    if (keys.length > maxEntries) return `${path} must have at most ${maxEntries} entries, got ${keys.length}`;
    for (const k of keys) {
      const problem = keyCheck(k, `key of ${path}`) ?? valueCheck(v[k], `${path}["${k}"]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

const sectionId = oneOf(SECTION_IDS, 'a lesson section id');
const strategy = oneOf(STRATEGIES, 'a strategy');
const variant = oneOf(DIAGRAM_VARIANTS, 'a diagram variant');
const language = oneOf(SNIPPET_LANGUAGES, 'a snippet language');
const requestId = str(MAX_ID, /^[\w:./-]+$/, 'letters, digits and : . / _ -');
/** Bundled scenario file names only: no folders, so a webview can never name a path outside `scenarios/`. */
export const SCENARIO_FILE_PATTERN = /^[a-z0-9][a-z0-9-]*\.cachescenario$/;
const scenarioFile = str(100, SCENARIO_FILE_PATTERN, 'a bundled scenario file name like c01-name.cachescenario');

const uiState = obj({
  v: req(oneOf([1], 'the state version')),
  route: req(oneOf(ROUTES, 'a route')),
  section: req(sectionId),
  diagrams: req(record(requestId, obj({ variant: req(nullable(variant)), step: req(int(0, 100_000)) }), MAX_DIAGRAM_SLOTS)),
  snippetLanguage: req(language),
});

/** The fields of message type K, each with its check: a message type without a schema fails to compile. */
type Schema<M> = { [F in Exclude<keyof M, 'type'>]-?: Field };
type Schemas = { [K in WebviewMessageType]: Schema<Extract<WebviewMessage, { type: K }>> };

const SCHEMAS: Schemas = {
  'state/ready': { view: req(oneOf(WEBVIEW_KINDS, 'a webview kind')) },
  'state/changed': { state: req(uiState) },
  'lesson/open': { section: req(nullable(sectionId)) },
  'lesson/sectionShown': { section: req(sectionId) },
  'diagram/request': { requestId: req(requestId), strategy: req(strategy), variant: req(variant) },
  'diagram/watched': { strategy: req(strategy), variant: req(nullable(variant)) },
  'snippet/openInEditor': { strategy: req(strategy), language: req(language) },
  'snippet/copy': { strategy: req(strategy), language: req(language) },
  'snippet/run': { requestId: req(requestId), strategy: req(strategy), language: req(language) },
  'scenario/open': { file: req(scenarioFile), mode: req(oneOf(['edit', 'step'], 'a mode')) },
  'command/run': { command: req(oneOf(WEBVIEW_COMMANDS, 'a command the webview may run')) },
  'log/error': { message: req(str(MAX_STRING)) },
};

export const WEBVIEW_MESSAGE_TYPES = Object.keys(SCHEMAS) as WebviewMessageType[];

export type ValidationResult = { ok: true; msg: WebviewMessage } | { ok: false; error: string };

/**
 * Checks a value received from a webview against the protocol: a known `type`, every declared field present with the
 * right type and within bounds, and no undeclared field. Never throws; the error says what was wrong.
 */
export function validateWebviewMessage(raw: unknown): ValidationResult {
  try {
    if (!isPlainObject(raw)) return { ok: false, error: `message must be an object, got ${describe(raw)}` };
    if (!('type' in raw)) return { ok: false, error: 'missing field "type"' };
    const type = raw.type;
    if (typeof type !== 'string') return { ok: false, error: `"type" must be a string, got ${describe(type)}` };
    if (!Object.prototype.hasOwnProperty.call(SCHEMAS, type)) {
      return { ok: false, error: `unknown message type "${type.length > 60 ? `${type.slice(0, 60)}…` : type}"` };
    }
    const fields = SCHEMAS[type as WebviewMessageType] as Record<string, Field>;
    const problem = checkObject(raw, fields, '', ['type']);
    if (problem) return { ok: false, error: `${type}: ${problem}` };
    return { ok: true, msg: raw as unknown as WebviewMessage };
  } catch (err) {
    // Only exotic objects (throwing getters, proxies) get here; structured-cloned messages never do.
    return { ok: false, error: `message could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// UI state: defaults and repair (the serializer and the webview both read state that may be old or damaged)

export function defaultUiState(section: string = SECTION_IDS[0] ?? 'spectrum'): UiState {
  return { v: 1, route: 'lesson', section, diagrams: {}, snippetLanguage: 'typescript' };
}

/** Turns whatever getState() or a serializer hands back into a valid UiState, keeping every part that is valid. */
export function repairUiState(raw: unknown): UiState {
  const state = defaultUiState();
  if (!isPlainObject(raw)) return state;
  if (sectionId(raw.section, 'section') === undefined) state.section = raw.section as string;
  if ((ROUTES as readonly unknown[]).includes(raw.route)) state.route = raw.route as Route;
  if (language(raw.snippetLanguage, 'l') === undefined) state.snippetLanguage = raw.snippetLanguage as SnippetLanguage;
  if (isPlainObject(raw.diagrams)) {
    const diagramCheck = obj({ variant: req(nullable(variant)), step: req(int(0, 100_000)) });
    for (const [key, value] of Object.entries(raw.diagrams).slice(0, MAX_DIAGRAM_SLOTS)) {
      if (requestId(key, 'k') === undefined && diagramCheck(value, 'd') === undefined) {
        state.diagrams[key] = { ...(value as DiagramUiState) };
      }
    }
  }
  return state;
}

/** Type guard for the `never` check at the end of a message switch: reports what slipped through at run time. */
export function unhandledMessage(msg: never): string {
  return `unhandled message ${JSON.stringify((msg as { type?: unknown }).type)}`;
}
