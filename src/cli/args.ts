// Command-line argument parsing for the CLI: strict, with messages that say what was expected.

export interface ParsedArgs {
  command: string | undefined;
  positional: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {}

/** Flags each command accepts: name -> takes a value? */
export const COMMAND_FLAGS: Record<string, Record<string, boolean>> = {
  run: { json: false, seed: true, help: false },
  compare: { workload: true, ops: true, keys: true, seed: true, json: false, distribution: true, clients: true, help: false },
  help: {},
};

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  const known = command !== undefined && Object.hasOwn(COMMAND_FLAGS, command) ? COMMAND_FLAGS[command] : undefined;
  // A command the CLI does not know (or `--help`) keeps what follows it as it is: the caller names the command, the
  // first thing wrong, rather than its flags against a list of none.
  if (!known) return { command, positional: [...rest], flags };
  const names = Object.keys(known).map((f) => `--${f}`);
  const list = names.length > 0 ? `expected one of ${names.join(', ')}` : `${command ?? 'the CLI'} takes no flags`;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (/^-[^-]/.test(a)) throw new UsageError(`unknown flag ${a} for ${command ?? 'the CLI'}: flags start with two dashes; ${list}`);
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (!Object.hasOwn(known, name)) {
      throw new UsageError(`unknown flag --${name} for ${command ?? 'the CLI'}; ${list}`);
    }
    if (flags.has(name)) throw new UsageError(`--${name} is given twice; give it once`);
    if (known[name]) {
      const value = eq !== -1 ? a.slice(eq + 1) : rest[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    }
  }
  return { command, positional, flags };
}

/** A whole number flag within bounds. */
export function intFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  if (v === true || !/^-?\d+$/.test(v)) throw new UsageError(`--${name} expects a whole number from ${min} to ${max}, got "${String(v)}"`);
  const n = Number(v);
  // As typed: a number past 2^53 would print rounded (99999999999999999999 as 100000000000000000000).
  if (n < min || n > max) throw new UsageError(`--${name} expects a whole number from ${min} to ${max}, got ${v}`);
  return n;
}
