/**
 * The HTTPS listener (SNI): each portal domain is served with its own certificate from the CertStore, any
 * other name with the platform's default certificate. The Host header must match the TLS server name
 * (421 otherwise), so no request can be fronted through another tenant's certificate.
 */
import crypto from 'node:crypto';
import https from 'node:https';
import type tls from 'node:tls';
import * as x509 from '@peculiar/x509';
import type { App } from '../app.ts';
import type { Deps } from '../context.ts';
import { normalizeHost } from '../lib/hosts.ts';
import { CertStore, type CertStoreOptions, SERVER_TLS } from './store.ts';

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

export interface HttpsListener {
  server: https.Server;
  store: CertStore;
  port: number;
  close(): Promise<void>;
}

/** Starts the SNI server in front of the (ready) app on the given port. */
export async function startHttpsServer(
  app: App,
  deps: Deps,
  opts: {
    port: number;
    host?: string;
    defaultCert?: { cert: string; key: string };
    store?: CertStoreOptions;
  },
): Promise<HttpsListener> {
  await app.ready();
  const store = new CertStore(deps, opts.store);
  await store.subscribe();
  const fallback = opts.defaultCert ?? (await selfSignedCertificate(deps.env.portalCnameTarget));
  const server = https.createServer(
    {
      ...SERVER_TLS,
      cert: fallback.cert,
      key: fallback.key,
      SNICallback: (servername, cb) => {
        const known = store.cached(servername);
        if (known !== undefined) {
          cb(null, known ?? undefined);
          return;
        }
        store.context(servername).then(
          (ctx) => cb(null, ctx ?? undefined),
          (err) => cb(err as Error),
        );
      },
    },
    (req, res) => {
      const sni = (req.socket as tls.TLSSocket).servername;
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
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  return {
    server,
    store,
    port: typeof address === 'object' && address ? address.port : opts.port,
    close: async () => {
      await store.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
