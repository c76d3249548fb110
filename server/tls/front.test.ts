/**
 * The TLS front (front.mjs) in its own process in front of a real app: what the application must still know
 * about each connection (server name, client address, that it came over TLS), what a client must never be able to
 * forge, large streamed bodies, and a front that dies being started again. No CA needed: the platform's
 * self-signed certificate answers the console name.
 */
import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOperator, CONSOLE, startTestApp, type TestApp } from '../test/harness.ts';
import {
  defaultFrontAllocator,
  type HttpsListener,
  selfSignedCertificate,
  startHttpsServer,
} from './https.ts';

function request(
  port: number,
  opts: { path: string; method?: string; body?: string; host?: string; servername?: string },
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path,
        method: opts.method ?? 'GET',
        servername: opts.servername ?? CONSOLE,
        rejectUnauthorized: false,
        agent: false,
        headers: {
          host: opts.host ?? CONSOLE,
          ...(opts.body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Raw bytes over TLS: what the client writes, and everything the server answers until it closes. */
function raw(port: number, servername: string, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () =>
      s.end(payload),
    );
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      out += d;
    });
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

describe('the TLS front process', () => {
  let t: TestApp;
  let front: HttpsListener;

  beforeAll(async () => {
    t = await startTestApp();
    front = await startHttpsServer(t.app, t.deps, {
      port: 0,
      host: '127.0.0.1',
      defaultCert: await selfSignedCertificate(CONSOLE),
    });
  });
  afterAll(async () => {
    await front?.close();
    await t?.close();
  });

  it('runs in its own process and serves the app over TLS, with the client address and https kept', async () => {
    expect(front.frontPid).toBeGreaterThan(0);
    expect(front.frontPid).not.toBe(process.pid);
    const health = await request(front.port, { path: '/healthz' });
    expect(health.status).toBe(200);

    // A failed sign-in counts against the client's own address, as over a direct connection.
    const op = await buildOperator(t);
    const bad = await request(front.port, {
      path: '/api/v1/auth/login',
      method: 'POST',
      body: JSON.stringify({ email: op.email, password: 'wrong-password-1' }),
    });
    expect(bad.status).toBe(401);
    const keys = await t.deps.db.query<{ key: string }>(
      `SELECT key FROM login_throttle WHERE key LIKE 'ip:%' ORDER BY key`,
    );
    expect(keys.map((k) => k.key)).toContain('ip:127.0.0.1');
    expect(keys.map((k) => k.key)).not.toContain('ip:undefined');

    // The app knows the request came over TLS: the session cookie is Secure.
    const good = await request(front.port, {
      path: '/api/v1/auth/login',
      method: 'POST',
      body: JSON.stringify({ email: op.email, password: op.password }),
    });
    expect(good.status).toBe(200);
    expect(String(good.headers['set-cookie'])).toMatch(/;\s*Secure/i);
  });

  it('refuses a Host that is not the TLS server name (421), and a client cannot forge the front’s line', async () => {
    const misdirected = await request(front.port, { path: '/api/v1/brand', host: 'other.example.test' });
    expect(misdirected.status).toBe(421);
    expect(JSON.parse(misdirected.body.toString()).error).toBe('misdirected_request');

    // The front's own line always comes first; a client's copy is just a malformed HTTP request.
    const forged = await raw(
      front.port,
      CONSOLE,
      'FRONT evil.example.test 10.9.8.7 1\r\nGET /healthz HTTP/1.1\r\nHost: evil.example.test\r\n\r\n',
    );
    expect(forged).toMatch(/^HTTP\/1\.1 400/);
  });

  it('keeps a connection alive across requests and carries a large body intact', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
    const ports = new Set<number>();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = https.request(
          { host: '127.0.0.1', port: front.port, path: '/healthz', servername: CONSOLE, agent },
          (res) => {
            ports.add(res.socket.localPort ?? 0);
            res.resume();
            res.on('end', () => resolve());
          },
        );
        req.on('error', reject);
        req.end();
      });
    }
    agent.destroy();
    expect(ports.size).toBe(1);
    // A body of 900 KB goes up whole (refused by the schema, not cut short), and a large answer comes down whole.
    const big = JSON.stringify({ email: 'x@example.test', password: 'p'.repeat(900 * 1024) });
    const res = await request(front.port, { path: '/api/v1/auth/login', method: 'POST', body: big });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString()).error).toBeTruthy();
    const doc = await request(front.port, { path: '/api/openapi.json' });
    const direct = await t.app.inject({ url: '/api/openapi.json', headers: { host: CONSOLE } });
    expect(doc.status).toBe(200);
    expect(doc.body.length).toBeGreaterThan(50_000);
    expect(doc.body.equals(direct.rawPayload)).toBe(true);
  });

  it('answers unknown names with the platform certificate from its negative cache', async () => {
    const before = (await front.stats()).loads;
    for (let i = 0; i < 3; i++) {
      const out = await raw(front.port, 'nobody.example.test', '');
      expect(out).toBe('');
    }
    const after = await front.stats();
    expect(after.loads - before).toBe(1);
    expect(after.negative).toBeGreaterThanOrEqual(1);
  });

  it('sends one session ticket per full handshake, and a client resumes with it', async () => {
    // OpenSSL sends two TLS 1.3 tickets unless told otherwise; the front is told one (front-openssl.cnf).
    const connect = (session?: Buffer) =>
      new Promise<{ tickets: Buffer[]; reused: boolean; reply: string }>((resolve, reject) => {
        const tickets: Buffer[] = [];
        const s = tls.connect(
          { host: '127.0.0.1', port: front.port, servername: CONSOLE, rejectUnauthorized: false, session },
          () => s.end(`GET /healthz HTTP/1.1\r\nHost: ${CONSOLE}\r\nConnection: close\r\n\r\n`),
        );
        let reply = '';
        s.setEncoding('utf8');
        s.on('session', (t: Buffer) => tickets.push(t));
        s.on('data', (d: string) => {
          reply += d;
        });
        s.on('end', () => resolve({ tickets, reused: s.isSessionReused(), reply }));
        s.on('error', reject);
      });
    const full = await connect();
    expect(full.reply).toMatch(/^HTTP\/1\.1 200/);
    expect(full.reused).toBe(false);
    expect(full.tickets).toHaveLength(1);
    const again = await connect(full.tickets[0]);
    expect(again.reply).toMatch(/^HTTP\/1\.1 200/);
    expect(again.reused).toBe(true);
  });

  it('closes at once a connection whose client left before its handshake was finished on our side', async () => {
    // A client that drops the connection right after its own handshake completes may leave before its Finished
    // reaches the front; such connections must not wait for the handshake timeout (20 s) holding a descriptor.
    const before = await front.stats();
    for (let round = 0; round < 10; round++)
      await Promise.all(
        Array.from(
          { length: 20 },
          () =>
            new Promise<void>((resolve, reject) => {
              const s = tls.connect(
                { host: '127.0.0.1', port: front.port, servername: CONSOLE, rejectUnauthorized: false },
                () => {
                  s.destroy();
                  resolve();
                },
              );
              s.on('error', reject);
            }),
        ),
      );
    let stats = await front.stats();
    for (let i = 0; i < 100 && stats.connections > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stats = await front.stats();
    }
    expect(stats.connections).toBe(0);
    expect(stats.clientErrors).toBeGreaterThan(before.clientErrors);
  });

  it('runs with tcmalloc when it is installed, and with the C library’s malloc when told to', async () => {
    const mapped = (pid: number) => fs.readFileSync(`/proc/${pid}/maps`, 'utf8').includes('libtcmalloc');
    expect(front.frontAllocator).toBe(defaultFrontAllocator());
    if (front.frontAllocator) expect(mapped(front.frontPid)).toBe(true);
    else console.warn('  libtcmalloc-minimal4 is not installed: the front runs with glibc’s malloc');
    const plain = await startHttpsServer(t.app, t.deps, {
      port: 0,
      host: '127.0.0.1',
      defaultCert: await selfSignedCertificate(CONSOLE),
      front: { allocator: null },
    });
    try {
      expect(plain.frontAllocator).toBeNull();
      expect(mapped(plain.frontPid)).toBe(false);
      expect((await request(plain.port, { path: '/healthz' })).status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('is started again when it dies', async () => {
    const first = front.frontPid;
    process.kill(first, 'SIGKILL');
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await request(front.port, { path: '/healthz' }).then(
        (r) => r.status,
        () => 0,
      );
    }
    expect(status).toBe(200);
    expect(front.frontPid).not.toBe(first);
  });
});
