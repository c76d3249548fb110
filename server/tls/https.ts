/**
 * HTTPS on HTTPS_PORT: TLS is terminated by the TLS front (front.mjs), a small process of its own forked here,
 * which picks each portal domain's certificate by SNI (any other name gets the platform's certificate) and
 * passes the decrypted connection to this process over a private Unix socket, prefixed with the server name and
 * the client's address. The Host header must match the TLS server name (421 otherwise), so no request can be
 * fronted through another tenant's certificate.
 */
import { type ChildProcess, fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as x509 from '@peculiar/x509';
import type { App } from '../app.ts';
import type { Deps } from '../context.ts';
import { normalizeHost } from '../lib/hosts.ts';
import { certificateFor, SERVER_TLS, watchCertificates } from './store.ts';

x509.cryptoProvider.set(crypto.webcrypto as unknown as Crypto);

/** A self-signed P-256 certificate for the platform's own name (the answer to unknown server names). */
export async function selfSignedCertificate(name: string): Promise<{ cert: string; key: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto.randomBytes(8).toString('hex'),
    name: `CN=${name}`,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 365 * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: name }])],
  });
  const pkcs8 = Buffer.from(await crypto.webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { cert: cert.toString('pem'), key };
}

export interface FrontStats {
  /** Lookups the front asked of the database (cache misses). */
  loads: number;
  /** TCP connections open on the front (handshaking, idle or forwarding). */
  connections: number;
  /** Handshakes that failed (client gone, bad hello, timeout). */
  clientErrors: number;
  /** Secure contexts held, and names remembered as unknown. */
  contexts: number;
  negative: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface HttpsListener {
  port: number;
  /** The TLS front's process id (for CPU and memory measures). */
  frontPid: number;
  /** The allocator library the front runs with (LD_PRELOAD), or null for glibc's malloc. */
  frontAllocator: string | null;
  stats(): Promise<FrontStats>;
  close(): Promise<void>;
}

export interface FrontOptions {
  /** Secure contexts kept (default 20,000). */
  maxContexts?: number;
  /** Unknown names remembered (default 50,000). */
  maxNegative?: number;
  /** How long an unknown name stays unknown without a change notice (default 60 s). */
  negativeTtlMs?: number;
  /**
   * The memory allocator loaded into the front (LD_PRELOAD): by default tcmalloc when it is installed (Debian's
   * libtcmalloc-minimal4), `null` for the C library's own.
   */
  allocator?: string | null;
}

/**
 * Where Debian's libtcmalloc-minimal4 puts tcmalloc. In the front, OpenSSL's many small allocations per handshake
 * cost less CPU with it than with glibc's malloc, and the secure contexts take less memory (bench/README.md).
 */
const TCMALLOC_PATHS = [
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/libtcmalloc_minimal.so.4`,
  '/usr/lib64/libtcmalloc_minimal.so.4',
];

/** The allocator library the front loads by default: tcmalloc when found, else none (glibc's malloc). */
export function defaultFrontAllocator(): string | null {
  return TCMALLOC_PATHS.find((p) => fs.existsSync(p)) ?? null;
}

/** What the front says before a connection's bytes: `FRONT <server name or -> <address> <port>\r\n`. */
const PREAMBLE = /^FRONT (\S+) (\S+) (\d+)\r\n/;
const MAX_PREAMBLE = 512;

interface FrontSocket extends net.Socket {
  servername?: string;
  encrypted?: boolean;
}

/** Reads the front's line off a new upstream connection, then gives the connection to the HTTP server. */
function acceptFromFront(conn: FrontSocket, server: http.Server): void {
  let buf = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    const end = buf.indexOf('\r\n');
    if (end === -1) {
      if (buf.length > MAX_PREAMBLE) conn.destroy();
      return;
    }
    const m = PREAMBLE.exec(buf.subarray(0, end + 2).toString('latin1'));
    conn.off('data', onData);
    conn.pause();
    if (!m) {
      conn.destroy();
      return;
    }
    // The connection is the client's: its server name, its address, and it arrived over TLS.
    Object.defineProperties(conn, {
      servername: { value: m[1] === '-' ? undefined : m[1] },
      encrypted: { value: true },
      remoteAddress: { value: m[2] },
      remotePort: { value: Number(m[3]) },
      remoteFamily: { value: m[2]?.includes(':') ? 'IPv6' : 'IPv4' },
    });
    const rest = buf.subarray(end + 2);
    if (rest.length > 0) conn.unshift(rest);
    server.emit('connection', conn);
    process.nextTick(() => conn.resume());
  };
  conn.on('data', onData);
  conn.on('error', () => conn.destroy());
}

/** Starts the TLS front on the given port in front of the (ready) app. */
export async function startHttpsServer(
  app: App,
  deps: Deps,
  opts: {
    port: number;
    host?: string;
    defaultCert?: { cert: string; key: string };
    front?: FrontOptions;
  },
): Promise<HttpsListener> {
  await app.ready();
  const fallback = opts.defaultCert ?? (await selfSignedCertificate(deps.env.portalCnameTarget));
  const server = http.createServer((req, res) => {
    const sni = (req.socket as FrontSocket).servername;
    const host = normalizeHost(req.headers.host);
    const expected = sni ? normalizeHost(sni) : deps.env.consoleHost;
    if (req.url !== '/healthz' && (!host || host !== expected)) {
      res.writeHead(421, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: 'misdirected_request',
          message: 'The Host header does not match the TLS server name',
        }),
      );
      return;
    }
    app.routing(req, res);
  });
  // A directory only this user can enter holds the socket: nothing else on the machine can pose as the front.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpp-front-'));
  const upstream = path.join(dir, 'app.sock');
  const sockets = net.createServer((conn) => acceptFromFront(conn, server));
  await new Promise<void>((resolve, reject) => {
    sockets.once('error', reject);
    sockets.listen(upstream, () => resolve());
  });

  const frontPath = fileURLToPath(new URL('./front.mjs', import.meta.url));
  const opensslConfig = fileURLToPath(new URL('./front-openssl.cnf', import.meta.url));
  const allocator = opts.front?.allocator === undefined ? defaultFrontAllocator() : opts.front.allocator;
  const frontEnv = { ...process.env };
  if (allocator) frontEnv.LD_PRELOAD = [allocator, process.env.LD_PRELOAD].filter(Boolean).join(' ');
  const pendingStats = new Map<number, (s: FrontStats) => void>();
  let statsSeq = 0;
  let closing = false;
  let front: ChildProcess;
  const toFront = (msg: unknown) => {
    if (front.connected) front.send(msg as object);
  };
  const onMessage = (m: { type?: string; host?: string; id?: number } & Partial<FrontStats>) => {
    if (m.type === 'lookup' && m.host) {
      const host = m.host;
      certificateFor(deps, host).then(
        (c) => toFront({ type: 'cert', host, cert: c?.cert, key: c?.key, notAfter: c?.notAfter }),
        () => toFront({ type: 'cert', host }),
      );
    } else if (m.type === 'invalidated' && m.id !== undefined) {
      acks.get(m.id)?.();
      acks.delete(m.id);
    } else if (m.type === 'stats' && m.id !== undefined) {
      pendingStats.get(m.id)?.(m as FrontStats);
      pendingStats.delete(m.id);
    }
  };
  /** Forks the front and waits until it listens; a front that dies later is started again. */
  const launch = (port: number) =>
    new Promise<number>((resolve, reject) => {
      // A larger young generation: each handshake leaves short-lived garbage, and fewer scavenges of a heap
      // that is mostly secure contexts cost less CPU per handshake; the front's OpenSSL settings (one session
      // ticket per handshake) come from front-openssl.cnf (measured: bench/README.md).
      const child = fork(frontPath, [], {
        execArgv: ['--max-semi-space-size=32', `--openssl-config=${opensslConfig}`],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: frontEnv,
      });
      front = child;
      let listening = false;
      child.on('message', onMessage);
      child.on('message', (m: { type?: string; port?: number; message?: string }) => {
        if (m.type === 'listening') {
          listening = true;
          // A front started again takes the same port, even when the first one was given an ephemeral one.
          port = Number(m.port);
          resolve(Number(m.port));
        }
        if (m.type === 'failed') reject(new Error(`HTTPS listener: ${m.message}`));
      });
      child.once('exit', (code, signal) => {
        if (!listening) return reject(new Error(`the TLS front exited before listening (${signal ?? code})`));
        if (closing) return;
        app.log.error({ code, signal }, 'the TLS front exited; starting it again');
        setTimeout(() => {
          if (!closing) launch(port).catch((err) => app.log.error(err, 'the TLS front did not start again'));
        }, 1000).unref();
      });
      child.send({
        type: 'start',
        port,
        host: opts.host ?? '0.0.0.0',
        cert: fallback.cert,
        key: fallback.key,
        tls: SERVER_TLS,
        upstream,
        maxContexts: opts.front?.maxContexts ?? 20_000,
        maxNegative: opts.front?.maxNegative ?? 50_000,
        negativeTtlMs: opts.front?.negativeTtlMs ?? 60_000,
      });
    });
  // An invalidation is acknowledged by the front, so the change is in force when its announcement returns.
  const acks = new Map<number, () => void>();
  let ackSeq = 0;
  const unwatch = await watchCertificates(
    deps,
    (host) =>
      new Promise<void>((resolve) => {
        if (!front.connected) return resolve();
        const id = ++ackSeq;
        acks.set(id, resolve);
        setTimeout(() => acks.delete(id) && resolve(), 2000).unref();
        toFront({ type: 'invalidate', id, host: host ? (normalizeHost(host) ?? host) : undefined });
      }),
  );
  const cleanup = async () => {
    closing = true;
    await unwatch();
    if (front.exitCode === null && front.signalCode === null) {
      const exited = new Promise((resolve) => front.once('exit', resolve));
      front.kill();
      await exited;
    }
    await new Promise<void>((resolve) => sockets.close(() => resolve()));
    server.closeAllConnections();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await launch(opts.port);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    port,
    get frontPid() {
      return front.pid ?? 0;
    },
    frontAllocator: allocator,
    stats: () =>
      new Promise<FrontStats>((resolve, reject) => {
        if (!front.connected) return reject(new Error('the TLS front is not running'));
        const id = ++statsSeq;
        pendingStats.set(id, resolve);
        toFront({ type: 'stats', id });
      }),
    close: cleanup,
  };
}
