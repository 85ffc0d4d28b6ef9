// What package.json contributes for keyboard-only stepping: "Cache Workbench: Step Back" and "Cache Workbench: Reverse
// Continue" (VS Code has no default key and no palette title for either), their keys, and where they show; the keys
// are no VS Code default and no common OS shortcut, and the README and the Debug Console name the same keys.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ids } from '../../src/constants';
import { BACK_KEYS } from '../../src/debug/runtime';

const root = process.cwd();

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; enablement?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings?: { command: string; key: string; mac?: string; when?: string }[];
  };
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
