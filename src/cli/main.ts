// `cache-workbench`: the command-line front end of the engine. `run` executes a scenario file, `compare` measures
// every strategy on one generated workload. Exit codes: 0 all expectations held, 1 one failed, 2 usage or parse error.
import { readFileSync } from 'node:fs';
import { compareStrategies } from '../model/compare';
import { defaultWorkload, isWorkload, WORKLOADS } from '../model/workload';
import type { KeyDistribution } from '../model/workload';
import { parseScenario } from '../scenario/parser';
import { runProgram } from '../scenario/runner';
import { intFlag, parseArgs, UsageError } from './args';
import type { ParsedArgs } from './args';
import { comparisonReport, runReport } from './format';

const USAGE = `usage:
  cache-workbench run FILE [--json] [--seed N]
  cache-workbench compare [--workload ${WORKLOADS.join('|')}] [--ops N] [--keys N] [--distribution uniform|zipf] [--clients N] [--seed N] [--json]
  cache-workbench help`;

export interface Io {
  out(s: string): void;
  err(s: string): void;
  readFile(path: string): string;
}

export function main(argv: readonly string[], io: Io): number {
  try {
    const args = parseArgs(argv);
    switch (args.command) {
      case 'run':
        return run(args, io);
      case 'compare':
        return compare(args, io);
      case 'help':
      case '--help':
      case '-h':
        if (args.positional.length > 0) throw new UsageError(`${args.command} takes nothing after it, got "${args.positional[0] ?? ''}" (for a command's flags: cache-workbench run --help)`);
        io.out(USAGE);
        return 0;
      case undefined:
        io.err(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command "${args.command}"; expected run, compare or help`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

function run(args: ParsedArgs, io: Io): number {
  if (args.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  if (args.positional.length !== 1) throw new UsageError(`run expects exactly one scenario FILE, got ${args.positional.length}`);
  const file = args.positional[0] as string;
  const seed = intFlag(args, 'seed', 1, 0, 2 ** 31 - 1);
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    io.err(`${file}:1:1: error: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
    return 2;
  }
  const program = parseScenario(text);
  const errors = program.diagnostics.filter((d) => d.severity === 'error');
  for (const d of program.diagnostics) io.err(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  if (errors.length > 0) return 2;
  const result = runProgram(program, { seed });
  if (args.flags.has('json')) {
    const { strategy, ok, metrics, expectations, steps, errors: runErrors } = result;
    io.out(JSON.stringify({ strategy, ok, metrics, expectations, errors: runErrors, steps }, null, 2));
  } else {
    io.out(runReport(file, result));
  }
  return result.ok ? 0 : 1;
}

function compare(args: ParsedArgs, io: Io): number {
  if (args.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`compare takes no positional arguments, got "${args.positional.join(' ')}"`);
  const w = args.flags.get('workload') ?? 'mixed';
  if (w === true || !isWorkload(w)) throw new UsageError(`--workload expects one of ${WORKLOADS.join(', ')}, got "${String(w)}"`);
  const d = args.flags.get('distribution') ?? 'zipf';
  if (d !== 'uniform' && d !== 'zipf') throw new UsageError(`--distribution expects uniform or zipf, got "${String(d)}"`);
  const spec = {
    ...defaultWorkload(w),
    ops: intFlag(args, 'ops', 10_000, 1, 10_000_000),
    keys: intFlag(args, 'keys', 1000, 1, 1_000_000),
    clients: intFlag(args, 'clients', 4, 1, 1000),
    seed: intFlag(args, 'seed', 1, 0, 2 ** 31 - 1),
    distribution: d as KeyDistribution,
  };
  const c = compareStrategies(spec);
  if (args.flags.has('json')) {
    io.out(
      JSON.stringify(
        {
          workload: spec.kind,
          ops: spec.ops,
          keys: spec.keys,
          distribution: spec.distribution,
          clients: spec.clients,
          seed: spec.seed,
          results: c.results.map((r) => ({ strategy: r.strategy, metrics: r.metrics, lostInCrash: r.lostInCrash, staleReadRate: r.staleReadRate, labels: r.labels })),
        },
        null,
        2,
      ),
    );
  } else io.out(comparisonReport(c));
  return 0;
}

// Only run when executed as the bundled CLI, not when imported by tests.
if (typeof require !== 'undefined' && require.main === module) {
  // A reader that stops early (`| head`) closes the pipe: the rest of the output has nowhere to go, which is no error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const code = main(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    readFile: (p) => readFileSync(p, 'utf8'),
  });
  process.exitCode = code;
}
