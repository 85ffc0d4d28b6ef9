// Entry point VS Code loads as `extensionTestsPath` (bundled to out/test/integration/index.js, mocha external).
// One suite, two runners: our code-server runner calls run(); @vscode/test-cli's own mocha loads this file as a test file.
import Mocha from 'mocha';
import { extensionSuite } from './extension.test';
import { lessonSuite } from './lesson.test';
import { lessonViewSuite } from './lessonView.test';
import { quizSuite } from './quiz.test';
import { robustnessSuite } from './robustness.test';
import { scenariosSuite } from './scenarios.test';
import { settingsSuite } from './settings.test';

function registerSuites(): void {
  extensionSuite();
  lessonViewSuite();
  lessonSuite();
  quizSuite();
  settingsSuite();
  scenariosSuite();
  robustnessSuite();
}

/**
 * Prints through console.log only: in code-server the extension host's console reaches the runner via
 * codeAutomationLog, while process.stdout does not. The last line carries the counts the runner parses.
 */
class ConsoleReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const c = Mocha.Runner.constants;
    let depth = 0;
    let pending = 0;
    const pad = (): string => '  '.repeat(depth);
    runner.on(c.EVENT_SUITE_BEGIN, (s: Mocha.Suite) => {
      if (s.title) console.log(`${pad()}${s.title}`);
      depth++;
    });
    runner.on(c.EVENT_SUITE_END, () => { depth--; });
    runner.on(c.EVENT_TEST_PASS, (t: Mocha.Test) => console.log(`${pad()}ok ${t.title} (${t.duration ?? 0} ms)`));
    runner.on(c.EVENT_TEST_PENDING, (t: Mocha.Test) => { pending++; console.log(`${pad()}skip ${t.title}`); });
    runner.on(c.EVENT_TEST_FAIL, (t: Mocha.Test, err: Error) => {
      console.log(`${pad()}FAIL ${t.fullTitle()}: ${err.stack ?? err.message}`);
    });
    runner.once(c.EVENT_RUN_END, () => {
      const s = this.stats;
      console.log(`[mocha] passes=${s.passes} failures=${s.failures} pending=${pending} duration=${s.duration ?? 0}ms`);
    });
  }
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false, reporter: ConsoleReporter });
  // Sets up the TDD globals (suite, test, ...) the way mocha does before it requires a test file.
  mocha.suite.emit('pre-require', globalThis, 'out/test/integration/index.js', mocha);
  registerSuites();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}

// Loaded as a test file by @vscode/test-cli: its mocha has defined the globals already, so register right away.
if (typeof (globalThis as { suite?: unknown }).suite === 'function') registerSuites();
