// `cache-workbench`: the command-line front end of the engine. `run` executes a scenario file, `compare` measures
// every strategy on one generated workload. Exit codes: 0 all expectations held, 1 one failed, 2 usage or parse error.
import { readFileSync, writeSync } from 'node:fs';
import { compareStrategies } from '../model/compare';
import { defaultWorkload, isWorkload, WORKLOADS } from '../model/workload';
import type { KeyDistribution } from '../model/workload';
import { diagnosticLine } from '../scenario/ast';
import { parseScenario } from '../scenario/parser';
import { runProgram } from '../scenario/runner';
import { intFlag, parseArgs, UsageError } from './args';
import type { ParsedArgs } from './args';
import { comparisonReport, jsonLines, runReportLines } from './format';

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
  for (const d of program.diagnostics) io.err(diagnosticLine(file, d));
  if (errors.length > 0) return 2;
  const result = runProgram(program, { seed });
  if (args.flags.has('json')) {
    const { strategy, ok, metrics, expectations, steps, errors: runErrors } = result;
    // The parser's warnings (on stderr too) and the run's, in line order: a reader of the JSON alone sees them all.
    const parsed = program.diagnostics.filter((d) => d.severity === 'warning').map((d) => ({ line: d.line, message: d.message }));
    const warnings = [...parsed, ...result.warnings].sort((a, b) => a.line - b.line);
    writeLines(io, jsonLines({ strategy, ok, metrics, expectations, errors: runErrors, warnings, steps }));
  } else {
    writeLines(io, runReportLines(file, result));
  }
  return result.ok ? 0 : 1;
}

/** Characters gathered before a write: few writes for a long trace, and never one string too long to build. */
const CHUNK = 1 << 20;

/** Writes lines as `io.out` calls of about CHUNK characters each; the output is the lines joined by newlines. */
function writeLines(io: Io, lines: Iterable<string>): void {
  let chunk: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size > 0 && size + line.length > CHUNK) {
      io.out(chunk.join('\n'));
      chunk = [];
      size = 0;
    }
    chunk.push(line);
    size += line.length + 1;
  }
  if (chunk.length > 0) io.out(chunk.join('\n'));
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

/** The output could not be written (a full disk, a device that refuses it): said on one line, exit code 2. */
class OutputError extends Error {}

/** File descriptors whose reader has gone: the rest of their output has nowhere to go. */
const closedFds = new Set<number>();

/**
 * Writes to stdout (1) or stderr (2) synchronously, to the last byte. `process.stdout` on a pipe queues what the
 * reader has not taken yet, all of it, and a trace of a gigabyte or more fails there (ENOBUFS); writing here waits for
 * the reader instead. A reader that stops early (`| head`) closes the pipe, which is no error: the exit code stays the
 * run's (through `process.stderr`, the EPIPE of a closed stderr ended the process with exit code 1).
 */
function writeFd(fd: 1 | 2, s: string): void {
  if (closedFds.has(fd)) return;
  const buf = Buffer.from(s, 'utf8');
  let offset = 0;
  while (offset < buf.length) {
    try {
      offset += writeSync(fd, buf, offset);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        closedFds.add(fd);
        return;
      }
      // A non-blocking pipe that is full: give the reader a millisecond, then write on.
      if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      else throw new OutputError(`cannot write to ${fd === 1 ? 'stdout' : 'stderr'}: ${(e as Error).message}`);
    }
  }
}

// Only run when executed as the bundled CLI, not when imported by tests.
if (typeof require !== 'undefined' && require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2), {
      out: (s) => writeFd(1, `${s}\n`),
      err: (s) => writeFd(2, `${s}\n`),
      readFile: (p) => readFileSync(p, 'utf8'),
    });
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    // Exit code 1 would read as a failed expectation: this run could not report at all.
    if (!closedFds.has(2)) {
      try {
        writeSync(2, `error: ${e.message}\n`);
      } catch {
        // stderr is gone too: the exit code is all that is left.
      }
    }
    process.exitCode = 2;
  }
}
