// scripts/installTools.mjs builds code-server's native modules; when that cannot work, its error must name the Debian
// package to install (issue "The extension in a real VS Code"). These pin the names, before the build and after it fails.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const load = async () => import('../../scripts/installHints.mjs');

/** The tail of a real failed install without libkrb5-dev: node-gyp compiling code-server's kerberos module. */
const KERBEROS_LOG = `npm error gyp info spawn args [ 'BUILDTYPE=Release', '-C', 'build' ]
npm error In file included from ../src/kerberos.cc:1:
npm error ../src/kerberos.h:5:10: fatal error: gssapi/gssapi.h: No such file or directory
npm error     5 | #include <gssapi/gssapi.h>
npm error compilation terminated.
npm error gyp ERR! build error
npm error gyp ERR! stack Error: \`make\` failed with exit code: 2`;

describe('installTools: missing build prerequisites', () => {
  it('names the Debian package of a missing header, and of each missing program, once each', async () => {
    const { missingPrerequisitesMessage } = await load();
    const noKrb = missingPrerequisitesMessage((p) => p !== '/usr/include/gssapi/gssapi.h', () => true);
    assert.ok(noKrb);
    assert.match(noKrb, /missing \/usr\/include\/gssapi\/gssapi\.h \(kerberos module of code-server\)/);
    assert.match(noKrb, /apt-get install -y libkrb5-dev$/);
    const noTools = missingPrerequisitesMessage(() => true, (name) => name === 'make');
    assert.ok(noTools);
    assert.match(noTools, /apt-get install -y g\+\+ python3$/);
  });

  it('says nothing when everything is there', async () => {
    const { missingPrerequisitesMessage } = await load();
    assert.equal(missingPrerequisitesMessage(() => true, () => true), undefined);
  });
});

describe('installTools: a failed native build', () => {
  it('points a missing gssapi.h at libkrb5-dev', async () => {
    const { buildFailureHint } = await load();
    assert.equal(buildFailureHint(KERBEROS_LOG), '\n  The build is missing system files; install the Debian package(s): apt-get install -y libkrb5-dev');
  });

  it('names every package the log points at, and each once', async () => {
    const { buildFailureHint } = await load();
    const log = `${KERBEROS_LOG}\nfatal error: X11/extensions/XKBrules.h: No such file or directory\ngyp ERR! find Python\n${KERBEROS_LOG}`;
    assert.match(buildFailureHint(log), /apt-get install -y libkrb5-dev libxkbfile-dev python3$/);
  });

  it('without a known missing file, sends node-gyp failures to the log, and says nothing about other failures', async () => {
    const { buildFailureHint } = await load();
    assert.equal(buildFailureHint('gyp ERR! build error\nsomething else'), '\n  node-gyp failed; see the log above for the missing header or tool.');
    assert.equal(buildFailureHint('npm error network ETIMEDOUT'), '');
  });
});
