// Bad input in a real VS Code: commands given arguments that name nothing, files that are not scenarios (or not text),
// scenarios edited or deleted while they are debugged, malformed messages of every type, and stored progress that is
// damaged, changed by another window or changed faster than it is saved. None of it throws into the extension host,
// each gets a reason that says what was expected, and the learner's progress survives all of it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ids } from '../../src/constants';
import type { CacheWorkbenchApi } from '../../src/extension';
import { startAttempt } from '../../src/lesson/quizSession';
import type { Attempt } from '../../src/lesson/quizSession';
import { WEBVIEW_MESSAGE_TYPES } from '../../src/views/protocol';
import { FLAGS_STORAGE_KEY, PROGRESS_STORAGE_KEY } from '../../src/views/progressStore';
import { QUIZ_ATTEMPT_STORAGE_KEY } from '../../src/views/quizController';
import type { RunOutcome } from '../../src/views/scenarioLanguage';
import { traceScenarioText } from '../../src/views/traces';
import { activate, untitledScenario, within } from './helpers';

/** Polls `check` until it holds (VS Code and the extension answer asynchronously). */
async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file('/tmp');
  return vscode.Uri.joinPath(folder, name);
}

async function writeFile(uri: vscode.Uri, content: string | Uint8Array): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? new TextEncoder().encode(content) : content);
}

const SCENARIO = 'strategy write-through\nwrite k 1\nread k\nexpect value 1\nwrite k 2\nread k\nexpect value 2\n';

export function robustnessSuite(): void {
  suite('Bad input', () => {
    let api: CacheWorkbenchApi;
    /**
     * Promise rejections nobody handled while the suite ran, from this extension (its bundle, or a scenario file in the
     * message): each is an exception that escaped into the host. Other extensions share the host, hence the filter.
     */
    const unhandled: string[] = [];
    const onUnhandled = (reason: unknown): void => {
      const text = reason instanceof Error ? `${reason.message}\n${reason.stack ?? ''}` : String(reason);
      if (/cachescenario|cache-workbench|cacheWorkbench|[/\\]dist[/\\]extension\.js/i.test(text)) unhandled.push(text);
    };
    const send = (raw: unknown): string | undefined => api.lesson.receiveFromPanelForTest(raw);

    suiteSetup(async () => {
      api = await activate();
      process.on('unhandledRejection', onUnhandled);
      await vscode.commands.executeCommand(ids.commands.resetProgress, { confirm: false });
    });

    suiteTeardown(async () => {
      process.off('unhandledRejection', onUnhandled);
      await vscode.debug.stopDebugging();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand(ids.commands.resetProgress, { confirm: false });
    });

    teardown(async () => {
      await vscode.debug.stopDebugging();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      assert.deepEqual(unhandled.splice(0), [], 'an exception escaped into the extension host');
    });

    test('Run Scenario and Step Through Scenario refuse an argument that names no file, and run nothing, not even the scenario in the active editor', async () => {
      const file = workspaceFile('active.cachescenario');
      await writeFile(file, SCENARIO);
      await vscode.window.showTextDocument(file);
      let started = 0;
      const watch = vscode.debug.onDidStartDebugSession(() => started++);
      try {
        for (const arg of [42, 'relative/active.cachescenario', {}, { fsPath: file.fsPath }, true]) {
          const run = await vscode.commands.executeCommand<RunOutcome>(ids.commands.runScenario, arg);
          assert.equal(run.kind, 'bad-argument', `Run Scenario ${JSON.stringify(arg)} ran ${JSON.stringify(run)}`);
          if (run.kind === 'bad-argument') assert.match(run.message, /^Run Scenario: expected a scenario file \(a Uri or an absolute path\), got .+; nothing run\.$/);
          const step = await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, arg);
          assert.equal(step, false, `Step Through Scenario ${JSON.stringify(arg)} started a session`);
        }
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(started, 0, 'no debug session started');
        // No argument: the scenario in the active editor, as from the palette.
        const run = await vscode.commands.executeCommand<RunOutcome>(ids.commands.runScenario);
        assert.equal(run.kind, 'ran');
        // An absolute path is a file named.
        const byPath = await vscode.commands.executeCommand<RunOutcome>(ids.commands.runScenario, file.fsPath);
        assert.equal(byPath.kind, 'ran');
      } finally {
        watch.dispose();
        await vscode.workspace.fs.delete(file);
      }
    });

    test('Run Scenario on a file of another language refuses it by name and marks nothing in it', async () => {
      const json = workspaceFile('settings-like.json');
      await writeFile(json, '{"a": 1}\n');
      try {
        const run = await vscode.commands.executeCommand<RunOutcome>(ids.commands.runScenario, json);
        assert.deepEqual(run, { kind: 'not-a-scenario', languageId: 'json' });
        assert.deepEqual(vscode.languages.getDiagnostics(json).filter((d) => d.source === ids.language), [], 'scenario errors in a JSON file');
        // From the palette, with the JSON file in the active editor: the same.
        await vscode.window.showTextDocument(json);
        assert.deepEqual(await vscode.commands.executeCommand<RunOutcome>(ids.commands.runScenario), { kind: 'not-a-scenario', languageId: 'json' });
      } finally {
        await vscode.workspace.fs.delete(json);
      }
    });

    test('Run Scenario on an untitled scenario, a file that is not UTF-8, a binary file and a missing one: each answered, none thrown', async () => {
      const untitled = await untitledScenario(SCENARIO);
      const run = await vscode.commands.executeCommand<RunOutcome>(ids.commands.runScenario);
      assert.equal(run.kind === 'ran' ? run.held : -1, 2);
      // As the CodeLens passes it: the untitled document's Uri.
      const lens = await vscode.commands.executeCommand<RunOutcome>(ids.commands.runScenario, untitled.uri);
      assert.equal(lens.kind === 'ran' ? lens.held : -1, 2);
      // The debugger shows lines from disk: an untitled scenario is refused, saying to save it.
      assert.equal(await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario), false);
      assert.equal(await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, untitled.uri), false);

      const latin1 = workspaceFile('latin1.cachescenario');
      await writeFile(latin1, Uint8Array.from([...new TextEncoder().encode('strategy write-through\nwrite k "caf'), 0xe9, ...new TextEncoder().encode('"\nread k\n')]));
      const binary = workspaceFile('binary.cachescenario');
      await writeFile(binary, Uint8Array.from([0, 1, 2, 0, 255, 254, 0, 10]));
      try {
        // Decoded with a replacement character: a string value like any other.
        assert.equal((await api.language.runScenario(latin1)).kind, 'ran');
        const bin = await api.language.runScenario(binary);
        assert.equal(bin.kind, 'crashed');
        if (bin.kind === 'crashed') assert.match(bin.message, /binary/);
        const missing = await api.language.runScenario(workspaceFile('no-such.cachescenario'));
        assert.equal(missing.kind, 'crashed');
        if (missing.kind === 'crashed') assert.match(missing.message, /no-such\.cachescenario/);
      } finally {
        await vscode.workspace.fs.delete(latin1);
        await vscode.workspace.fs.delete(binary);
      }
    });

    test('edited, then deleted while it is debugged, the scenario keeps its recorded trace in the workbench diagram', async () => {
      const file = workspaceFile('edited-while-debugged.cachescenario');
      await writeFile(file, SCENARIO);
      const recorded = traceScenarioText('recorded', SCENARIO);
      assert.ok(recorded.ok);
      const editor = await vscode.window.showTextDocument(file);
      const started = new Promise<vscode.DebugSession>((resolve) => {
        const sub = vscode.debug.onDidStartDebugSession((s) => {
          sub.dispose();
          resolve(s);
        });
      });
      assert.equal(await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, file), true);
      const session = await within(started, 15_000, 'the debug session to start');
      const position = async (): Promise<{ index: number; step: { seq: number } | null } | undefined> =>
        (await session.customRequest('cacheScenario/position').then(undefined, () => undefined)) as { index: number; step: { seq: number } | null } | undefined;
      await until(() => api.lesson.panelState().debugScenario === file.fsPath, 'the diagram to follow the session');
      assert.equal(api.lesson.panelState().debugSteps, recorded.steps.length);

      /** Steps once and waits until the diagram shows the step the debugger stopped at. */
      const step = async (what: string): Promise<void> => {
        await session.customRequest('next', { threadId: 1 });
        const at = await position();
        assert.ok(at?.step, `no step after ${what}`);
        await until(() => api.lesson.panelState().debugSeq === at.step?.seq, `the diagram to show step ${at.step.seq} after ${what}`);
      };
      try {
        await step('the first step');
        // More writes at the top: a run of the edited text numbers its steps differently.
        assert.ok(await editor.edit((b) => b.insert(new vscode.Position(1, 0), 'write a 1\nwrite b 2\nwrite c 3\n')));
        await step('the edit');
        assert.equal(api.lesson.panelState().debugSteps, recorded.steps.length, 'the diagram ran the edited text, not the recorded one');
        await editor.document.save();
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.workspace.fs.delete(file);
        await step('the deletion');
        assert.equal(api.lesson.panelState().debugSteps, recorded.steps.length);
      } finally {
        await vscode.debug.stopDebugging(session);
        await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
      }
    });

    test('every message type, malformed, is refused with a reason that names it; progress, the attempt and the page state stay as they were', async () => {
      send({ type: 'lesson/sectionShown', section: 'write-behind' });
      send({ type: 'quiz/retry' });
      await until(() => api.lesson.quiz.currentAttempt()?.answers.length === 0, 'an attempt');
      await api.lesson.progress.reload();
      const progress = api.lesson.progress.get();
      const attempt = api.lesson.quiz.currentAttempt();
      const panel = api.lesson.panelState();
      const huge = 'x'.repeat(1_000_000);
      let refused = 0;
      for (const type of WEBVIEW_MESSAGE_TYPES) {
        const bad: unknown[] = [
          { type, unexpected: 1 },
          { type, requestId: 7, section: 7, state: 7, strategy: 7, language: 7, file: '../../etc/passwd', mode: 7, command: 'workbench.action.quit', questionId: 7, optionId: 7, request: 7, config: 7, message: 7, view: 7, variant: 7 },
          { type, requestId: huge, section: huge, message: huge, questionId: huge, file: huge },
          { type, requestId: NaN, step: Infinity, section: null, state: { v: 2 } },
        ];
        for (const raw of bad) {
          const reason = send(raw);
          assert.ok(reason !== undefined, `${type} accepted ${JSON.stringify(raw).slice(0, 120)}`);
          assert.ok(reason.startsWith(`${type}: `) && reason.length < 400, `${type}: ${reason.slice(0, 500)}`);
          refused++;
        }
      }
      for (const raw of [undefined, null, 0, 'quiz/finish', [], { type: 'quiz/finish ' }, { type: huge }, { type: ['quiz/finish'] }, { type: '__proto__' }, { type: 'constructor' }]) {
        const reason = send(raw);
        assert.ok(reason !== undefined && reason.length < 400, `accepted ${JSON.stringify(raw)?.slice(0, 80)}`);
        refused++;
      }
      assert.equal(api.lesson.panelState().rejectedMessages, panel.rejectedMessages + refused);
      await api.lesson.progress.reload();
      assert.deepEqual(api.lesson.progress.get(), progress);
      assert.deepEqual(api.lesson.quiz.currentAttempt(), attempt);
      assert.deepEqual(api.lesson.panelState().ui, panel.ui);
    });

    test('sections shown in quick succession are all kept, none written away by a save still on its way', async () => {
      await vscode.commands.executeCommand(ids.commands.resetProgress, { confirm: false });
      // As a learner scrolling through the lesson: the messages come back to back.
      for (const section of ['spectrum', 'write-through', 'write-behind']) send({ type: 'lesson/sectionShown', section });
      send({ type: 'diagram/watched', strategy: 'write-behind', variant: 'normal' });
      // And a moment apart, while the memento is still saving the ones before.
      for (const section of ['durability', 'write-around', 'cache-aside']) {
        send({ type: 'lesson/sectionShown', section });
        await new Promise((r) => setTimeout(r, 1));
      }
      await api.lesson.progress.reload();
      const p = api.lesson.progress.get();
      assert.deepEqual(p.sectionsRead, ['spectrum', 'write-through', 'write-behind', 'durability', 'write-around', 'cache-aside']);
      assert.equal(p.lastSection, 'cache-aside');
      assert.deepEqual(api.lesson.progress.getFlags(), { lessonOpened: true, diagramWatched: true });
      assert.deepEqual(api.lesson.storage.get(PROGRESS_STORAGE_KEY), p);
    });

    test('the knowledge check in two windows: answers given in the other window stay, and an attempt is graded once', async () => {
      const storage = api.lesson.storage;
      const landed = async (): Promise<void> => {
        await api.lesson.quiz.reload();
        await api.lesson.progress.reload();
      };
      send({ type: 'quiz/retry' });
      await until(() => api.lesson.quiz.currentAttempt()?.answers.length === 0, 'a new attempt');
      const attempt = api.lesson.quiz.currentAttempt() as Attempt;
      const [q0, q1, q2] = attempt.questions;
      assert.ok(q0 && q1 && q2);
      // The other window answers the first two questions of the same attempt (it shares this globalState).
      const elsewhere: Attempt = { ...attempt, answers: [{ questionId: q0.id, optionId: q0.correct }, { questionId: q1.id, optionId: q1.correct }] };
      // This window's saves land before the other window acts, as they do at a learner's pace: writes queue one at a
      // time (SerialMemento), and one still waiting would land after the other window's and replace it.
      await landed();
      await storage.update(QUIZ_ATTEMPT_STORAGE_KEY, elsewhere);
      send({ type: 'quiz/answer', questionId: q2.id, optionId: q2.correct });
      await until(() => api.lesson.quiz.currentAttempt()?.answers.length !== 0, 'the answer');
      assert.deepEqual(api.lesson.quiz.currentAttempt()?.answers.map((a) => a.questionId), [q0.id, q1.id, q2.id]);
      assert.equal((storage.get(QUIZ_ATTEMPT_STORAGE_KEY) as Attempt).answers.length, 3, 'the other window\'s answers were written away');

      // The other window finishes the attempt and records it; this window's Finish must not record it again.
      await api.lesson.progress.reload();
      const attemptsBefore = api.lesson.progress.get().attempts;
      await landed();
      const finished: Attempt = { ...(storage.get(QUIZ_ATTEMPT_STORAGE_KEY) as Attempt), finished: true };
      await storage.update(QUIZ_ATTEMPT_STORAGE_KEY, finished);
      // As the other window's store records it: with the attempt's seed, so a later load of the finished attempt
      // (which counts one whose count never landed) knows it is counted.
      await storage.update(PROGRESS_STORAGE_KEY, { ...api.lesson.progress.get(), attempts: attemptsBefore + 1, bestScore: 0.6, lastAttempt: finished.seed });
      send({ type: 'quiz/finish' });
      await until(() => api.lesson.quiz.currentAttempt()?.finished === true, 'the finished attempt');
      await new Promise((r) => setTimeout(r, 200));
      await api.lesson.progress.reload();
      assert.equal(api.lesson.progress.get().attempts, attemptsBefore + 1, 'graded twice');

      // The other window starts a new attempt: an answer from the page showing the old one is refused (the page is
      // sent the new one), and so is its Finish after yet another new attempt: none is graded unanswered.
      const newer = startAttempt((attempt.seed + 1) % 0xffff_ffff, { count: 5 });
      await landed();
      await storage.update(QUIZ_ATTEMPT_STORAGE_KEY, newer);
      send({ type: 'quiz/answer', questionId: q0.id, optionId: q0.correct });
      await until(() => api.lesson.quiz.currentAttempt()?.seed === newer.seed, 'the newer attempt');
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(api.lesson.quiz.currentAttempt()?.answers, [], 'the newer attempt was answered from the old page');
      const newest = startAttempt((attempt.seed + 2) % 0xffff_ffff, { count: 5 });
      await landed();
      await storage.update(QUIZ_ATTEMPT_STORAGE_KEY, newest);
      send({ type: 'quiz/finish' });
      await until(() => api.lesson.quiz.currentAttempt()?.seed === newest.seed, 'the newest attempt');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(api.lesson.quiz.currentAttempt()?.finished, false, 'an attempt started elsewhere was graded unanswered');
      await api.lesson.progress.reload();
      assert.equal(api.lesson.progress.get().attempts, attemptsBefore + 1);
    });

    test('damaged and old-shaped stored progress is repaired, keeping every part that is valid; a damaged attempt does not replace the one in progress', async () => {
      const storage = api.lesson.storage;
      const cases: [unknown, object][] = [
        [null, { attempts: 0, bestScore: 0, completed: false, sectionsRead: [] }],
        ['{"attempts":3}', { attempts: 0, bestScore: 0, completed: false, sectionsRead: [] }],
        [[1, 2], { attempts: 0, bestScore: 0, completed: false, sectionsRead: [] }],
        // Older shape, without `completed`: a best score that passed completes it.
        [{ attempts: 2, bestScore: 0.8, sectionsRead: ['spectrum', 'no-longer-a-section', 7, 'spectrum'], lastSection: 'spectrum' }, { attempts: 2, bestScore: 0.8, completed: true, sectionsRead: ['spectrum'], lastSection: 'spectrum' }],
        [{ attempts: 2.7, bestScore: 'high', completed: 'yes', sectionsRead: 'hybrid', lastSection: 42 }, { attempts: 2, bestScore: 0, completed: false, sectionsRead: [] }],
      ];
      for (const [raw, repaired] of cases) {
        await storage.update(PROGRESS_STORAGE_KEY, raw);
        await api.lesson.progress.reload();
        assert.deepEqual(api.lesson.progress.get(), repaired, JSON.stringify(raw));
        assert.deepEqual(storage.get(PROGRESS_STORAGE_KEY), repaired, `stored repaired: ${JSON.stringify(raw)}`);
      }
      await storage.update(FLAGS_STORAGE_KEY, 'opened');
      await api.lesson.progress.reload();
      assert.deepEqual(api.lesson.progress.getFlags(), { lessonOpened: false, diagramWatched: false });
      // The panel opens on whatever the store holds.
      await vscode.commands.executeCommand(ids.commands.openLesson);
      await until(() => api.lesson.panelState().ready, 'the panel to open');

      send({ type: 'quiz/retry' });
      await until(() => api.lesson.quiz.currentAttempt()?.answers.length === 0, 'a new attempt');
      const attempt = api.lesson.quiz.currentAttempt() as Attempt;
      const q = attempt.questions[0];
      assert.ok(q);
      await storage.update(QUIZ_ATTEMPT_STORAGE_KEY, { v: 1, seed: 'x', questions: 'damaged' });
      send({ type: 'quiz/answer', questionId: q.id, optionId: q.correct });
      await until(() => api.lesson.quiz.currentAttempt()?.answers.length === 1, 'the answer');
      await api.lesson.quiz.reload();
      assert.equal(api.lesson.quiz.currentAttempt()?.seed, attempt.seed, 'the attempt in progress was lost');
      await storage.update(QUIZ_ATTEMPT_STORAGE_KEY, { v: 1, seed: 'x', questions: 'damaged' });
      await api.lesson.quiz.reload();
      assert.equal(api.lesson.quiz.currentAttempt(), undefined, 'a damaged attempt on its own is dropped');
    });
  });
}
