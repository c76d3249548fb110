/**
 * Serves the two SPAs by host, the brand's public assets (custom CSS, custom JS, logo) and the
 * per-brand Content-Security-Policy that lets exactly that brand's script run, on its pages only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { notFound } from '../../lib/errors.ts';
import type { Brand } from '../../plugins/sites.ts';
import { externalScriptUrl, publicBrand } from '../portal/brand.presenter.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_DIST = path.join(root, 'dist', 'web');

const FALLBACK_HTML = (title: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  '<body><main><h1>The web interface is not built</h1><p>Run <code>npm run build</code>.</p></main></body></html>';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const templates = new Map<string, string>();
function template(kind: 'portal' | 'console'): string {
  let html = templates.get(kind);
  if (html === undefined) {
    const file = path.join(WEB_DIST, kind, 'index.html');
    html = fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8')
      : FALLBACK_HTML(kind === 'portal' ? 'Portal' : 'Control Panel');
    if (fs.existsSync(file)) templates.set(kind, html);
  }
  return html;
}

const BASE_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** The CSP of a page: the console allows only its own scripts; a brand adds its own script source. */
export function contentSecurityPolicy(brand: Brand | null): string {
  const external = brand ? externalScriptUrl(brand.customJs) : null;
  return [...BASE_CSP, `script-src 'self'${external ? ` ${external}` : ''}`].join('; ');
}

/** The portal page of one brand: its name in the title, its CSS after the theme, its script last. */
export function portalPage(brand: Brand): string {
  let html = template('portal').replace(
    /<title>[^<]*<\/title>/,
    `<title>${escapeHtml(brand.brandName)}</title>`,
  );
  const v = crypto.createHash('sha256').update(brand.customCss).digest('hex').slice(0, 12);
  if (brand.customCss.trim()) {
    html = html.replace(
      '</head>',
      `<link rel="stylesheet" href="/brand/custom.css?v=${v}" data-brand-css></head>`,
    );
  }
  if (brand.customJs.trim()) {
    const src = externalScriptUrl(brand.customJs) ?? '/brand/custom.js';
    html = html.replace('</body>', `<script src="${escapeHtml(src)}" data-brand-js defer></script></body>`);
  }
  return html;
}

function sendPage(reply: FastifyReply, html: string, brand: Brand | null) {
  return reply
    .header('content-security-policy', contentSecurityPolicy(brand))
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(html);
}

function brandOf(req: FastifyRequest): Brand {
  if (req.site?.kind !== 'portal') throw notFound();
  return req.site.brand;
}

export async function registerWebRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(fastifyStatic, { root: WEB_DIST, serve: false });

  app.get(
    '/api/v1/brand',
    { schema: { tags: ['portal'], summary: 'Public branding of this portal host' } },
    async (req) => publicBrand(brandOf(req)),
  );

  app.get('/brand/custom.css', { schema: { hide: true } }, async (req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(brandOf(req).customCss),
  );

  app.get('/brand/custom.js', { schema: { hide: true } }, async (req, reply) => {
    const brand = brandOf(req);
    if (!brand.customJs.trim() || externalScriptUrl(brand.customJs)) throw notFound();
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(brand.customJs);
  });

  app.get('/brand/logo', { schema: { hide: true } }, async (req, reply) => {
    const brand = brandOf(req);
    if (!brand.logoFileId) throw notFound();
    const rows = await withTenant(deps.db, brand.operatorId, (tx) =>
      tx.query<{ content_type: string; data: Uint8Array }>(
        'SELECT content_type, data FROM public_files WHERE id = $1',
        [brand.logoFileId],
      ),
    );
    const f = rows[0];
    if (!f) throw notFound();
    return reply
      .type(f.content_type)
      .header('cache-control', 'public, max-age=300')
      .send(Buffer.from(f.data));
  });

  app.get('/assets/*', { schema: { hide: true } }, (req, reply) => {
    const kind = req.site?.kind === 'console' ? 'console' : 'portal';
    const rel = (req.params as { '*': string })['*'];
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.sendFile(`assets/${rel}`, path.join(WEB_DIST, kind));
  });

  // Every other GET is a client-side route of the host's SPA.
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    if (rel.startsWith('api/')) throw notFound('Endpoint');
    if (req.site?.kind === 'console') return sendPage(reply, template('console'), null);
    const brand = brandOf(req);
    return sendPage(reply, portalPage(brand), brand);
  });
}
