/**
 * The HTTP side of custom domains: HTTP-01 answers from the database on any host and any node, HTTP
 * redirected to HTTPS for domains with a certificate (except challenges), HSTS on those domains.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { querySystem } from '../db/db.ts';
import { isLocalName, normalizeHost } from '../lib/hosts.ts';

export const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';
const SERVING = new Set(['active', 'renewing']);

/** Registers the challenge route and the redirect/HSTS hook; call after the host-resolution hook. */
export function registerTlsHttp(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { token: string } }>(
    `${CHALLENGE_PREFIX}:token`,
    { schema: { hide: true } },
    async (req, reply) => {
      const host = normalizeHost(req.headers.host);
      const rows = await querySystem<{ key_authorization: string }>(
        deps.db,
        `SELECT key_authorization FROM acme_challenges WHERE token = $1 AND hostname = $2 AND expires_at > now()`,
        [req.params.token, host ?? ''],
        'acme_challenge_by_token',
      );
      const row = rows[0];
      if (!row) return reply.status(404).type('text/plain').send('Not found');
      return reply.type('text/plain').send(row.key_authorization);
    },
  );

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith(CHALLENGE_PREFIX) || req.url === '/healthz') return;
    const site = req.site;
    if (site?.kind !== 'portal' || isLocalName(site.brand.domain) || !SERVING.has(site.brand.state)) return;
    const encrypted = Boolean((req.raw.socket as { encrypted?: boolean }).encrypted);
    if (encrypted) {
      reply.header('strict-transport-security', 'max-age=31536000');
      return;
    }
    const port = deps.env.httpsPort;
    if (!port) return;
    return reply.redirect(`https://${site.brand.domain}${port === 443 ? '' : `:${port}`}${req.url}`, 308);
  });
}
