import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, testDb } from '../server/test/db.ts';

const run = promisify(execFile);
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (ENGINE === 'postgres') {
    const t = await testDb();
    env = { ...process.env, DATABASE_URL: t.url!, SECRET_KEY: 'admin-test' };
    cleanup = t.close;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpp-admin-'));
    env = { ...process.env, DATABASE_URL: '', DATA_DIR: dir };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => cleanup());

const admin = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { env });

describe(`admin command (${ENGINE})`, () => {
  it('creates an operator with its first user and prints its id; refuses a duplicate email', async () => {
    const { stdout } = await admin(
      'create-operator',
      '--name',
      'Acme Voice',
      '--email',
      'owner@acme-voice.test',
      '--password',
      'owner-password-1',
    );
    expect(stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    const dup = await admin(
      'create-operator',
      '--name',
      'Other',
      '--email',
      'OWNER@acme-voice.test',
      '--password',
      'owner-password-1',
    ).catch((e) => e);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    const usage = await admin('create-operator', '--name', 'x').catch((e) => e);
    expect(usage.code).toBe(2);
  });
});
