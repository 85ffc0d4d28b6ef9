// What package.json contributes for the shell and the lesson (issues "The extension in a real VS Code" and "The
// lesson"): the icons, activation only on the extension's own commands, view, language and debugger (plus the panel
// serializer), the settings a learner tunes, and the getting-started walkthrough with its steps and theme-aware media.
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ids } from '../../src/constants';
import { LESSON_CONTEXT_KEYS } from '../../src/views/progressStore';

const root = process.cwd();

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; markdown?: string; altText?: string };
  completionEvents: string[];
}

interface Manifest {
  icon: string;
  activationEvents: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    commands: { command: string; title: string }[];
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; name: string; type?: string }[]>;
    configuration: { properties: Record<string, { type: string; enum?: unknown[]; minimum?: number; maximum?: number; description: string }> };
    walkthroughs: { id: string; title: string; steps: WalkthroughStep[] }[];
  };
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${path} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Colours of an SVG or CSS text outside var(--vscode-*, fallback): literal colours may only be fallbacks. */
function literalColours(text: string): string[] {
  let rest = text.replace(/\/\*[\s\S]*?\*\//g, '');
  // Innermost var(...) first, so nested fallbacks (var(--a, var(--b, #fff))) go too; a fallback may be rgba(...).
  for (let prev = ''; prev !== rest;) {
    prev = rest;
    rest = rest.replace(/var\(--vscode-[\w-]+(,(?:[^()]|\([^()]*\))*)?\)/g, 'THEME');
  }
  return [...rest.matchAll(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/gi)].map((m) => m[0]);
}

describe('package.json: icons and container', () => {
  it('has a 128×128 PNG icon for the extension, and an SVG icon for its activity-bar container', () => {
    assert.equal(pkg.icon, 'media/icon.png');
    assert.deepEqual(pngSize(join(root, pkg.icon)), { width: 128, height: 128 });
    const container = pkg.contributes.viewsContainers.activitybar.find((c) => c.id === ids.views.container);
    assert.ok(container, 'no Cache Workbench container');
    assert.equal(container.title, 'Cache Workbench');
    assert.match(container.icon, /\.svg$/);
    assert.match(readFileSync(join(root, container.icon), 'utf8'), /<svg[\s>]/);
    assert.deepEqual(pkg.contributes.views[ids.views.container]?.map((v) => [v.id, v.type]), [[ids.views.lesson, 'webview']]);
  });
});

describe('package.json: activation', () => {
  it('activates only on its commands, its view, the scenario language and debugger, and the panel restored after a reload', () => {
    const allowed = [
      ...Object.values(ids.commands).map((c) => `onCommand:${c}`),
      `onView:${ids.views.lesson}`,
      `onLanguage:${ids.language}`,
      `onDebugResolve:${ids.debugType}`,
      `onDebugDynamicConfigurations:${ids.debugType}`,
      // Without it VS Code cannot hand the restored panel to the serializer after a window reload.
      `onWebviewPanel:${ids.panels.workbench}`,
    ];
    assert.deepEqual(pkg.activationEvents.filter((e) => !allowed.includes(e)), []);
    assert.ok(!pkg.activationEvents.includes('*') && !pkg.activationEvents.includes('onStartupFinished'));
  });

  it('has a setting for each default a learner tunes: strategy, latencies, write-behind options, animation speed, reduced motion', () => {
    assert.deepEqual(Object.keys(pkg.contributes.configuration.properties).sort(), [
      'animation.reducedMotion', 'animation.speed', 'cache.capacity', 'cache.latencyMs', 'db.latencyMs', 'defaultStrategy',
      'writeBehind.batchSize', 'writeBehind.coalescing', 'writeBehind.flushIntervalMs', 'writeBehind.wal',
    ].map((k) => `${ids.configSection}.${k}`).sort());
  });

  it('states the bounds of every number setting in its description, as the Settings UI shows only that text', () => {
    for (const [key, p] of Object.entries(pkg.contributes.configuration.properties)) {
      if (p.type !== 'integer' && p.type !== 'number') continue;
      if (p.enum) continue;
      assert.ok(p.minimum !== undefined && p.maximum !== undefined, `${key} has no minimum and maximum`);
      assert.ok(p.description.includes(`from ${p.minimum} to ${p.maximum}`), `${key}: "${p.description}" does not say from ${p.minimum} to ${p.maximum}`);
    }
  });
});

/** The TypeScript files under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

describe('package.json: Restricted Mode and virtual workspaces', () => {
  // Without a declaration VS Code disables an extension with code in an untrusted folder, and treats it as fully
  // working in a virtual workspace.
  it('stays enabled in Restricted Mode: it runs nothing from the workspace, and no setting names a program or a path', () => {
    assert.deepEqual(pkg.capabilities?.untrustedWorkspaces, { supported: true });
    // A scenario is data the simulator reads; nothing in the extension starts a process, a terminal, a task or eval.
    const runsCode = /from 'node:(child_process|vm)'|require\(|createTerminal|\btasks\.executeTask|\beval\(|new Function\(/;
    assert.deepEqual(sources('src').filter((f) => runsCode.test(readFileSync(join(root, f), 'utf8'))), []);
    // Every setting is a number, a boolean or a choice: none a workspace could point at something to run.
    for (const [key, p] of Object.entries(pkg.contributes.configuration.properties)) {
      assert.ok(['integer', 'number', 'boolean'].includes(p.type) || Array.isArray(p.enum), `${key} is a free ${p.type}`);
    }
  });

  it('declares limited support for virtual workspaces, saying what needs a file on disk and what to use there', () => {
    const v = pkg.capabilities?.virtualWorkspaces;
    assert.ok(typeof v === 'object' && v.supported === 'limited', JSON.stringify(v));
    const title = (id: string): string => pkg.contributes.commands.find((c) => c.command === id)?.title ?? id;
    assert.match(v.description ?? '', new RegExp(`^${title(ids.commands.stepThroughScenario)} .*\\b${title(ids.commands.runScenario)}\\.$`));
  });
});

describe('package.json: the walkthrough', () => {
  const walkthrough = pkg.contributes.walkthroughs.find((w) => w.id === 'cacheWorkbench.getStarted');

  it('goes: open the lesson, watch a diagram, step a scenario, take the check; each step completes by a command or a context key the extension sets', () => {
    assert.ok(walkthrough, 'no walkthrough cacheWorkbench.getStarted');
    assert.deepEqual(walkthrough.steps.map((s) => [s.id.replace('cacheWorkbench.getStarted.', ''), s.completionEvents]), [
      ['openLesson', [`onCommand:${ids.commands.openLesson}`, `onContext:${LESSON_CONTEXT_KEYS.lessonOpened}`]],
      ['watchDiagram', [`onContext:${LESSON_CONTEXT_KEYS.diagramWatched}`]],
      // A stop in a scenario session, not the command: the command refuses with no scenario open, or one with errors.
      ['stepScenario', [`onContext:${ids.contextKeys.scenarioStepped}`]],
      ['knowledgeCheck', [`onContext:${LESSON_CONTEXT_KEYS.quizPassed}`]],
    ]);
    // The links in the steps run the extension's own commands.
    for (const s of walkthrough.steps) {
      for (const [, command] of s.description.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok((Object.values(ids.commands) as string[]).includes(command ?? ''), `${s.id} links to ${command}`);
      }
    }
  });

  it('each onContext key a step waits for is one the extension sets', () => {
    assert.ok(walkthrough);
    const source = ['src/debug/register.ts', 'src/views/progressStore.ts'].map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
    for (const s of walkthrough.steps) {
      for (const event of s.completionEvents.filter((e) => e.startsWith('onContext:'))) {
        const key = event.slice('onContext:'.length);
        const name = Object.entries({ ...LESSON_CONTEXT_KEYS, ...ids.contextKeys }).find(([, v]) => v === key)?.[0];
        assert.ok(name, `${s.id} waits for ${key}, which no constant names`);
        assert.match(source, new RegExp(`(setContext', ids\\.contextKeys\\.${name}|set\\(LESSON_CONTEXT_KEYS\\.${name})`), `${s.id}: nothing sets ${key}`);
      }
    }
  });

  it('has media that exist, SVGs with a text alternative and colours only from the theme (a literal only as a fallback)', () => {
    assert.ok(walkthrough);
    for (const s of walkthrough.steps) {
      const file = s.media.svg ?? s.media.markdown;
      assert.ok(file && existsSync(join(root, file)), `${s.id}: media ${String(file)} missing`);
      if (!s.media.svg) continue;
      assert.ok((s.media.altText ?? '').length > 20, `${s.id}: no altText`);
      const text = readFileSync(join(root, s.media.svg), 'utf8');
      assert.match(text, /var\(--vscode-/, `${s.media.svg} takes no theme colour`);
      assert.deepEqual(literalColours(text), [], `${s.media.svg} has colours outside var(--vscode-*)`);
    }
  });
});

describe('media/workbench.css', () => {
  it('takes every colour from the theme: a literal colour only as a var(--vscode-*) fallback', () => {
    assert.deepEqual(literalColours(readFileSync(join(root, 'media', 'workbench.css'), 'utf8')), []);
  });
});
