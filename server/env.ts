/** The only reader of process.env: every setting, typed and validated, with one doc line each. */
import path from 'node:path';

export interface Env {
  /** HTTP port (default 8080). */
  port: number;
  /** Address to bind (default 0.0.0.0). */
  host: string;
  /** HTTPS port with SNI; off unless set. */
  httpsPort: number | null;
  /** Hostname of the Control Panel (default localhost). */
  consoleHost: string;
  /** The platform's own hostname customers point their CNAME at. */
  portalCnameTarget: string;
  /** PostgreSQL server URL; embedded PGlite under dataDir when unset. */
  databaseUrl: string | null;
  /** Folder for the embedded database and generated secrets (default ./data). */
  dataDir: string;
  /** Key that encrypts secrets at rest; generated under dataDir in embedded mode when unset. */
  secretKey: string | null;
  /** Seed the demo on an empty database (default: on in embedded mode only). */
  demo: boolean;
  /** Resolvers for domain checks, host:port. */
  dnsServers: string[];
  /** ACME directory for certificates. */
  acmeDirectoryUrl: string | null;
  /** Extra CA file trusted for the ACME server. */
  acmeCaBundle: string | null;
  /** Port the CA and the self-probe reach for HTTP-01 challenges (default 80). */
  acmeHttpPort: number;
  /** CAA issuer identities of the configured CA (default letsencrypt.org). */
  acmeCaaIdentities: string[];
  /** ACME limits, name=count pairs (orders_per_minute, orders_per_3h, certs_per_domain_week, failed_per_host_hour). */
  acmeRateLimits: Record<string, number>;
  /** Roles this process runs: web, worker, scheduler. */
  services: string[];
  /** Minutes of inactivity after which a session ends (default 60). */
  sessionIdleMinutes: number;
  /** Hours after which a session ends regardless of activity (default 12). */
  sessionMaxHours: number;
  /** Fastify log level (default info; silent in tests). */
  logLevel: string;
  /** Platform SMTP used when a brand has none: smtp://user:pass@host:port. */
  smtpUrl: string | null;
  /** From address of platform mail. */
  smtpFrom: string;
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function bool(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

/** Reads and validates the environment; throws with the variable's name on bad input. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const databaseUrl = source.DATABASE_URL?.trim() || null;
  const httpsPort = source.HTTPS_PORT ? int('HTTPS_PORT', source.HTTPS_PORT, 0) : null;
  return {
    port: int('PORT', source.PORT, 8080),
    host: source.HOST || '0.0.0.0',
    httpsPort,
    consoleHost: (source.CONSOLE_HOST || 'localhost').toLowerCase(),
    portalCnameTarget: (source.PORTAL_CNAME_TARGET || 'portal.example-platform.com').toLowerCase(),
    databaseUrl,
    dataDir: path.resolve(source.DATA_DIR || 'data'),
    secretKey: source.SECRET_KEY || null,
    demo: bool('DEMO', source.DEMO, databaseUrl === null),
    dnsServers: (source.DNS_SERVERS || '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    acmeDirectoryUrl: source.ACME_DIRECTORY_URL || null,
    acmeCaBundle: source.ACME_CA_BUNDLE || null,
    acmeHttpPort: int('ACME_HTTP_PORT', source.ACME_HTTP_PORT, 80),
    acmeCaaIdentities: (source.ACME_CAA_IDENTITIES || 'letsencrypt.org')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
    acmeRateLimits: Object.fromEntries(
      (source.ACME_RATE_LIMITS || '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((pair) => {
          const [k = '', v] = pair.split('=');
          return [k.trim(), int(`ACME_RATE_LIMITS ${k}`, v?.trim(), 0)];
        }),
    ),
    services: (source.SERVICES || 'web,worker,scheduler').split(',').map((s) => s.trim()),
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', source.SESSION_IDLE_MINUTES, 60),
    sessionMaxHours: int('SESSION_MAX_HOURS', source.SESSION_MAX_HOURS, 12),
    logLevel: source.LOG_LEVEL || 'info',
    smtpUrl: source.SMTP_URL || null,
    smtpFrom: source.SMTP_FROM || 'no-reply@localhost',
  };
}
