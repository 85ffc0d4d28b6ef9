// The parsed form of a `.cachescenario` file: one statement per source line, plus diagnostics.
// The parser produces it and never throws; the runner turns it into engine calls.
import type { Json, Strategy, WhenFull } from '../model/types';

/** 1-based line, 1-based column; `endColumn` is exclusive. */
export interface Span {
  line: number;
  column: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  line: number;
  column: number;
  endColumn: number;
  message: string;
}

/** `file:line:column: severity: message`: the form compilers print, which terminals and problem matchers link. */
export function diagnosticLine(file: string, d: Omit<Diagnostic, 'endColumn'>): string {
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/** Comparison operators of `expect metric`. */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** Settings a scenario can change with `set NAME VALUE` (see SETTINGS in settings.ts for types and docs). */
export type SettingValue = number | boolean | string | null;

/** Operations a client issues through the strategy. */
export type ClientOp =
  | { kind: 'write'; key: string; value: Json }
  | { kind: 'incr'; key: string; amount: number }
  | { kind: 'read'; key: string }
  | { kind: 'read-db'; key: string };

/** Where a client operation runs: an optional absolute virtual time (`at 5ms`), a client name (`as bob`), a node (`via node2`). */
export interface Placement {
  /** Virtual ms; undefined = when the previous statement has finished. */
  at: number | undefined;
  /** Client name; default 'app'. */
  client: string;
  /** Cache node number (1-based); undefined = the client's default, node 1. */
  node: number | undefined;
}

export type Expectation =
  | { kind: 'value'; value: Json | undefined } // undefined = `missing`: the read found nothing
  | { kind: 'error' }
  | { kind: 'ok' }
  | { kind: 'stale' }
  | { kind: 'fresh' }
  | { kind: 'db'; key: string; value: Json | undefined } // undefined = `missing`
  | { kind: 'cache'; key: string; node: number | undefined; value: Json | undefined }
  | { kind: 'metric'; metric: string; op: CompareOp; value: number };

export type Statement =
  | { kind: 'strategy'; strategy: Strategy; span: Span }
  | { kind: 'preset'; preset: string; span: Span }
  | { kind: 'set'; name: string; value: SettingValue; span: Span }
  | { kind: 'load'; key: string; value: Json; span: Span }
  | { kind: 'op'; op: ClientOp; placement: Placement; span: Span }
  | { kind: 'advance'; ms: number; span: Span }
  | { kind: 'crash'; node: number | undefined; at: number | undefined; span: Span } // undefined node = node 1
  /** A graceful shutdown; `timeoutMs` undefined: the run's `writeBehind.shutdownTimeout`, null: no limit. */
  | { kind: 'shutdown'; node: number | undefined; timeoutMs: number | null | undefined; at: number | undefined; span: Span }
  | { kind: 'restart'; node: number | undefined; at: number | undefined; span: Span }
  | { kind: 'fail-db-for'; ms: number; at: number | undefined; span: Span }
  /** `replies`: the transactions commit and their replies are lost (else they fail). */
  | { kind: 'fail-db-next'; writes: number; replies: boolean; at: number | undefined; span: Span }
  /** A poison row: every write transaction that writes `key` fails, until `recover db`. */
  | { kind: 'fail-db-key'; key: string; at: number | undefined; span: Span }
  /** `key`: fix only that row (`recover db key KEY`); without it, every database fault ends. */
  | { kind: 'recover-db'; key?: string; at: number | undefined; span: Span }
  | { kind: 'expect'; expectation: Expectation; span: Span };

export interface Program {
  statements: Statement[];
  diagnostics: Diagnostic[];
  /** Strategy named by the first `strategy` statement, if any. */
  strategy: Strategy | undefined;
}

export type { WhenFull };
