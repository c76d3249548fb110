import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE } from '../test/db.ts';
import { openDb } from './db.ts';

const child = path.resolve('server/test/durability-child.ts');

/** Runs the child until it reports the commit, then kills it with SIGKILL (no shutdown code runs). */
function commitThenKill(dataDir: string, value: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dataDir, value], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    p.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('committed')) p.kill('SIGKILL');
    });
    p.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited without being killed (${signal})`)),
    );
  });
}

describe.runIf(ENGINE === 'pglite')('embedded database durability', () => {
  it('keeps a committed write when the process is killed with SIGKILL right after it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpp-durability-'));
    try {
      await commitThenKill(dataDir, 'first');
      await commitThenKill(dataDir, 'second');
      const db = await openDb({ url: null, dataDir });
      const rows = await db.query<{ value: string }>('SELECT value FROM durability ORDER BY value');
      await db.close();
      expect(rows.map((r) => r.value)).toEqual(['first', 'second']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
