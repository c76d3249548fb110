/**
 * The real entry point (`node --import tsx server/main.ts`) as a child process, for tests with several
 * application nodes: a clean environment, readiness by polling /healthz on HTTP and HTTPS, the output kept
 * for failure messages, and a stop that ends in SIGKILL (also when the test process exits early).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'server', 'main.ts');
const MAX_OUTPUT = 4 * 1024 * 1024;

export interface AppProcess {
  name: string;
  httpPort: number;
  httpsPort: number;
  /** True until the process exits. */
  alive(): boolean;
  /** Everything it printed on stdout and stderr, interleaved. */
  output(): string;
  /** Resolves once /healthz answers on both listeners; rejects (with the output) if it exits or times out. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One plain HTTP request to 127.0.0.1 with an explicit Host header. */
export function httpRequest(
  port: number,
  opts: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: unknown },
): Promise<HttpResult> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        agent: false,
        headers: {
          host: opts.host,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...opts.headers,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function healthz(port: number, secure: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const get = secure ? https.get : http.get;
    const req = get(
      { host: '127.0.0.1', port, path: '/healthz', agent: false, rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const running = new Set<ChildProcess>();
// A test process that dies without its afterAll must not leave servers behind.
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/**
 * Starts server/main.ts with exactly the given variables (plus PATH, HOME and TMPDIR); PORT and HTTPS_PORT
 * are set from the ports given. The caller keeps the handle to stop it even if ready() fails.
 */
export function spawnApp(
  name: string,
  ports: { http: number; https: number },
  env: Record<string, string>,
): AppProcess {
  const inherited = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: { ...inherited, ...env, PORT: String(ports.http), HTTPS_PORT: String(ports.https) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const keep = (c: Buffer) => {
    out += c.toString();
    if (out.length > MAX_OUTPUT) out = out.slice(-MAX_OUTPUT / 2);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ? `signal ${signal}` : `code ${code}`;
      running.delete(child);
      resolve();
    }),
  );
  const alive = () => exit === null;
  return {
    name,
    httpPort: ports.http,
    httpsPort: ports.https,
    alive,
    output: () => out,
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!alive()) throw new Error(`node ${name} exited (${exit}) before it was ready:\n${out}`);
        if ((await healthz(ports.http, false)) && (await healthz(ports.https, true))) return;
        if (Date.now() > deadline) {
          throw new Error(`node ${name} did not answer /healthz within ${timeoutMs / 1000} s:\n${out}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(graceMs = 10_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
      if ((await Promise.race([exited, timer])) === 'late') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
