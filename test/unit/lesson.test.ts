// Integrity of the lesson content: sections against claims.md, snippets that compile, a well-formed quiz bank,
// and question templates that expand into valid scenario text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import {
  ALL_CLAIMS,
  DIAGRAM_VARIANTS,
  LESSON_SECTIONS,
  QUIZ_BANK,
  SCENARIO_QUESTION_TEMPLATES,
  SNIPPETS,
  drawTemplateParams,
  instantiateTemplate,
  mulberry32,
  parseInline,
} from '../../src/lesson/index';
import type { Block, ClaimId } from '../../src/lesson/index';
import { METRIC_NAMES, STRATEGIES, metricValue } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { scenarioFor } from '../../src/views/traces';
import { SETTINGS } from '../../src/scenario/settings';

const SCENARIO_NAMES = [
  'c01-write-through-ack-after-both',
  'c02-write-through-read-after-write-fresh',
  'c03-write-through-two-round-trips',
  'c04-write-through-cache-pollution',
  'c05-write-through-read-heavy',
  'c06-write-behind-ack-after-cache',
  'c07-write-behind-coalescing',
  'c08-write-behind-crash-loses-writes',
  'c09-write-behind-stale-db-and-other-node',
  'c10-write-behind-wal-survives-crash',
  'c11-write-behind-counters',
  'c12-write-around-first-read-misses',
  'c13-write-around-no-pollution',
  'c14-cache-aside-race-stale-entry',
  'c15-hybrid-fresh-and-lazy',
  'c16-write-through-db-failure-rolls-back',
  'c17-comparison-table',
  'c17-comparison-table-write-through',
  'c17-comparison-table-write-around',
  'c17-comparison-table-cache-aside',
  'c18-counters-lost-on-crash',
];
const SCENARIO_FILES = SCENARIO_NAMES.map((n) => `${n}.cachescenario`);

/** The claim a bundled scenario demonstrates, from its number: c05-... -> C5. */
function claimOfScenario(file: string): string {
  return `C${Number(file.slice(1, 3))}`;
}

/** Every piece of inline text in a block, labelled for error messages. */
function inlineTexts(b: Block): string[] {
  switch (b.kind) {
    case 'p':
      return [b.text];
    case 'list':
      return b.items;
    case 'callout':
      return [b.title, b.text];
    case 'table':
      return [...b.head, ...b.rows.flat()];
    case 'diagram':
      return [b.caption];
    case 'snippet':
      return [];
  }
}

/** Fails if `text` is empty or uses markup other than **bold** and `code`, or leaves a marker unmatched. */
function assertInline(text: string, where: string): void {
  assert.ok(text.trim().length > 0, `${where}: empty text`);
  assert.equal(text, text.trim(), `${where}: leading or trailing whitespace`);
  for (const span of parseInline(text)) {
    assert.ok(span.text.length > 0, `${where}: empty ${span.kind} span`);
    if (span.kind === 'code') continue;
    assert.ok(!span.text.includes('`'), `${where}: unmatched backtick in "${text}"`);
    assert.ok(!span.text.includes('*'), `${where}: stray * (only **bold** is allowed) in "${text}"`);
    assert.ok(!/<[a-z/]/i.test(span.text), `${where}: HTML is not allowed in "${text}"`);
    assert.ok(!/\]\(/.test(span.text), `${where}: links are not allowed in "${text}"`);
    assert.ok(!/__/.test(span.text), `${where}: underscore emphasis is not allowed in "${text}"`);
  }
}

describe('parseInline', () => {
  it('splits bold and code spans and keeps the rest literal', () => {
    assert.deepEqual(parseInline('a **b** `c` d'), [
      { kind: 'text', text: 'a ' },
      { kind: 'bold', text: 'b' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'c' },
      { kind: 'text', text: ' d' },
    ]);
  });
  it('leaves ** inside code alone and keeps unmatched markers as text', () => {
    assert.deepEqual(parseInline('`a ** b`'), [{ kind: 'code', text: 'a ** b' }]);
    assert.deepEqual(parseInline('x ** y'), [{ kind: 'text', text: 'x ** y' }]);
    assert.deepEqual(parseInline('a ` b'), [{ kind: 'text', text: 'a ` b' }]);
    assert.deepEqual(parseInline(''), []);
  });
});

describe('lesson sections', () => {
  it('has the nine sections in lesson order', () => {
    assert.deepEqual(
      LESSON_SECTIONS.map((s) => s.id),
      ['spectrum', 'write-through', 'write-behind', 'durability', 'write-around', 'cache-aside', 'comparison', 'hybrid', 'choosing'],
    );
  });

  it('covers every claim C1..C18 in at least one section', () => {
    const covered = new Set(LESSON_SECTIONS.flatMap((s) => s.claims));
    assert.deepEqual(ALL_CLAIMS.filter((c) => !covered.has(c)), []);
    assert.equal(ALL_CLAIMS.length, 18);
  });

  it('names only bundled scenarios, each matching one of the section\'s claims, and uses all of them', () => {
    const used = new Set<string>();
    for (const s of LESSON_SECTIONS) {
      assert.ok(s.scenarios.length > 0, `${s.id}: no scenarios`);
      assert.equal(new Set(s.scenarios).size, s.scenarios.length, `${s.id}: duplicate scenario`);
      for (const f of s.scenarios) {
        assert.ok(SCENARIO_FILES.includes(f), `${s.id}: unknown scenario ${f}`);
        assert.ok((s.claims as string[]).includes(claimOfScenario(f)), `${s.id}: ${f} demonstrates a claim the section does not list`);
        used.add(f);
      }
      assert.equal(new Set(s.claims).size, s.claims.length, `${s.id}: duplicate claim`);
    }
    assert.deepEqual(SCENARIO_FILES.filter((f) => !used.has(f)), []);
  });

  it('has non-empty titles, summaries and bodies with only **bold** and `code` markup', () => {
    for (const s of LESSON_SECTIONS) {
      assertInline(s.title, `${s.id}.title`);
      assertInline(s.summary, `${s.id}.summary`);
      assert.ok(s.body.length > 0, `${s.id}: empty body`);
      s.body.forEach((b, i) => {
        for (const text of inlineTexts(b)) assertInline(text, `${s.id}.body[${i}] (${b.kind})`);
        if (b.kind === 'list') assert.ok(b.items.length > 0, `${s.id}.body[${i}]: empty list`);
        if (b.kind === 'table') {
          assert.ok(b.rows.length > 0, `${s.id}.body[${i}]: table without rows`);
          for (const row of b.rows) assert.equal(row.length, b.head.length, `${s.id}.body[${i}]: ragged table row`);
        }
      });
    }
  });

  it('uses known strategies and diagram variants, and has code for every snippet block', () => {
    for (const s of LESSON_SECTIONS) {
      if (s.strategy !== undefined) assert.ok(STRATEGIES.includes(s.strategy), `${s.id}: bad strategy`);
      for (const b of s.body) {
        if (b.kind === 'diagram') {
          assert.ok(STRATEGIES.includes(b.strategy));
          assert.ok(DIAGRAM_VARIANTS.includes(b.variant));
        }
        if (b.kind === 'snippet') assert.ok(SNIPPETS.some((sn) => sn.strategy === b.strategy), `${s.id}: no snippet for ${b.strategy}`);
      }
    }
  });

  it('gives the comparison table one row per strategy with the four measured dimensions', () => {
    const table = LESSON_SECTIONS.find((s) => s.id === 'comparison')?.body.find((b) => b.kind === 'table');
    assert.ok(table && table.kind === 'table');
    assert.equal(table.head.length, 5);
    assert.deepEqual(
      table.rows.map((r) => r[0]),
      ['Write-through', 'Write-behind', 'Write-around', 'Cache-aside'],
    );
  });

  it('points at scenario files that exist once the scenarios folder is populated', (t) => {
    const dir = join(process.cwd(), 'scenarios');
    const present = existsSync(dir) ? readdirSync(dir).filter((f) => /^c\d\d-.*\.cachescenario$/.test(f)) : [];
    if (present.length === 0) {
      t.skip('no bundled claim scenarios yet');
      return;
    }
    const referenced = new Set([...LESSON_SECTIONS.flatMap((s) => s.scenarios), ...SNIPPETS.map((s) => s.scenario)]);
    for (const f of referenced) assert.ok(existsSync(join(dir, f)), `missing scenarios/${f}`);
  });
});

/** Checks brackets balance outside strings and comments, and that indentation is spaces in steps of four. */
function checkPythonShape(code: string, where: string): void {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  code.split('\n').forEach((line, n) => {
    assert.ok(!line.includes('\t'), `${where}:${n + 1}: tab character`);
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== '') assert.equal(indent % 4, 0, `${where}:${n + 1}: indentation of ${indent} spaces`);
    let quote: string | null = null;
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === '#') break;
      if (c === '"' || c === "'") quote = c;
      else if ('([{'.includes(c)) stack.push(c);
      else if (c in pairs) assert.equal(stack.pop(), pairs[c], `${where}:${n + 1}: unbalanced ${c}`);
    }
    assert.equal(quote, null, `${where}:${n + 1}: unterminated string`);
  });
  assert.deepEqual(stack, [], `${where}: unclosed brackets`);
}

describe('snippets', () => {
  it('has one Python and one TypeScript snippet per strategy', () => {
    assert.equal(SNIPPETS.length, STRATEGIES.length * 2);
    for (const strategy of STRATEGIES) {
      for (const language of ['python', 'typescript'] as const) {
        assert.equal(SNIPPETS.filter((s) => s.strategy === strategy && s.language === language).length, 1, `${strategy}/${language}`);
      }
    }
  });

  it('keeps snippets short, titled, commented and tied to a bundled scenario', () => {
    for (const s of SNIPPETS) {
      const where = `${s.strategy}/${s.language}`;
      const lines = s.code.trimEnd().split('\n');
      assert.ok(lines.length >= 15 && lines.length <= 40, `${where}: ${lines.length} lines`);
      assert.ok(s.title.trim().length > 0);
      assert.ok(lines[0]?.startsWith(s.language === 'python' ? '# ' : '// '), `${where}: should open with a comment`);
      assert.ok(SCENARIO_FILES.includes(s.scenario), `${where}: unknown scenario ${s.scenario}`);
      assert.ok(!/[ \t]+$/m.test(s.code), `${where}: trailing whitespace`);
    }
  });

  it('write-through snippets that upsert order their writers with a lock a key with no row yet takes too', () => {
    // SELECT ... FOR UPDATE locks the rows it finds: for a key with no row it locks nothing, so two first writes of it
    // could reach the cache in one order and the database in the other.
    for (const s of SNIPPETS.filter((x) => x.strategy === 'write-through')) {
      assert.match(s.code, /ON CONFLICT/, `${s.language}: the write upserts`);
      assert.doesNotMatch(s.code, /FOR UPDATE['"]/, `${s.language}: the lock must not depend on the row existing`);
      assert.match(s.code, /pg_advisory_xact_lock/, `${s.language}: a transaction-scoped lock on the key`);
    }
  });

  it('has TypeScript snippets without syntax errors (transpileModule)', () => {
    for (const s of SNIPPETS.filter((x) => x.language === 'typescript')) {
      const out = ts.transpileModule(s.code, { reportDiagnostics: true, fileName: `${s.strategy}.ts`, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
      const messages = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      assert.deepEqual(messages, [], s.strategy);
    }
  });

  it('has TypeScript snippets that type-check under strict settings', () => {
    const files = new Map(SNIPPETS.filter((s) => s.language === 'typescript').map((s) => [`/snippets/${s.strategy.replace('+', '-')}.ts`, s.code]));
    // The two host globals the snippets use; declaring them beats loading the DOM or Node typings (seconds of checking).
    files.set('/snippets/host.d.ts', 'declare function setTimeout(callback: (...args: never[]) => void, ms: number): unknown;\ndeclare const console: { warn(...data: unknown[]): void };\n');
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: true,
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => {
      const code = files.get(name);
      return code !== undefined ? ts.createSourceFile(name, code, lang) : getSourceFile(name, lang, ...rest);
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => files.has(name) || fileExists(name);
    const program = ts.createProgram([...files.keys()], options, host);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    assert.deepEqual(messages, []);
  });

  it('has Python snippets with balanced brackets and four-space indentation', () => {
    for (const s of SNIPPETS.filter((x) => x.language === 'python')) checkPythonShape(s.code, s.strategy);
  });

  it('has Python snippets that a Python parser accepts (when python3 is installed)', (t) => {
    const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      t.skip('python3 not available');
      return;
    }
    for (const s of SNIPPETS.filter((x) => x.language === 'python')) {
      const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: s.code, encoding: 'utf8' });
      assert.equal(r.status, 0, `${s.strategy}: ${r.stderr}`);
    }
  });
});

/** The write-behind snippet in one language, as the lesson shows it. */
function writeBehindCode(language: 'python' | 'typescript'): string {
  const s = SNIPPETS.find((x) => x.strategy === 'write-behind' && x.language === language);
  assert.ok(s, `no write-behind ${language} snippet`);
  return s.code;
}

/** Interface of the TypeScript write-behind snippet's class, as the test drives it. */
interface WriteBehindWriterLike {
  write(key: string, value: string): Promise<void>;
  flush(intervalMs: number): Promise<number>;
}
type WriterClass = new (
  cache: { set(key: string, value: string): Promise<void> },
  db: { upsertMany(rows: Array<[string, string]>): Promise<void> },
) => WriteBehindWriterLike;

/** Compiles the TypeScript snippet to CommonJS and returns its exported class. */
function loadWriteBehindTs(code: string): WriterClass {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
  const exports: Record<string, unknown> = {};
  (vm.runInThisContext(`(function (exports) {\n${js}\n})`) as (e: Record<string, unknown>) => void)(exports);
  return exports.WriteBehindWriter as WriterClass;
}

/**
 * Writer A's cache write lands and then stalls while writer B writes the same key; A finishes last. Returns what
 * the cache and the database hold after a flush. With the cache write and the dirty-map update as one step, B's
 * whole write comes after A's and both stores end with B.
 */
async function interleaveTs(code: string): Promise<{ cache: string | undefined; db: string | undefined }> {
  const Writer = loadWriteBehindTs(code);
  const cache = new Map<string, string>();
  const db = new Map<string, string>();
  let releaseA: () => void = () => undefined;
  const writer = new Writer(
    {
      set: (key, value) => {
        cache.set(key, value);
        return value === 'A' ? new Promise<void>((resolve) => (releaseA = resolve)) : Promise.resolve();
      },
    },
    { upsertMany: async (rows) => void rows.forEach(([k, v]) => db.set(k, v)) },
  );
  const ticks = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  const a = writer.write('k', 'A');
  await ticks();
  const b = writer.write('k', 'B');
  await ticks();
  releaseA();
  await Promise.all([a, b]);
  await writer.flush(1000);
  return { cache: cache.get('k'), db: db.get('k') };
}

/** Python that drives the snippet's WriteBehindWriter the same way, with threads; prints one JSON line. */
const PY_INTERLEAVE = `
import json, threading, time

class FakeCache:
    def __init__(self):
        self.data, self.a_landed, self.release_a = {}, threading.Event(), threading.Event()
    def set(self, key, value):
        self.data[key] = value
        if value == "A":
            self.a_landed.set()
            self.release_a.wait(5)

class FakeDb:
    def __init__(self, fail):
        self.rows, self.fail = {}, fail
    def upsert_many(self, rows):
        if self.fail:
            raise ConnectionError("database down")
        self.rows.update(rows)

cache, db = FakeCache(), FakeDb(False)
writer = WriteBehindWriter(cache, db)
a = threading.Thread(target=writer.write, args=("k", "A")); a.start()
cache.a_landed.wait(5)
b = threading.Thread(target=writer.write, args=("k", "B")); b.start()
time.sleep(0.2)  # room for B to run ahead of A, if the writer lets it
cache.release_a.set(); a.join(); b.join()
stop = threading.Event(); stop.set()
left = writer.run_flusher(stop)

down = WriteBehindWriter(FakeCache(), FakeDb(True))
down.write("x", "1")
left_down = down.run_flusher(stop)
print(json.dumps({"cache": cache.data.get("k"), "db": db.rows.get("k"), "left": left, "leftDown": left_down}))
`;

describe('the write-behind snippets', () => {
  it('TypeScript: a write paused after its cache write cannot be overtaken, so cache and database end equal', async () => {
    assert.deepEqual(await interleaveTs(writeBehindCode('typescript')), { cache: 'B', db: 'B' });
  });

  it('Python: the same interleaving with threads ends equal, and a failed last flush hands back what is left (when python3 is installed)', (t) => {
    const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      t.skip('python3 not available');
      return;
    }
    const r = spawnSync('python3', ['-c', writeBehindCode('python') + PY_INTERLEAVE], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { cache: 'B', db: 'B', left: {}, leftDown: { x: '1' } });
  });

  it('Python: the flusher does not claim that stopping loses nothing', () => {
    const code = writeBehindCode('python');
    assert.doesNotMatch(code, /only a crash loses/);
    assert.match(code, /def run_flusher\(self, stop: threading\.Event\) -> dict\[str, str\]:/);
  });
});

/** The lesson's inline text of one section, joined. */
function sectionText(id: string): string {
  const s = LESSON_SECTIONS.find((x) => x.id === id);
  assert.ok(s, `no section ${id}`);
  return s.body.flatMap(inlineTexts).join('\n');
}

function runSource(source: string): ReturnType<typeof runProgram> {
  const program = parseScenario(source);
  assert.deepEqual(program.diagnostics, []);
  return runProgram(program);
}

describe('lesson text the simulator backs', () => {
  it('C17: the full measured table comes from Compare Strategies and `cache-workbench compare`; the c17 files measure one row each, on one workload', () => {
    const text = sectionText('comparison');
    assert.match(text, /`cache-workbench compare`/);
    assert.match(text, /\*\*Compare Strategies\*\*/);
    assert.doesNotMatch(text, /scenario runs (all|every)/);
    assert.match(text, /four comparison scenarios below measure one row each/);
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { contributes: { commands: { title: string }[] } };
    assert.ok(pkg.contributes.commands.some((c) => c.title === 'Compare Strategies'));
    // One file per row of the lesson's table, in its order: the same operations, only the strategy line differs.
    const files = LESSON_SECTIONS.find((s) => s.id === 'comparison')?.scenarios ?? [];
    const texts = files.map((f) => readFileSync(join(process.cwd(), 'scenarios', f), 'utf8'));
    assert.deepEqual(
      texts.map((t) => t.match(/^strategy \S+$/gm)),
      [['strategy write-through'], ['strategy write-behind'], ['strategy write-around'], ['strategy cache-aside']],
    );
    const operations = (t: string): string => t.split('\n').filter((l) => !/^(#|expect |strategy )/.test(l)).join('\n');
    for (const t of texts) assert.equal(operations(t), operations(texts[0] as string));
    assert.ok(operations(texts[0] as string).split('\n').length > 15);
    for (const [i, t] of texts.entries()) assert.ok(runSource(t).ok, files[i]);
  });

  it('write-through is fresh only through the cache that took the write: another node serves a stale copy', () => {
    const result = runSource(
      'strategy write-through\nset cache.nodes 2\nload product:1 {"price": 10}\nread product:1 via node2\n' +
        'write product:1 {"price": 12} via node1\nread product:1 via node2\nexpect value {"price": 10}\nexpect stale',
    );
    assert.ok(result.ok, JSON.stringify(result.expectations));
    assert.equal(result.metrics.staleReads, 1);
    const text = sectionText('write-through');
    assert.doesNotMatch(text, /always sees it/);
    assert.match(text, /Other cache nodes still go stale/);
    assert.match(text, /`set cache\.nodes 2`/);
    assert.match(sectionText('write-behind'), /not write-behind's alone: under write-through, too/);
    const table = LESSON_SECTIONS.find((s) => s.id === 'comparison')?.body.find((b) => b.kind === 'table');
    assert.ok(table && table.kind === 'table');
    assert.match(table.rows[0]?.[2] ?? '', /one shared cache; other nodes keep old copies/);
  });

  it('write-through: a reader can see the new value before the commit, and the times the lesson gives are the run\'s', () => {
    // The run the lesson points to: the write-through diagram's Dirty read variant, example x14.
    assert.equal(scenarioFor('write-through', 'dirty-read'), 'x14-write-through-dirty-read.cachescenario');
    const result = runSource(readFileSync(join(process.cwd(), 'scenarios', 'x14-write-through-dirty-read.cachescenario'), 'utf8'));
    assert.ok(result.ok, JSON.stringify(result.expectations));
    const at = (action: string, outcome: string): number | undefined =>
      result.steps.find((st) => st.action === action && st.outcome === outcome && st.key === 'product:1' && st.time > 11)?.time;
    const bobGot = result.steps.find((st) => st.client === 'bob' && st.action === 'ack');
    assert.deepEqual([bobGot?.time, bobGot?.value], [26, { price: 12 }]);
    assert.equal(at('db.write', 'error'), 31);
    assert.equal(at('cache.rollback', 'ok'), 32);
    const text = sectionText('write-through');
    assert.equal(result.metrics.dirtyReads, 1);
    assert.match(text, /Dirty read variant \(example x14\) runs it: the write starts at 20 ms .* bob reads the key at 25 ms and gets the new price at 26 ms, the commit fails at 31 ms and the entry is rolled back at 32 ms/s);
    assert.match(text, /Both-or-neither describes what the two stores hold once the write has settled/);
  });

  it('write-behind: Hazelcast holds each entry its whole delay from its first update, as example x15 runs it', () => {
    const text = sectionText('write-behind');
    assert.match(text, /Each entry then waits the whole delay, counted from its first update, and a later update to the same key does not push it back \(`writeBehind.writeDelay`: the diagram's Write delay variant, example x15\)/);
    assert.equal(scenarioFor('write-behind', 'write-delay'), 'x15-hazelcast-write-delay.cachescenario');
    const result = runSource(readFileSync(join(process.cwd(), 'scenarios', 'x15-hazelcast-write-delay.cachescenario'), 'utf8'));
    assert.ok(result.ok, JSON.stringify(result.expectations));
    // stock:1 written at 1 ms and again at 1501 ms, stock:2 at 901 ms: the worker's run at 2 s stores both rows (one
    // per round trip), the first carrying both of its writes; nothing goes at 1 s.
    const batches = result.steps.filter((st) => st.action === 'db.batch').map((st) => `${st.time} ${st.key} [${(st.writes ?? []).join(',')}]`);
    assert.deepEqual(batches, ['2010 stock:1 [3,5]', '2020 stock:2 [4]'], 'write ids 1 and 2 are the load lines');
  });

  it('write-around: the node loads a miss (cache + DB), one cache round trip less than a cache-aside read; the lesson and the quiz say so', () => {
    // The engine's write-around reads are read-through; cache-aside reads fill the cache from the application. The
    // lesson once said write-around fills "exactly as cache-aside does" (and its snippet fills from the application),
    // while the computed question marked cache-aside's number (2 x cache + DB) wrong without saying who loads.
    const readAfterWrite = (strategy: string): number =>
      runSource(`strategy ${strategy}\nset cache.latency 1ms\nset db.latency 10ms\nwrite k 1\nread k\nexpect value 1`).metrics.readLatencyMs.max;
    assert.equal(readAfterWrite('write-around'), 11);
    assert.equal(readAfterWrite('cache-aside'), 12);
    const text = sectionText('write-around');
    assert.doesNotMatch(text, /exactly as cache-aside/);
    assert.match(text, /the cache node loads that miss itself \(read-through\)/);
    assert.match(text, /1 \+ 10 = 11 ms with the default latencies/);
    assert.match(text, /its fill costs one cache round trip more/);
    // What the lesson says of the snippet: it fills from the application, and waits for that fill before returning.
    for (const s of SNIPPETS.filter((x) => x.strategy === 'write-around')) {
      assert.match(s.code, s.language === 'python' ? /\n {8}cache\.set\(key, body, ttl=300\)\n {4}return body/ : /await cache\.set\(key, body, 300\);\n {2}return body;/, s.language);
    }
    const t = SCENARIO_QUESTION_TEMPLATES.find((x) => x.id === 't-wa-read-after-write');
    assert.ok(t);
    assert.match(t.prompt, /the cache node loads a miss from the database itself/);
  });

  it('the write-ahead log costs no virtual time, and the lesson says so', () => {
    const source = readFileSync(join(process.cwd(), 'scenarios', 'c10-write-behind-wal-survives-crash.cachescenario'), 'utf8');
    const on = runSource(source);
    const off = runSource(source.replace('set writeBehind.wal on', 'set writeBehind.wal off'));
    assert.equal(on.metrics.writeLatencyMs.max, 1);
    assert.equal(off.metrics.writeLatencyMs.max, 1);
    assert.ok(on.steps.some((st) => st.action === 'wal.append'));
    const text = sectionText('durability');
    assert.doesNotMatch(text, /costs one extra append/);
    assert.match(text, /The simulator charges no time for the append/);
  });
});

describe('quiz bank', () => {
  it('has at least 18 questions with unique ids', () => {
    assert.ok(QUIZ_BANK.length >= 18, `only ${QUIZ_BANK.length} questions`);
    assert.equal(new Set(QUIZ_BANK.map((q) => q.id)).size, QUIZ_BANK.length);
  });

  it('covers every claim and uses every question style', () => {
    const claims = new Set<ClaimId>(QUIZ_BANK.map((q) => q.claim));
    assert.deepEqual(ALL_CLAIMS.filter((c) => !claims.has(c)), []);
    assert.deepEqual(new Set(QUIZ_BANK.map((q) => q.style)), new Set(['definition', 'scenario', 'choose']));
  });

  it('gives each question 3-4 options, exactly one correct, and an explanation on every option', () => {
    for (const q of QUIZ_BANK) {
      assertInline(q.prompt, `${q.id}.prompt`);
      assert.ok(q.options.length >= 3 && q.options.length <= 4, `${q.id}: ${q.options.length} options`);
      assert.equal(new Set(q.options.map((o) => o.id)).size, q.options.length, `${q.id}: duplicate option id`);
      assert.equal(new Set(q.options.map((o) => o.text)).size, q.options.length, `${q.id}: duplicate option text`);
      assert.equal(q.options.filter((o) => o.id === q.correct).length, 1, `${q.id}: correct option not found`);
      for (const o of q.options) {
        assertInline(o.text, `${q.id}.${o.id}.text`);
        assertInline(o.explanation, `${q.id}.${o.id}.explanation`);
        // Explanations say plainly which one is right, and only that one.
        assert.equal(o.explanation.startsWith('Correct.'), o.id === q.correct, `${q.id}.${o.id}: explanation vs correct flag`);
      }
    }
  });
});

describe('scenario question templates', () => {
  const STATEMENT = /^(strategy|preset|set|load|write|incr|read|read-db|advance|crash|restart|fail|recover|at|expect)\b/;
  const settingNames = new Set(SETTINGS.map((s) => s.name));

  it('has six templates with unique ids, one claim each, and answer metrics', () => {
    assert.equal(SCENARIO_QUESTION_TEMPLATES.length, 6);
    assert.equal(new Set(SCENARIO_QUESTION_TEMPLATES.map((t) => t.id)).size, 6);
    // Distinct claims: an attempt may draw every template and still ask no claim twice.
    assert.equal(new Set(SCENARIO_QUESTION_TEMPLATES.map((t) => t.claim)).size, 6);
    for (const t of SCENARIO_QUESTION_TEMPLATES) {
      assert.ok((ALL_CLAIMS as readonly string[]).includes(t.claim));
      assert.ok((METRIC_NAMES as readonly string[]).includes(t.answerMetric.split('.')[0] ?? ''), `${t.id}: ${t.answerMetric}`);
    }
  });

  it('declares every placeholder it uses, and uses every one it declares', () => {
    for (const t of SCENARIO_QUESTION_TEMPLATES) {
      const used = new Set([...`${t.prompt}\n${t.scenario}`.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
      used.delete('i');
      assert.deepEqual([...used].sort(), Object.keys(t.params).sort(), t.id);
    }
  });

  it('expands into scenario text made of known statements and settings, for many drawn parameter sets', () => {
    for (const t of SCENARIO_QUESTION_TEMPLATES) {
      const rng = mulberry32(7);
      for (let k = 0; k < 25; k++) {
        const params = drawTemplateParams(t, rng);
        const { prompt, scenarioText } = instantiateTemplate(t, params);
        assert.ok(!/[{}@]/.test(prompt.replace(/\{"[^}]*\}/g, '')), `${t.id}: leftover placeholder in "${prompt}"`);
        for (const line of scenarioText.split('\n')) {
          assert.match(line, STATEMENT, `${t.id}: not a statement: "${line}"`);
          assert.ok(!/[{}]/.test(line), `${t.id}: leftover placeholder in "${line}"`);
          const set = /^set (\S+) /.exec(line);
          if (set) assert.ok(settingNames.has(set[1] ?? ''), `${t.id}: unknown setting ${set[1]}`);
        }
        for (const [name, spec] of Object.entries(t.params)) {
          const v = params[name];
          if (spec.kind === 'int') assert.ok(typeof v === 'number' && Number.isInteger(v) && v >= spec.min && v <= spec.max, `${t.id}.${name}=${v}`);
          else assert.ok(v !== undefined && spec.choices.includes(v), `${t.id}.${name}=${v}`);
        }
      }
    }
  });

  it('fills every prompt so that it reads well with every value it can draw (no "a 8ms")', () => {
    for (const t of SCENARIO_QUESTION_TEMPLATES) {
      // Every value of each parameter, the others at their first value: a prompt's words around one placeholder
      // do not depend on another's value.
      const first = Object.fromEntries(Object.entries(t.params).map(([n, s]) => [n, s.kind === 'int' ? s.min : (s.choices[0] as string | number)]));
      for (const [name, spec] of Object.entries(t.params)) {
        const values = spec.kind === 'int' ? Array.from({ length: spec.max - spec.min + 1 }, (_, i) => spec.min + i) : spec.choices;
        for (const v of values) {
          const { prompt } = instantiateTemplate(t, { ...first, [name]: v });
          // "a" before a number said with a vowel sound: eight..., eleven, eighteen.
          assert.doesNotMatch(prompt, /\ba (?:8|11(?!\d)|18(?!\d))/, `${t.id} with ${name}=${v}: ${prompt}`);
        }
      }
    }
  });

  it('expands @repeat with a running {i} and fills the prompt', () => {
    const t = SCENARIO_QUESTION_TEMPLATES.find((x) => x.id === 't-wb-crash-lost');
    assert.ok(t);
    const { prompt, scenarioText } = instantiateTemplate(t, { flush: 60, n: 3, t: 2, key: 'k' });
    assert.equal(
      scenarioText,
      ['strategy write-behind', 'set writeBehind.flushInterval 60s', 'write k 1', 'write k 2', 'write k 3', 'advance 2s', 'crash cache', 'advance 2m'].join('\n'),
    );
    // A number and its unit never part at a line break (a no-break space between them).
    assert.match(prompt, /60\u00a0s flush interval: the app writes key k 3 times, and 2\u00a0s later/);
  });

  it('keeps every number of a question next to its unit: written "5 ms", with a no-break space, in prompts, options and explanations', () => {
    const texts = [
      ...QUIZ_BANK.flatMap((q) => [q.prompt, ...q.options.flatMap((o) => [o.text, o.explanation])]),
      ...SCENARIO_QUESTION_TEMPLATES.map((t) => t.prompt),
    ];
    for (const text of texts) {
      assert.doesNotMatch(text, /\d(ms|s|min)\b/, `"${text}" writes a number against its unit`);
      assert.doesNotMatch(text, /(\d|\})[ ](ms|s|min)\b/, `"${text}" lets a number and its unit part at a line break`);
    }
  });

  it('rejects a missing parameter or a bad repeat count', () => {
    const t = SCENARIO_QUESTION_TEMPLATES[0];
    assert.ok(t);
    assert.throws(() => instantiateTemplate(t, { flush: 60, n: 3, key: 'k' }), /\{t\}/);
    assert.throws(() => instantiateTemplate(t, { flush: 60, n: -1, t: 2, key: 'k' }), /@repeat/);
    assert.throws(() => instantiateTemplate(t, { flush: 60, n: 'many', t: 2, key: 'k' }), /@repeat/);
  });

  it('yields scenarios the engine runs to the answer the lesson predicts', () => {
    // The claim each template tests, as a formula over its parameters.
    const expected: Record<string, (p: Record<string, string | number>) => number> = {
      't-wb-crash-lost': (p) => Number(p.n), // C8: every write acknowledged since the last flush
      't-wb-coalesce-dbwrites': () => 1, // C7: one row write for the hot key
      't-wt-latency': (p) => Number(p.cache) + Number(p.db), // C3: two sequential round trips
      't-wb-latency': (p) => Number(p.cache), // C6: acknowledged after the cache write alone
      't-wa-read-after-write': (p) => Number(p.cache) + Number(p.db), // C12: the first read after a write misses and loads
      't-counter-crash': (p) => Number(p.n2), // C18: the counts since the last flush are lost
    };
    for (const t of SCENARIO_QUESTION_TEMPLATES) {
      const formula = expected[t.id];
      assert.ok(formula, `${t.id}: no expected answer in this test`);
      // Every parameter set the template can draw, not a sample: about 9,000 short runs, two seconds.
      let sets: Record<string, string | number>[] = [{}];
      for (const [name, spec] of Object.entries(t.params)) {
        const values = spec.kind === 'int' ? Array.from({ length: spec.max - spec.min + 1 }, (_, i) => spec.min + i) : spec.choices;
        sets = sets.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
      }
      for (const params of sets) {
        const program = parseScenario(instantiateTemplate(t, params).scenarioText);
        assert.deepEqual(program.diagnostics.filter((d) => d.severity === 'error'), [], t.id);
        const result = runProgram(program, { trace: false });
        assert.deepEqual(result.errors, [], t.id);
        assert.equal(metricValue(result.metrics, t.answerMetric), formula(params), `${t.id} ${JSON.stringify(params)}`);
      }
    }
  });

  it('draws the same parameters for the same seed', () => {
    for (const t of SCENARIO_QUESTION_TEMPLATES) {
      assert.deepEqual(drawTemplateParams(t, mulberry32(42)), drawTemplateParams(t, mulberry32(42)));
    }
  });
});
