import { readFileSync, unlinkSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { processAlive } from '../store/index.js';

/**
 * How a server tells the CLI on the same machine that it owns a data folder: `<dataDir>/server.json` holds
 * its pid, its URL and an admin token issued for this start only (revoked when it stops, replaced at the next
 * start). The file is readable by its owner only; whoever can read it can read the database beside it anyway,
 * so it grants nothing the folder did not. The CLI reads it when the folder is locked (embedded PGlite takes
 * one process) and goes through the server's `/api` instead.
 */
export interface LocalServer {
  readonly pid: number;
  readonly url: string;
  readonly adminToken: string;
}

/** The file's name inside the data folder. */
export const LOCAL_SERVER_FILE = 'server.json';

/**
 * The name of the admin token written to the file: per machine and folder, so replicas sharing one
 * PostgreSQL from different folders never revoke each other's.
 */
export function localCliTokenName(dataDir: string): string {
  return `local cli ${hostname()} ${resolve(dataDir)}`;
}

/** A URL the CLI can connect to: a wildcard listen address becomes the loopback. */
export function connectableUrl(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

/** Writes the file atomically (temporary file, then rename), mode 0600. */
export async function writeLocalServer(dataDir: string, info: LocalServer): Promise<void> {
  const path = join(dataDir, LOCAL_SERVER_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

/** The server that owns `dataDir`, or null when there is no file, it is unreadable, or its process has ended. */
export function readLocalServer(dataDir: string): LocalServer | null {
  let info: Partial<LocalServer>;
  try {
    info = JSON.parse(readFileSync(join(dataDir, LOCAL_SERVER_FILE), 'utf8')) as Partial<LocalServer>;
  } catch {
    return null;
  }
  if (typeof info.pid !== 'number' || typeof info.url !== 'string' || typeof info.adminToken !== 'string') return null;
  return processAlive(info.pid) ? { pid: info.pid, url: info.url, adminToken: info.adminToken } : null;
}

/** Removes the file if this process wrote it. */
export function removeLocalServer(dataDir: string): void {
  const path = join(dataDir, LOCAL_SERVER_FILE);
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as Partial<LocalServer>;
    if (info.pid === process.pid) unlinkSync(path);
  } catch {
    /* gone already, or another server's */
  }
}
