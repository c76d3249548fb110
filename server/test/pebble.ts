/**
 * Pebble (Let's Encrypt's test CA, Debian package `pebble`) for tests: its own WFE certificate made with
 * openssl, random free ports, no validation sleep, our test DNS server for the VA. Tests skip with a
 * visible notice when /usr/bin/pebble is missing.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PEBBLE_BIN = process.env.PEBBLE_BIN ?? '/usr/bin/pebble';
export const HAVE_PEBBLE = fs.existsSync(PEBBLE_BIN);

/** Warns once, visibly, that the ACME tests are skipped. */
export function warnIfNoPebble(): void {
  if (!HAVE_PEBBLE) {
    console.warn(
      `\n  ACME/TLS tests SKIPPED: ${PEBBLE_BIN} not found (install it with: apt-get install -y pebble)\n`,
    );
  }
}

/** A TCP port free at the time of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Pebble {
  directoryUrl: string;
  /** The file that makes the WFE trusted (ACME_CA_BUNDLE). */
  caBundle: string;
  /** The root that signs issued certificates (changes at every start). */
  rootPem: string;
  /** Everything Pebble printed (for diagnosing a failed test). */
  log(): string;
  close(): Promise<void>;
}

export interface PebbleOptions {
  /** Port the VA connects to for HTTP-01 (the app's HTTP port). */
  httpPort: number;
  /** host:port of the test DNS server. */
  dnsServer: string;
  /** Certificate lifetime in seconds (default Pebble's 5 years). */
  validitySeconds?: number;
  /** Percentage of good nonces Pebble rejects (default 0). */
  nonceReject?: number;
}

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Starts Pebble and waits until its directory answers. */
export async function startPebble(opts: PebbleOptions): Promise<Pebble> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pebble-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  ssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=Pebble WFE test CA',
    '-days',
    '2',
    '-out',
    'ca.pem',
  );
  ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'wfe.key');
  ssl('req', '-new', '-key', 'wfe.key', '-subj', '/CN=localhost', '-out', 'wfe.csr');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    'wfe.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'wfe.pem',
  );
  const [port, mgmt, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${port}`,
      managementListenAddress: `127.0.0.1:${mgmt}`,
      certificate: path.join(dir, 'wfe.pem'),
      privateKey: path.join(dir, 'wfe.key'),
      httpPort: opts.httpPort,
      tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
      ...(opts.validitySeconds ? { certificateValidityPeriod: opts.validitySeconds } : {}),
    },
  };
  fs.writeFileSync(path.join(dir, 'pebble.json'), JSON.stringify(config));
  let output = '';
  const child: ChildProcess = spawn(
    PEBBLE_BIN,
    ['-config', path.join(dir, 'pebble.json'), '-dnsserver', opts.dnsServer, '-strict=false'],
    {
      env: {
        ...process.env,
        PEBBLE_VA_NOSLEEP: '1',
        PEBBLE_WFE_NONCEREJECT: String(opts.nonceReject ?? 0),
        PEBBLE_AUTHZREUSE: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ca = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  // Wait for the listener (start-up takes a few hundred milliseconds).
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`pebble exited: ${output}`);
    const ok = await get(directoryUrl, ca).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (i > 200) throw new Error(`pebble did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const root = await get(`https://127.0.0.1:${mgmt}/roots/0`, ca);
  return {
    directoryUrl,
    caBundle: path.join(dir, 'ca.pem'),
    rootPem: root.body,
    log: () => output,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
