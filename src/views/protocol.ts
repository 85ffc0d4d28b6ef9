// The one typed protocol between the extension and its webviews (workbench panel and sidebar), imported by both bundles.
// Messages are discriminated unions keyed on a namespaced `type`; everything arriving from a webview is validated here.
import { STRATEGIES } from '../model/types';
import type { Metrics, Strategy, TraceStep } from '../model/types';
import { validateCompareRequest } from '../model/compareView';
import type { CompareRequest, CompareTable } from '../model/compareView';
import type { QuestionView } from '../lesson/quizSession';
import type { AttemptResult } from '../lesson/scoring';
import { DIAGRAM_VARIANTS, SECTION_IDS } from '../lesson/sections';
import type { DiagramVariant } from '../lesson/sections';
import type { SnippetLanguage } from '../lesson/snippets';
import { validatePlaygroundConfig } from '../scenario/playground';
import type { PlaygroundConfig } from '../scenario/playground';
import type { Series } from '../scenario/series';

// ---------------------------------------------------------------------------------------------------------------------
// Shared vocabulary

/** Which webview a message comes from or goes to. */
export const WEBVIEW_KINDS = ['workbench', 'sidebar'] as const;
export type WebviewKind = (typeof WEBVIEW_KINDS)[number];

export const SNIPPET_LANGUAGES = ['python', 'typescript'] as const satisfies readonly SnippetLanguage[];

/**
 * Pages of the workbench panel. `lesson` is the lesson reader; `trace` shows one scenario's diagram on its own (the
 * scenario being debugged); `quiz` is the knowledge check, `compare` the measured comparison table and `playground`
 * the strategy playground. A new page goes here, then the compiler points at every `switch` over Route to update.
 */
export const ROUTES = ['lesson', 'trace', 'quiz', 'compare', 'playground'] as const;
export type Route = (typeof ROUTES)[number];

/** Commands a webview may ask the extension to run; anything else is rejected by the validator. */
export const WEBVIEW_COMMANDS = ['takeKnowledgeCheck', 'compareStrategies', 'openExample'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

export const ANIMATION_SPEEDS = [0.5, 1, 2, 4] as const;
export type Speed = (typeof ANIMATION_SPEEDS)[number];

/** An `advance` or `expect` line the debugger stopped on: it runs no step, and keeps the number of the step before it. */
export interface DebugCheckpoint {
  kind: 'advance' | 'expect';
  line: number;
}

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
  /** The learner's defaults (`cacheWorkbench.defaultStrategy`, latencies, write-behind knobs) for a new playground. */
  playground?: { strategy: Strategy; settings: Record<string, number | boolean> };
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
  /** Per diagram slot (`<section>/<block index>` or {@link snippetSlotKey}). */
  diagrams: Record<string, DiagramUiState>;
  snippetLanguage: SnippetLanguage;
  /** The comparison page's inputs, as last valid (absent: the CLI's defaults). */
  compare?: CompareRequest;
  /** The playground's inputs as last valid, and whether the learner ran them (then a restored page runs them again). */
  playground?: PlaygroundUiState;
  /** The knowledge-check question whose feedback is on screen (the learner has not moved on yet). */
  quizReview?: QuizReviewUiState;
  /** How far the lesson page is scrolled, in CSS pixels (restored with the page; 0 when a section is opened). */
  lessonScroll?: number;
}

/** The UI-state slot of a strategy's snippet run; its `snippet/run` requests are named `<slot>:<language>`. */
export function snippetSlotKey(strategy: Strategy): string {
  return `snippet/${strategy}`;
}

export interface QuizReviewUiState {
  /** The attempt's seed (`QuizState.attemptSeed`): a review of another attempt is not restored. */
  attempt: number;
  questionId: string;
}
export interface PlaygroundUiState {
  config: PlaygroundConfig;
  ran: boolean;
}

/** The knowledge check as the quiz page sees it: no correct answer or explanation before a question is answered. */
export interface QuizState {
  /** Seed of the attempt: a new value means a new attempt (the page resets its own view state). */
  attemptSeed: number;
  questions: QuestionView[];
  answered: number;
  total: number;
  finished: boolean;
  /** The graded result, once the attempt is finished. */
  score: AttemptResult | null;
  /** Share of correct answers that passes, 0..1. */
  passThreshold: number;
  /** The question whose answer this state confirms (the page moves focus to its feedback), else null. */
  justAnswered: string | null;
}

/** A playground run as the page needs it: the trace itself stays in the extension (it can be 50,000 steps long). */
export interface PlaygroundRunView {
  config: PlaygroundConfig;
  metrics: Metrics;
  series: Series;
  /** Problems the run reported (an operation still pending at the end...), as text. */
  errors: string[];
  /** Trace steps the run recorded. */
  steps: number;
  /** Lines of the exported scenario the run executed. */
  scenarioLines: number;
}

export type CompareOutcome =
  | { ok: true; table: CompareTable; elapsedMs: number; cached: boolean }
  | { ok: false; error: string };
/** `stopped`: the learner stopped the run (`playground/cancel`) before it finished; `errors` is then empty. */
export type PlaygroundOutcome = { ok: true; run: PlaygroundRunView; elapsedMs: number } | { ok: false; errors: string[]; stopped?: boolean };

// ---------------------------------------------------------------------------------------------------------------------
// Extension -> webview

export type HostMessage =
  /**
   * Answer to `state/ready`: everything the view needs to render. `section` null = the view decides (restored or
   * first); `route` non-null = a command asked for that page (it wins over the restored one).
   */
  | { type: 'state/init'; view: WebviewKind; section: string | null; route: Route | null; progress: ProgressView; settings: ViewSettings }
  | { type: 'settings/changed'; settings: ViewSettings }
  | { type: 'progress/changed'; progress: ProgressView }
  /** Show the lesson at a section. */
  | { type: 'lesson/show'; section: string }
  /** Show a page of the workbench (a command such as Take Knowledge Check asked for it). */
  | { type: 'route/show'; route: Route }
  /** The knowledge check's current attempt; sent after every quiz message and when progress is reset. */
  | { type: 'quiz/state'; quiz: QuizState }
  /** A quiz message that could not be applied (an answer to a question already answered...): the page says so. */
  | { type: 'quiz/rejected'; error: string }
  /** Answer to `compare/request` with the same requestId. */
  | { type: 'compare/result'; requestId: string; result: CompareOutcome }
  /** Answer to `playground/run` with the same requestId. */
  | { type: 'playground/result'; requestId: string; result: PlaygroundOutcome }
  /** Answer to `playground/export`: whether the scenario was saved and opened (not: invalid, cancelled, or failed). */
  | { type: 'playground/exported'; ok: boolean; message: string }
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
   * `scenario` identifies the session (the program's path); `label` is what the page shows of it (workspace-relative
   * path or file name, never an absolute path). `checkpoint`: the debugger stopped on an `advance` or `expect` line,
   * right after step `seq` (a checkpoint runs no step of its own).
   */
  | { type: 'debug/position'; scenario: string; label: string; title: string; seq: number | null; checkpoint?: DebugCheckpoint; steps?: TraceStep[] }
  /** The debug session of `scenario` ended: drop the highlight. */
  | { type: 'debug/ended'; scenario: string }
  /** Feedback after a snippet action (the webview shows it next to the buttons). */
  | { type: 'snippet/done'; strategy: Strategy; language: SnippetLanguage; action: 'copy' | 'openInEditor'; ok: boolean };

export type HostMessageType = HostMessage['type'];

// ---------------------------------------------------------------------------------------------------------------------
// Webview -> extension

export type WebviewMessage =
  /**
   * The webview's script has loaded and listens; the extension answers with `state/init`. A page with no answer says it
   * again (`repeat` 1, 2...; absent the first time), since a message can go missing under load.
   */
  | { type: 'state/ready'; view: WebviewKind; repeat?: number }
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
  /** The quiz page is shown: send the attempt in progress, or start one when there is none. */
  | { type: 'quiz/start' }
  /** Answer one question of the attempt in progress; answered by `quiz/state` (with feedback) or `quiz/rejected`. */
  | { type: 'quiz/answer'; questionId: string; optionId: string }
  /** Grade the attempt in progress and record it in the learner's progress. */
  | { type: 'quiz/finish' }
  /** Drop the current attempt and start a new one (fresh seed). */
  | { type: 'quiz/retry' }
  /** Open the scenario an engine-computed question was measured on, in a new untitled editor. */
  | { type: 'quiz/openScenario'; questionId: string }
  /** Measure every strategy on a workload; answered by `compare/result` with the same requestId. */
  | { type: 'compare/request'; requestId: string; request: CompareRequest }
  /** Run a playground config; answered by `playground/result` with the same requestId. */
  | { type: 'playground/run'; requestId: string; config: PlaygroundConfig }
  /** Stop the run with this requestId; answered by `playground/result` with `stopped` if it was still going. */
  | { type: 'playground/cancel'; requestId: string }
  /** Export the config as a `.cachescenario` file (the extension asks where to save it) and open it. */
  | { type: 'playground/export'; config: PlaygroundConfig }
  /**
   * The Debug trace page's "Move the debugger here": the debug session of `scenario` (the program's path, as
   * `debug/position` named it) moves straight to trace step `seq`, forward or back.
   */
  | { type: 'debug/jump'; scenario: string; seq: number }
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
/** Largest lesson scroll offset kept (far beyond the longest section). */
export const MAX_LESSON_SCROLL = 1_000_000;

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

/** Text from a message, quoted for an error: its first 40 characters (then an ellipsis), escaped as JSON escapes them. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function oneOf(values: readonly (string | number)[], what: string): Check {
  return (v, path) => {
    if (values.includes(v as string | number)) return undefined;
    const shown = typeof v === 'string' ? quoted(v) : describe(v);
    return `${path} must be ${what} (${values.join(', ')}), got ${shown}`;
  };
}

function int(min: number, max: number): Check {
  return (v, path) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `${path} must be a whole number from ${min} to ${max}, got ${typeof v === 'number' ? String(v) : describe(v)}`;
}

const bool: Check = (v, path) => (typeof v === 'boolean' ? undefined : `${path} must be true or false, got ${describe(v)}`);

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
  // Own fields only: `in` would also find what every object inherits (`constructor`, `toString`, `__proto__`).
  for (const key of Object.keys(v)) {
    if (!Object.hasOwn(fields, key) && !skip.includes(key)) return `unexpected field "${prefix}${key.slice(0, 40)}"`;
  }
  for (const [key, field] of Object.entries(fields)) {
    if (!Object.hasOwn(v, key) || v[key] === undefined) {
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
      // The key is quoted as a value is, since a learner's state has many slots: cut and escaped, in both messages.
      const problem = keyCheck(k, `key ${quoted(k)} of ${path}`) ?? valueCheck(v[k], `${path}[${quoted(k)}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

const sectionId = oneOf(SECTION_IDS, 'a lesson section id');
const strategy = oneOf(STRATEGIES, 'a strategy');
const variant = oneOf(DIAGRAM_VARIANTS, 'a diagram variant');
const language = oneOf(SNIPPET_LANGUAGES, 'a snippet language');
/** Also a key of stored records (diagram slots): `__proto__` would set an object's prototype there, not a slot. */
const requestId: Check = (v, path) => (v === '__proto__' ? `${path} must not be "__proto__"` : requestIdText(v, path));
// `+` too: the hybrid strategy's name has one, and a snippet's slot and run are named after their strategy.
const requestIdText = str(MAX_ID, /^[\w:./+-]+$/, 'letters, digits and : . / _ + -');
/** Bundled scenario file names only: no folders, so a webview can never name a path outside `scenarios/`. */
export const SCENARIO_FILE_PATTERN = /^[a-z0-9][a-z0-9-]*\.cachescenario$/;
const scenarioFile = str(100, SCENARIO_FILE_PATTERN, 'a bundled scenario file name like c01-name.cachescenario');

const quizId = str(100, /^[\w:.-]+$/, 'letters, digits and : . _ -');
/** A question under review: an attempt seed (a 32-bit value from crypto) and one of its question ids. */
const quizReview = obj({ attempt: req(int(0, 0xffff_ffff)), questionId: req(quizId) });
const lessonScroll = int(0, MAX_LESSON_SCROLL);

const COMPARE_FIELDS = ['kind', 'ops', 'keys', 'seed', 'knobs'];
const KNOB_FIELDS = ['cacheLatencyMs', 'dbLatencyMs', 'flushIntervalMs', 'coalescing'];

/** A comparison request: the pure core's validator, plus no field it does not know. */
const compareRequest: Check = (v, path) => {
  if (isPlainObject(v)) {
    const at = path.replace(/"/g, '');
    const extra = Object.keys(v).find((k) => !COMPARE_FIELDS.includes(k));
    if (extra !== undefined) return `unexpected field "${at}.${extra.slice(0, 40)}"`;
    const knobs = v.knobs;
    const extraKnob = isPlainObject(knobs) ? Object.keys(knobs).find((k) => !KNOB_FIELDS.includes(k)) : undefined;
    if (extraKnob !== undefined) return `unexpected field "${at}.knobs.${extraKnob.slice(0, 40)}"`;
  }
  const checked = validateCompareRequest(v);
  return checked.ok ? undefined : `${path} is not a valid comparison request: ${checked.errors.join('; ')}`;
};

/** A playground config, checked by the pure core's validator (which also rejects unknown fields and bounds sizes). */
const playgroundConfig: Check = (v, path) => {
  const checked = validatePlaygroundConfig(v);
  return checked.ok ? undefined : `${path} is not a valid playground config: ${checked.errors.slice(0, 5).join('; ')}`;
};

const uiState = obj({
  v: req(oneOf([1], 'the state version')),
  route: req(oneOf(ROUTES, 'a route')),
  section: req(sectionId),
  diagrams: req(record(requestId, obj({ variant: req(nullable(variant)), step: req(int(0, 100_000)) }), MAX_DIAGRAM_SLOTS)),
  snippetLanguage: req(language),
  compare: { check: compareRequest, optional: true },
  playground: { check: obj({ config: req(playgroundConfig), ran: req(bool) }), optional: true },
  quizReview: { check: quizReview, optional: true },
  lessonScroll: { check: lessonScroll, optional: true },
});

/** The fields of message type K, each with its check: a message type without a schema fails to compile. */
type Schema<M> = { [F in Exclude<keyof M, 'type'>]-?: Field };
type Schemas = { [K in WebviewMessageType]: Schema<Extract<WebviewMessage, { type: K }>> };

const SCHEMAS: Schemas = {
  'state/ready': { view: req(oneOf(WEBVIEW_KINDS, 'a webview kind')), repeat: { check: int(1, 100), optional: true } },
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
  'quiz/start': {},
  'quiz/answer': { questionId: req(quizId), optionId: req(quizId) },
  'quiz/finish': {},
  'quiz/retry': {},
  'quiz/openScenario': { questionId: req(quizId) },
  'compare/request': { requestId: req(requestId), request: req(compareRequest) },
  'playground/run': { requestId: req(requestId), config: req(playgroundConfig) },
  'playground/cancel': { requestId: req(requestId) },
  'playground/export': { config: req(playgroundConfig) },
  'debug/jump': { scenario: req(str(MAX_STRING)), seq: req(int(1, 1_000_000_000)) },
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
  const compare = validateCompareRequest(raw.compare);
  if (raw.compare !== undefined && compare.ok && compareRequest(raw.compare, 'compare') === undefined) state.compare = compare.request;
  if (isPlainObject(raw.playground) && typeof raw.playground.ran === 'boolean') {
    const playground = validatePlaygroundConfig(raw.playground.config);
    if (playground.ok) state.playground = { config: playground.config, ran: raw.playground.ran };
  }
  if (raw.quizReview !== undefined && quizReview(raw.quizReview, 'quizReview') === undefined) {
    const review = raw.quizReview as unknown as QuizReviewUiState;
    state.quizReview = { attempt: review.attempt, questionId: review.questionId };
  }
  if (raw.lessonScroll !== undefined && lessonScroll(raw.lessonScroll, 'lessonScroll') === undefined) state.lessonScroll = raw.lessonScroll as number;
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
