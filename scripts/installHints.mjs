// What installTools.mjs tells a learner when code-server's native build cannot work: the Debian packages to install,
// found before the build (a header or program missing) or in a failed build's log. Pure, so a unit test pins the names.

/** Headers and programs node-gyp needs to build code-server's native modules, and the Debian package of each. */
export const PREREQUISITES = [
  { kind: 'header', path: '/usr/include/gssapi/gssapi.h', pkg: 'libkrb5-dev', why: 'kerberos module of code-server' },
  { kind: 'program', path: 'make', pkg: 'make', why: 'node-gyp' },
  { kind: 'program', path: 'g++', pkg: 'g++', why: 'node-gyp' },
  { kind: 'program', path: 'python3', pkg: 'python3', why: 'node-gyp' },
];

/** Missing-file messages in a failed build log, mapped to the Debian package that provides the file. */
export const LOG_HINTS = [
  { pattern: /gssapi\/gssapi\.h/, pkg: 'libkrb5-dev' },
  { pattern: /X11\/extensions\/XKBrules\.h|xkbfile/, pkg: 'libxkbfile-dev' },
  { pattern: /X11\/Xlib\.h|X11\/XKBlib\.h/, pkg: 'libx11-dev' },
  { pattern: /libsecret/, pkg: 'libsecret-1-dev' },
  { pattern: /make: not found|not found: make/, pkg: 'make' },
  { pattern: /g\+\+: not found|not found: g\+\+|No such file or directory: 'g\+\+'/, pkg: 'g++' },
  { pattern: /find Python|python3?: not found/i, pkg: 'python3' },
];

/**
 * The message for the prerequisites that are missing (`fileExists` for headers, `hasProgram` for programs), naming
 * each missing file and the `apt-get install` line that provides them; undefined when nothing is missing.
 */
export function missingPrerequisitesMessage(fileExists, hasProgram) {
  const missing = PREREQUISITES.filter((p) => (p.kind === 'header' ? !fileExists(p.path) : !hasProgram(p.path)));
  if (missing.length === 0) return undefined;
  const pkgs = [...new Set(missing.map((m) => m.pkg))].join(' ');
  return `code-server's native modules cannot be built: missing ${missing.map((m) => `${m.path} (${m.why})`).join(', ')}.\n` +
    `  Install the Debian package(s): apt-get install -y ${pkgs}`;
}

/** The hint to print under a failed install's log: the Debian packages its errors point at, or what to look for. */
export function buildFailureHint(log) {
  const pkgs = [...new Set(LOG_HINTS.filter((h) => h.pattern.test(log)).map((h) => h.pkg))];
  if (pkgs.length > 0) return `\n  The build is missing system files; install the Debian package(s): apt-get install -y ${pkgs.join(' ')}`;
  return log.includes('gyp ERR!') ? '\n  node-gyp failed; see the log above for the missing header or tool.' : '';
}
