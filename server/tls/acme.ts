/**
 * ACME over HTTP-01 with acme-client (SPEC section 6, step 4): one account per directory stored sealed,
 * challenge tokens written to the database so any node answers them, P-256 certificate keys, and the
 * CA's problem documents classified into our reasons.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import * as acme from 'acme-client';
import type { Deps } from '../context.ts';
import { type Queryable, withSystem } from '../db/db.ts';

export interface IssuedCertificate {
  chainPem: string;
  keyPem: string;
  serial: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
}

export interface AcmeProblem {
  type?: string;
  detail?: string;
  status?: number;
  retryAfter?: string;
}

export interface AcmeFailure {
  /** Our reason code; null for a transient CA or network error (retried, state unchanged). */
  reason: 'acme_rate_limited' | 'caa_forbids' | 'challenge_invalid' | null;
  message: string;
  /** When the CA said to come back (rate limits). */
  retryAt: Date | null;
  /** Whether this counts as a failed validation for the per-hostname limit. */
  failedValidation: boolean;
}

const problems = new AsyncLocalStorage<{ last: AcmeProblem | null }>();
let interceptorsInstalled = false;
let trustedBundle: string | null | undefined;

function installInterceptors(): void {
  if (interceptorsInstalled) return;
  interceptorsInstalled = true;
  // The job queue retries with its own backoff; acme-client must not sleep for a Retry-After of hours.
  (
    acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } }
  ).acmeSettings.retryMaxAttempts = 0;
  const capture = (
    resp: { status?: number; data?: unknown; headers?: Record<string, unknown> } | undefined,
  ) => {
    const store = problems.getStore();
    if (!store || !resp) return;
    const data = resp.data as
      | { type?: string; detail?: string; status?: string; error?: AcmeProblem }
      | undefined;
    if (data && typeof data === 'object') {
      if ((resp.status ?? 0) >= 400 && typeof data.type === 'string') {
        if (data.type.endsWith(':badNonce')) return;
        const ra = resp.headers?.['retry-after'];
        store.last = {
          type: data.type,
          detail: data.detail ?? '',
          status: resp.status ?? 0,
          ...(ra ? { retryAfter: String(ra) } : {}),
        };
      } else if (data.status === 'invalid' && data.error?.type) {
        store.last = {
          type: data.error.type,
          detail: data.error.detail ?? '',
          status: data.error.status ?? 0,
        };
      }
    }
  };
  acme.axios.interceptors.response.use(
    (resp) => {
      capture(resp);
      return resp;
    },
    (err) => {
      capture(err?.response);
      return Promise.reject(err);
    },
  );
}

/** Trusts ACME_CA_BUNDLE (e.g. Pebble's) in addition to the system roots for the ACME server. */
function trustBundle(file: string | null): void {
  if (trustedBundle === file) return;
  trustedBundle = file;
  // One secure context for every connection to the CA: passing `ca` instead would parse the ~140 system roots
  // again for each new socket (and put them in the agent's pool key), which cost most of the CPU of a
  // bulk issuance (27 s of 44 s for 60 certificates).
  acme.axios.defaults.httpsAgent = file
    ? new https.Agent({
        secureContext: tls.createSecureContext({
          ca: [...tls.rootCertificates, fs.readFileSync(file, 'utf8')],
        }),
        keepAlive: true,
      })
    : new https.Agent({ keepAlive: true });
}

const clients = new Map<string, Promise<acme.Client>>();

/** The platform's ACME client for the configured directory; the account is created once and stored sealed. */
export function acmeClient(deps: Deps): Promise<acme.Client> {
  const url = deps.env.acmeDirectoryUrl;
  if (!url) throw new Error('ACME_DIRECTORY_URL is not set');
  installInterceptors();
  trustBundle(deps.env.acmeCaBundle);
  const cacheKey = `${url}|${deps.env.secretKey ?? ''}|${deps.db.engine}`;
  let p = clients.get(cacheKey);
  if (!p) {
    p = loadAccount(deps, url).catch((err) => {
      clients.delete(cacheKey);
      throw err;
    });
    clients.set(cacheKey, p);
  }
  return p;
}

async function loadAccount(deps: Deps, directoryUrl: string): Promise<acme.Client> {
  const read = () =>
    withSystem(deps.db, (tx) =>
      tx.query<{ account_url: string | null; key_pem_enc: string }>(
        'SELECT account_url, key_pem_enc FROM acme_accounts WHERE directory_url = $1',
        [directoryUrl],
      ),
    );
  let row = (await read())[0];
  if (!row) {
    const key = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
    await withSystem(deps.db, (tx) =>
      tx.query(
        'INSERT INTO acme_accounts (directory_url, key_pem_enc) VALUES ($1, $2) ON CONFLICT (directory_url) DO NOTHING',
        [directoryUrl, deps.box.encrypt(key)],
      ),
    );
    row = (await read())[0];
  }
  if (!row) throw new Error('ACME account could not be stored');
  const opts = {
    directoryUrl,
    accountKey: deps.box.decrypt(row.key_pem_enc),
    backoffMin: 200,
    backoffMax: 3000,
    backoffAttempts: 15,
  };
  const client = new acme.Client(row.account_url ? { ...opts, accountUrl: row.account_url } : opts);
  // A fresh nonce after badNonce is cheap; five tries (the library's default) lose orders on a CA that
  // rejects nonces often (Pebble rejects 5 % by default, tests use 50 %).
  const http = (client as unknown as { http?: { maxBadNonceRetries?: number } }).http;
  if (http) http.maxBadNonceRetries = 20;
  if (!row.account_url) {
    await client.createAccount({ termsOfServiceAgreed: true });
    await withSystem(deps.db, (tx) =>
      tx.query('UPDATE acme_accounts SET account_url = $2 WHERE directory_url = $1', [
        directoryUrl,
        client.getAccountUrl(),
      ]),
    );
  }
  return client;
}

/** Publishes an HTTP-01 key authorization for any node to answer. */
export async function putChallenge(q: Queryable, token: string, hostname: string, keyAuthorization: string) {
  await q.query(
    `INSERT INTO acme_challenges (token, hostname, key_authorization, expires_at)
     VALUES ($1, $2, $3, now() + interval '1 hour')
     ON CONFLICT (token) DO UPDATE SET key_authorization = EXCLUDED.key_authorization, expires_at = EXCLUDED.expires_at`,
    [token, hostname, keyAuthorization],
  );
  if (Math.random() < 0.05) await q.query('DELETE FROM acme_challenges WHERE expires_at < now()');
}

export async function dropChallenge(q: Queryable, token: string) {
  await q.query('DELETE FROM acme_challenges WHERE token = $1', [token]);
}

/** Orders, validates over HTTP-01 and downloads a certificate for one hostname with a fresh P-256 key. */
export async function orderCertificate(deps: Deps, hostname: string): Promise<IssuedCertificate> {
  const client = await acmeClient(deps);
  const key = await acme.crypto.createPrivateEcdsaKey('P-256');
  const [, csr] = await acme.crypto.createCsr({ commonName: hostname, altNames: [hostname] }, key);
  return problems.run({ last: null }, async () => {
    try {
      const chainPem = await client.auto({
        csr,
        termsOfServiceAgreed: true,
        challengePriority: ['http-01'],
        // Our own self-probe ran before the order, through the configured resolver.
        skipChallengeVerification: true,
        challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
          await withSystem(deps.db, (tx) => putChallenge(tx, challenge.token, hostname, keyAuthorization));
        },
        challengeRemoveFn: async (_authz, challenge) => {
          await withSystem(deps.db, (tx) => dropChallenge(tx, challenge.token));
        },
      });
      const leaf = new crypto.X509Certificate(chainPem);
      const info = acme.crypto.readCertificateInfo(chainPem);
      return {
        chainPem,
        keyPem: key.toString(),
        serial: leaf.serialNumber,
        issuer: info.issuer.commonName ?? leaf.issuer,
        notBefore: new Date(info.notBefore),
        notAfter: new Date(info.notAfter),
      };
    } catch (err) {
      throw new AcmeOrderError(problems.getStore()?.last ?? null, err);
    }
  });
}

export class AcmeOrderError extends Error {
  constructor(
    readonly problem: AcmeProblem | null,
    override readonly cause: unknown,
  ) {
    super(problem?.detail || (cause instanceof Error ? cause.message : String(cause)));
  }
}

const CHALLENGE_TYPES = [
  'unauthorized',
  'connection',
  'dns',
  'incorrectResponse',
  'tls',
  'rejectedIdentifier',
];

/** Maps an ACME problem document (RFC 8555 section 6.7) to our reason, honouring Retry-After. */
export function classifyProblem(problem: AcmeProblem | null, message: string, now: Date): AcmeFailure {
  const type = problem?.type?.replace('urn:ietf:params:acme:error:', '') ?? '';
  const detail = problem?.detail || message;
  if (type === 'rateLimited') {
    return {
      reason: 'acme_rate_limited',
      message: `The certificate authority’s rate limit was reached: ${detail}`,
      retryAt: retryAfter(problem?.retryAfter, now) ?? new Date(now.getTime() + 3_600_000),
      failedValidation: false,
    };
  }
  if (type === 'caa') {
    return {
      reason: 'caa_forbids',
      message: `A CAA record forbids our certificate authority: ${detail}`,
      retryAt: null,
      failedValidation: true,
    };
  }
  if (CHALLENGE_TYPES.includes(type)) {
    return {
      reason: 'challenge_invalid',
      message: `The certificate authority could not validate the domain: ${detail}`,
      retryAt: null,
      failedValidation: true,
    };
  }
  return {
    reason: null,
    message: `The certificate authority could not be reached or failed: ${detail}`,
    retryAt: null,
    failedValidation: false,
  };
}

/** Retry-After as seconds or an HTTP date. */
export function retryAfter(value: string | undefined, now: Date): Date | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return new Date(now.getTime() + Number(value.trim()) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at);
}
