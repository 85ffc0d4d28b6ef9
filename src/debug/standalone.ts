// Entry point of the standalone debug adapter (dist/debugAdapter.js): speaks DAP over stdin/stdout.
// VS Code uses the inline adapter; this process serves @vscode/debugadapter-testsupport tests and other DAP clients.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CacheScenarioSession } from './adapter';

const session = new CacheScenarioSession();
// The library shuts the process down on any 'error' event, exit code 0 and nothing said, and a frame it cannot parse
// (`Content-Length: 5` then `{bad}`) is one. A message that cannot be read is written to stderr and skipped (it has no
// seq to answer); the session goes on. A broken stdin or stdout ends the process with exit code 1 and says why.
session.removeAllListeners('error');
session.on('error', (event: DebugProtocol.Event) => {
  const what = typeof event.body === 'string' ? event.body : String(event.body);
  if (what.startsWith('Error handling data')) {
    process.stderr.write(`cachescenario debug adapter: skipped a message it could not read (${what}); the session goes on\n`);
    return;
  }
  process.stderr.write(`cachescenario debug adapter: ${what}; exiting\n`);
  process.exit(1);
});
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
