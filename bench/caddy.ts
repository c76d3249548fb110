/**
 * Debian's caddy (2.6) beside our server in the same run, for the TLS benchmarks: either serving a set of
 * certificate files (handshake cost) or with on-demand TLS against a Pebble (issuance), configured as in
 * research/caddy-anchor.md. Server CPU is read from /proc/<pid>/stat (user + system ticks), memory from VmRSS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CADDY_BIN = process.env.CADDY_BIN ?? '/usr/bin/caddy';
export const HAVE_CADDY = fs.existsSync(CADDY_BIN);

export interface Caddy {
  pid: number;
  /** User + system CPU of the caddy process so far, in microseconds (10 ms ticks). */
  cpuMicros(): number;
  rssBytes(): number;
  log(): string;
  close(): Promise<void>;
}

const TICK_US = 1_000_000 / 100; // CLK_TCK is 100 on Linux

export function procCpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

/** CPU (user + system, µs) of each live process whose command name is `comm`, by pid (e.g. PostgreSQL's). */
export function commCpuMicros(comm: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm)
        out.set(Number(entry), procCpuMicros(Number(entry)));
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/**
 * CPU the processes of a `commCpuMicros` snapshot and those started since spent up to now (µs). A process that
 * ended in between is left out (its time is gone from /proc), so this can undercount, never go negative.
 */
export function commCpuSince(comm: string, before: Map<number, number>): number {
  let total = 0;
  for (const [pid, now] of commCpuMicros(comm)) total += now - (before.get(pid) ?? 0);
  return total;
}

export function procRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`caddy exited (${child.exitCode}):\n${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`caddy did not listen on ${port}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function run(config: string, adapter: 'json' | 'caddyfile', waitPort: number): Promise<Caddy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caddy-bench-'));
  const file = path.join(dir, adapter === 'json' ? 'caddy.json' : 'Caddyfile');
  fs.writeFileSync(file, config.replaceAll('$DIR', dir));
  let output = '';
  const args = ['run', '--config', file, ...(adapter === 'caddyfile' ? ['--adapter', 'caddyfile'] : [])];
  const child = spawn(CADDY_BIN, args, {
    env: { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await waitForPort(waitPort, child, () => output);
  const pid = child.pid ?? 0;
  return {
    pid,
    cpuMicros: () => procCpuMicros(pid),
    rssBytes: () => procRssBytes(pid),
    log: () => output,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Caddy serving the given certificate/key files on 127.0.0.1:port (TLS on every connection, answer "ok"). */
export function startCaddyWithFiles(
  port: number,
  files: Array<{ certificate: string; key: string }>,
): Promise<Caddy> {
  const config = {
    admin: { disabled: true },
    storage: { module: 'file_system', root: '$DIR/data' },
    logging: { logs: { default: { level: 'ERROR' } } },
    apps: {
      tls: { certificates: { load_files: files }, cache: { capacity: files.length + 100 } },
      http: {
        servers: {
          bench: {
            listen: [`127.0.0.1:${port}`],
            routes: [{ handle: [{ handler: 'static_response', body: 'ok' }] }],
            tls_connection_policies: [{}],
            automatic_https: { disable: true },
          },
        },
      },
    },
  };
  return run(JSON.stringify(config), 'json', port);
}

/**
 * Caddy with on-demand TLS (the configuration of research/caddy-anchor.md): any name the `ask` URL approves
 * gets a certificate from the ACME directory during its first handshake; HTTP-01 answered on httpPort.
 */
export function startCaddyOnDemand(opts: {
  httpPort: number;
  httpsPort: number;
  askUrl: string;
  directoryUrl: string;
  caBundle: string;
}): Promise<Caddy> {
  const caddyfile = `{
	admin off
	http_port ${opts.httpPort}
	https_port ${opts.httpsPort}
	storage file_system $DIR/data
	on_demand_tls {
		ask ${opts.askUrl}
	}
	log {
		level ERROR
	}
}
https:// {
	tls {
		on_demand
		issuer acme {
			dir ${opts.directoryUrl}
			trusted_roots ${opts.caBundle}
			disable_tlsalpn_challenge
		}
	}
	respond "ok" 200
}
`;
  return run(caddyfile, 'caddyfile', opts.httpsPort);
}
