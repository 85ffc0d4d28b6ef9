// Types of codeServer.mjs, for the TypeScript e2e harness that imports it.
import type { BrowserContext, Page } from 'playwright-core';

export declare const CHROMIUM: string;
export declare const QUIET_SETTINGS: Record<string, unknown>;

export interface ScratchDirs {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  xdgConfig: string;
  xdgData: string;
  tmp: string;
  log: string;
}

export interface CodeServer {
  url: string;
  port: number;
  host: string;
  pid: number;
  dirs: ScratchDirs;
  /** ms from spawn to a healthy /healthz. */
  startMs: number;
  /** Settles when the server process exits. */
  done: Promise<{ code: number | null; signal: string | null }>;
  /** Ends the server's whole process group. */
  stop(): Promise<void>;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export declare function assertTools(): void;
export declare function scratchFor(prefix: string, root?: string): string;
export declare function freePort(): Promise<number>;
export declare function prepareScratch(scratch: string, settings?: Record<string, unknown>): ScratchDirs;
export declare function installVsix(scratch: string, vsix: string): string;
export declare function startCodeServer(options: {
  scratch: string;
  port?: number;
  smokeTestDriver?: boolean;
  host?: string;
  timeoutMs?: number;
  /** Added to the server's environment (its extension hosts inherit it). */
  env?: Record<string, string>;
}): Promise<CodeServer>;
export declare function workbenchUrl(
  server: CodeServer,
  options?: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string; openFile?: string },
): string;
export declare function launchBrowser(options: { profileDir: string; viewport?: { width: number; height: number } }): Promise<Browser>;
