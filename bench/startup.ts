/**
 * Time from `npm start` on a fresh clone to the first portal page (the first start builds the web apps,
 * creates the embedded database and seeds the demo), then a second start on the same folder.
 * The clone shares this checkout's node_modules (npm install is not part of `npm start`).
 * Usage: npx tsx bench/startup.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const PORT = 18_190;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpp-clone-'));
execFileSync('git', ['clone', '-q', process.cwd(), dir]);
fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));

function get(host: string, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port: PORT, path: p, headers: { host: `${host}:${PORT}` } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

async function timeStart(): Promise<number> {
  const t0 = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: dir,
    env: { ...process.env, PORT: String(PORT), DATABASE_URL: '' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      const page = await get('portal.localhost', '/login');
      const script = page.body.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
      if (page.status === 200 && script && (await get('portal.localhost', script)).status === 200)
        return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
}

const first = await timeStart();
const second = await timeStart();
fs.rmSync(dir, { recursive: true, force: true });
const result = { first_start_s: +(first / 1000).toFixed(1), second_start_s: +(second / 1000).toFixed(1) };
console.log(JSON.stringify(result));
console.table([
  { start: 'fresh clone (web build, initdb, migrations, demo seed)', seconds: result.first_start_s },
  { start: 'second start (built, database exists)', seconds: result.second_start_s },
]);
