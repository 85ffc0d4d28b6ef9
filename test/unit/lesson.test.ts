// Integrity of the lesson content: sections against claims.md, snippets that compile, a well-formed quiz bank,
// and question templates that expand into valid scenario text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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

  it('has three templates with unique ids, valid claims and answer metrics', () => {
    assert.equal(SCENARIO_QUESTION_TEMPLATES.length, 3);
    assert.equal(new Set(SCENARIO_QUESTION_TEMPLATES.map((t) => t.id)).size, 3);
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

  it('expands @repeat with a running {i} and fills the prompt', () => {
    const t = SCENARIO_QUESTION_TEMPLATES.find((x) => x.id === 't-wb-crash-lost');
    assert.ok(t);
    const { prompt, scenarioText } = instantiateTemplate(t, { flush: 60, n: 3, t: 2, key: 'k' });
    assert.equal(
      scenarioText,
      ['strategy write-behind', 'set writeBehind.flushInterval 60s', 'write k 1', 'write k 2', 'write k 3', 'advance 2s', 'crash cache', 'advance 2m'].join('\n'),
    );
    assert.match(prompt, /60s flush interval: the app writes key k 3 times, and 2s later/);
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
    };
    for (const t of SCENARIO_QUESTION_TEMPLATES) {
      const formula = expected[t.id];
      assert.ok(formula, `${t.id}: no expected answer in this test`);
      const rng = mulberry32(99);
      for (let k = 0; k < 5; k++) {
        const params = drawTemplateParams(t, rng);
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
