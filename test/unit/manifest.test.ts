// What package.json contributes for keyboard-only stepping: "Cache Workbench: Step Back" and "Cache Workbench: Reverse
// Continue" (VS Code has no default key and no palette title for either), their keys, and where they show; the keys
// are no VS Code default and no common OS shortcut, and the README and the Debug Console name the same keys. Also the
// `cachescenario` debugger's entry: its launch schema and snippets agree with what the adapter accepts.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ids } from '../../src/constants';
import { checkLaunchArgs, unknownLaunchAttributes } from '../../src/debug/adapter';
import type { CacheScenarioLaunchArgs } from '../../src/debug/adapter';
import { BACK_KEYS } from '../../src/debug/runtime';

const root = process.cwd();

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; enablement?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings?: { command: string; key: string; mac?: string; when?: string }[];
    breakpoints?: { language: string }[];
    debuggers?: DebuggerEntry[];
    configurationDefaults?: Record<string, Record<string, unknown>>;
  };
}

interface SchemaProperty {
  type: string;
  default?: unknown;
  minimum?: number;
}

interface DebuggerEntry {
  type: string;
  languages?: string[];
  configurationAttributes: { launch: { required: string[]; properties: Record<string, SchemaProperty> } };
  initialConfigurations: Record<string, unknown>[];
  configurationSnippets: { label: string; body: Record<string, unknown> }[];
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const WHEN = "inDebugMode && debugType == 'cachescenario'";
const BACK = [
  { id: ids.commands.stepBack, title: 'Step Back', runs: 'workbench.action.debug.stepBack', key: BACK_KEYS.stepBack },
  { id: ids.commands.reverseContinue, title: 'Reverse Continue', runs: 'workbench.action.debug.reverseContinue', key: BACK_KEYS.reverseContinue },
];

/** VS Code's default keys on Linux, from the code-server the browser tests run (see the fixture's header). */
const DEFAULT_KEYS = new Set(
  readFileSync(join(root, 'test', 'unit', 'fixtures', 'vscode-default-keys-linux.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#')),
);

/** `Ctrl+K F10` as package.json writes it: `ctrl+k f10`. */
const asKeybinding = (keys: string): string => keys.toLowerCase();

describe('package.json contributions', () => {
  it('every command is in the Cache Workbench category, mirrors constants.ts and has its activation event', () => {
    assert.deepEqual(pkg.contributes.commands.map((c) => c.command).sort(), Object.values(ids.commands).sort());
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Cache Workbench', c.command);
      assert.ok(pkg.activationEvents.includes(`onCommand:${c.command}`), c.command);
    }
  });

  for (const b of BACK) {
    it(`Cache Workbench: ${b.title} is enabled, listed in the palette and bound to ${b.key} only while a scenario is debugged`, () => {
      const command = pkg.contributes.commands.find((c) => c.command === b.id);
      assert.ok(command, `no command ${b.id}`);
      assert.deepEqual([command.title, command.category, command.enablement], [b.title, 'Cache Workbench', WHEN]);
      const palette = (pkg.contributes.menus.commandPalette ?? []).filter((m) => m.command === b.id);
      assert.deepEqual(palette, [{ command: b.id, when: WHEN }], 'hidden from the palette outside a scenario debug session');
      const keys = (pkg.contributes.keybindings ?? []).filter((k) => k.command === b.id);
      assert.deepEqual(keys, [{ command: b.id, key: asKeybinding(b.key), mac: asKeybinding(b.key).replace(/^ctrl\+/, 'cmd+'), when: WHEN }]);
    });
  }

  it('the handlers run VS Code\'s own Step Back and Reverse Continue', () => {
    const source = readFileSync(join(root, 'src', 'views', 'commands.ts'), 'utf8');
    for (const b of BACK) assert.match(source, new RegExp(`${b.id.split('.')[1]}: \\(\\) => vscode\\.commands\\.executeCommand\\('${b.runs.replace(/\./g, '\\.')}'\\)`));
  });

  it('no contributed key is a VS Code default, and none is a common OS shortcut', () => {
    assert.ok(DEFAULT_KEYS.size > 300 && DEFAULT_KEYS.has('f10') && DEFAULT_KEYS.has('shift+f11'), 'the fixture lists the defaults');
    for (const k of pkg.contributes.keybindings ?? []) {
      for (const key of [k.key, k.mac ?? k.key]) {
        assert.ok(!DEFAULT_KEYS.has(key), `${key} (${k.command}) is a VS Code default`);
        // Ctrl+K starts VS Code's own chords (over a hundred); the chord as a whole must be free.
        for (const part of key.split(' ')) {
          // Ctrl+Alt+F-keys switch Linux consoles; Alt+F-keys and Shift+F10 belong to window managers and context menus.
          assert.doesNotMatch(part, /^(ctrl\+alt|alt|shift)\+f\d+$|^ctrl\+shift\+alt\+f\d+$/, `${key} (${k.command})`);
        }
      }
    }
  });

  it('the README names both commands and their keys', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const b of BACK) {
      assert.ok(new RegExp(`\\| ${b.title} \\|`).test(readme), `the README's command table lists ${b.title}`);
      assert.ok(readme.includes(b.key), `the README names ${b.key}`);
    }
    assert.ok(readme.includes('Cmd+K'), 'and the macOS keys');
  });
});

/**
 * The launch attributes of CacheScenarioLaunchArgs, less the ones DAP itself defines (`noDebug`, set by VS Code). The
 * Record fails to compile when the interface gains or loses an attribute, so the schema check below sees every one.
 */
const LAUNCH_ATTRIBUTES: Record<Exclude<keyof CacheScenarioLaunchArgs, keyof DebugProtocol.LaunchRequestArguments>, true> = {
  program: true,
  stopOnEntry: true,
  seed: true,
  trace: true,
};

/** A value of the wrong JSON type for a schema property, for the adapter to refuse. */
const WRONG_TYPE: Record<string, unknown> = { string: 12, boolean: 'yes', integer: 1.5 };

describe('the cachescenario debugger contribution', () => {
  const debuggers = pkg.contributes.debuggers ?? [];
  const entry = debuggers.find((d) => d.type === ids.debugType);
  const launch = entry?.configurationAttributes.launch;

  it('contributes debug type cachescenario for the scenario language, its breakpoints and its activation events', () => {
    assert.equal(ids.debugType, 'cachescenario');
    assert.deepEqual(debuggers.map((d) => d.type), ['cachescenario']);
    assert.deepEqual(entry?.languages, [ids.language]);
    assert.ok((pkg.contributes.breakpoints ?? []).some((b) => b.language === ids.language), 'breakpoints can be set in .cachescenario files');
    for (const e of ['onDebugResolve:cachescenario', 'onDebugDynamicConfigurations:cachescenario']) assert.ok(pkg.activationEvents.includes(e), e);
  });

  it('the launch schema names exactly the attributes the adapter reads, requires program, and each type is the one the adapter checks', () => {
    assert.ok(launch, 'no configurationAttributes.launch');
    assert.deepEqual(launch.required, ['program']);
    assert.deepEqual(Object.keys(launch.properties).sort(), Object.keys(LAUNCH_ATTRIBUTES).sort());
    const program = '/tmp/x.cachescenario';
    for (const [name, p] of Object.entries(launch.properties)) {
      const base: Partial<CacheScenarioLaunchArgs> = { program };
      // The schema's default passes the adapter's check ("${file}" stands for a path VS Code fills in).
      const fallback = p.default === '${file}' ? program : p.default;
      assert.equal(checkLaunchArgs({ ...base, [name]: fallback }), undefined, `${name}'s default ${JSON.stringify(p.default)}`);
      // A value of another type is refused, naming the attribute.
      const wrong = WRONG_TYPE[p.type];
      assert.ok(wrong !== undefined, `${name}: no wrong value for type ${p.type}`);
      assert.match(checkLaunchArgs({ ...base, [name]: wrong }) ?? '', new RegExp(`"${name}"`), `${name} = ${JSON.stringify(wrong)}`);
      if (p.minimum !== undefined) {
        assert.match(checkLaunchArgs({ ...base, [name]: p.minimum - 1 }) ?? '', new RegExp(`"${name}"`), `${name} below its minimum`);
        assert.equal(checkLaunchArgs({ ...base, [name]: p.minimum }), undefined, `${name} at its minimum`);
      }
    }
  });

  it('the adapter knows every attribute of the launch schema and what VS Code adds to every configuration, and names any other', () => {
    assert.ok(launch, 'no configurationAttributes.launch');
    const schema = Object.fromEntries(Object.entries(launch.properties).map(([name, p]) => [name, p.default]));
    assert.deepEqual(unknownLaunchAttributes(schema), []);
    const vscodeAdds = { type: 'cachescenario', request: 'launch', name: 'x', noDebug: true, __restart: {}, __sessionId: 'id', __configurationTarget: 5, preLaunchTask: 't', postDebugTask: 't', internalConsoleOptions: 'neverOpen', debugServer: 4711, presentation: {}, suppressMultipleSessionWarning: true };
    assert.deepEqual(unknownLaunchAttributes(vscodeAdds), []);
    // VS Code's built-in Server Ready extension puts serverReadyAction into every debugger's launch schema (its
    // debuggers entry has type "*") and acts on it itself; the schema's per-platform blocks are VS Code's too.
    const everyDebuggersSchema = { serverReadyAction: { action: 'openExternally' }, windows: {}, osx: {}, linux: {} };
    assert.deepEqual(unknownLaunchAttributes(everyDebuggersSchema), []);
    const [typo] = unknownLaunchAttributes({ program: '/tmp/x.cachescenario', stoponentry: true });
    assert.match(typo ?? '', /^"stoponentry" is not a launch attribute of the scenario debugger and is ignored; did you mean "stopOnEntry"\?/);
    for (const name of Object.keys(launch.properties)) assert.match(typo ?? '', new RegExp(`"${name}"`), `the warning lists ${name}`);
  });

  it('an attribute named like a property every object has (constructor, toString) is unknown too', () => {
    const named = unknownLaunchAttributes({ program: '/tmp/x.cachescenario', constructor: 1, toString: 'x', hasOwnProperty: true });
    assert.deepEqual(named.map((w) => w.slice(0, w.indexOf('" '))), ['"constructor', '"toString', '"hasOwnProperty']);
  });

  it('an unknown launch attribute like no known one is named in a sentence of its own, without a guess', () => {
    assert.deepEqual(unknownLaunchAttributes({ program: '/tmp/x.cachescenario', colour: 'red' }), [
      '"colour" is not a launch attribute of the scenario debugger and is ignored. It reads "program", "stopOnEntry", "seed", "trace", "noDebug".',
    ]);
  });

  it('the initial configuration and every snippet launch cachescenario with attributes of the schema, which the adapter accepts', () => {
    assert.ok(entry && launch);
    const bodies = [...entry.initialConfigurations, ...entry.configurationSnippets.map((c) => c.body)];
    assert.ok(entry.configurationSnippets.length >= 2, 'launch configuration snippets');
    for (const body of bodies) {
      assert.equal(body.type, 'cachescenario');
      assert.equal(body.request, 'launch');
      assert.equal(typeof body.name, 'string');
      const args = Object.fromEntries(Object.entries(body).filter(([k]) => !['type', 'request', 'name'].includes(k)));
      for (const k of Object.keys(args)) assert.ok(k in launch.properties, `${JSON.stringify(body.name)}: "${k}" is not in the launch schema`);
      // A snippet's program is a variable VS Code substitutes (`${file}`, `${workspaceFolder}/...`).
      assert.match(String(args.program), /\$\{(file|workspaceFolder)\}/);
      assert.equal(checkLaunchArgs({ ...args, program: '/tmp/x.cachescenario' }), undefined, JSON.stringify(body));
    }
  });

  it('docs/debugger-contributions.json holds the same entries', () => {
    const doc = JSON.parse(readFileSync(join(root, 'docs', 'debugger-contributions.json'), 'utf8')) as { contributes: Pick<Manifest['contributes'], 'breakpoints' | 'debuggers'> };
    assert.deepEqual(doc.contributes.debuggers, pkg.contributes.debuggers);
    assert.deepEqual(doc.contributes.breakpoints, pkg.contributes.breakpoints);
  });
});

describe('package.json: completion in .cachescenario files', () => {
  it('turns off word-based suggestions, so Ctrl+Space offers only what the language expects', () => {
    // Where the language has nothing to offer (a client name after `as`, a JSON value), VS Code filled the list with
    // every word of the open scenarios, comments included: "...and", "==", "1000ms", "Acknowledged".
    assert.equal(pkg.contributes.configurationDefaults?.[`[${ids.language}]`]?.['editor.wordBasedSuggestions'], 'off');
  });
});
