// Desktop runner for contributors with internet: `npm run build && npx vscode-test` downloads VS Code (@vscode/test-cli)
// and runs the same integration suite as scripts/runIntegration.mjs (which uses code-server, for machines without internet).
import { defineConfig } from '@vscode/test-cli';
import { mkdirSync } from 'node:fs';

const workspaceFolder = '.tmp/desktop-workspace';
mkdirSync(workspaceFolder, { recursive: true });

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/index.js',
  workspaceFolder,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 30_000, color: true },
});
