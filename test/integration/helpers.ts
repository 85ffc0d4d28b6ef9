// Helpers shared by the integration suites: activate the extension under test and read its manifest.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ids } from '../../src/constants';
import type { CacheWorkbenchApi } from '../../src/extension';

/** The contributed parts of package.json that the suites check. */
export interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string; name: string; type?: string }[]>;
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

export function extension(): vscode.Extension<CacheWorkbenchApi> {
  const ext = vscode.extensions.getExtension<CacheWorkbenchApi>(ids.extension);
  assert.ok(ext, `extension ${ids.extension} is not loaded`);
  return ext;
}

/** Activates the extension (idempotent) and returns its API. */
export async function activate(): Promise<CacheWorkbenchApi> {
  return extension().activate();
}

export function manifest(): Manifest {
  return extension().packageJSON as Manifest;
}

/** Rejects when `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
