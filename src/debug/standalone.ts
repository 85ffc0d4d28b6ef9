// Entry point of the standalone debug adapter (dist/debugAdapter.js): speaks DAP over stdin/stdout.
// VS Code uses the inline adapter; this process serves @vscode/debugadapter-testsupport tests and other DAP clients.
import { DebugSession } from '@vscode/debugadapter';
import { CacheScenarioSession } from './adapter';

DebugSession.run(CacheScenarioSession);
