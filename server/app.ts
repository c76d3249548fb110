/** Builds the Fastify application: plugins first, then the feature routes. Used by main and tests. */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Deps } from './context.ts';
import { registerAuditRoutes } from './features/audit/audit.routes.ts';
import { registerAuthRoutes } from './features/auth/auth.routes.ts';
import { registerAuthListRoutes } from './features/authlists/authlists.routes.ts';
import { registerCatalogRoutes } from './features/catalog/catalog.routes.ts';
import { registerCliRoutes } from './features/cli/cli.routes.ts';
import { registerCompanyRoutes } from './features/companies/companies.routes.ts';
import {
  registerContactAuthRoutes,
  registerContactConsoleRoutes,
  registerContactPortalRoutes,
} from './features/contacts/contacts.routes.ts';
import { registerDomainRoutes } from './features/domains/domains.routes.ts';
import { registerFileRoutes } from './features/files/files.routes.ts';
import { registerIngestRoutes } from './features/ingest/cdrs.routes.ts';
import { registerLiveIngestRoutes } from './features/ingest/live.routes.ts';
import { registerMailRoutes } from './features/mail/mail.routes.ts';
import { registerNumberRoutes } from './features/numbers/numbers.routes.ts';
import { registerPortalRoutes } from './features/portal/portal.routes.ts';
import { registerRateCardRoutes } from './features/ratecards/ratecards.routes.ts';
import {
  registerPortalRecordingRoutes,
  registerRecordingIngestRoutes,
} from './features/recordings/recordings.routes.ts';
import {
  registerConsoleReportRoutes,
  registerPortalReportRoutes,
} from './features/reports/reports.routes.ts';
import {
  registerPortalContractRoutes,
  registerSignupConsoleRoutes,
  registerSignupPublicRoutes,
} from './features/signup/signup.routes.ts';
import { registerCarrierDisplayRoutes, registerStatsRoutes } from './features/stats/stats.routes.ts';
import { registerTokenRoutes } from './features/tokens/tokens.routes.ts';
import { registerWebRoutes } from './features/web/web.routes.ts';
import { HttpError } from './lib/errors.ts';
import { normalizeHost } from './lib/hosts.ts';
import { checkOrigin } from './plugins/auth.ts';
import { registerOpenApiRoute } from './plugins/openapi.ts';
import { registerConsoleScope, registerPortalScope } from './plugins/scopes.ts';
import { installValidators } from './plugins/validation.ts';
import { CHALLENGE_PREFIX, registerTlsHttp } from './tls/http.ts';

export type App = FastifyInstance;

export interface RegisteredRoute {
  method: string;
  url: string;
  feature: string | null | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app, for tests that must cover all of them (isolation, OpenAPI). */
    registeredRoutes: RegisteredRoute[];
  }
}

export interface BuildOptions {
  logLevel?: string;
}

const PG_ERRORS: Record<string, [number, string, string]> = {
  '23505': [409, 'conflict', 'A record with the same unique value already exists'],
  '23503': [400, 'invalid_reference', 'A referenced record does not exist for this operator'],
  '23514': [400, 'invalid_value', 'A value is outside the allowed range'],
  '22001': [400, 'value_too_long', 'A value is too long'],
  '22P02': [400, 'invalid_value', 'A value has the wrong format'],
};

/** Creates the app with every route registered; call listen() or inject() on it. */
export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? deps.env.logLevel },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: r.url, feature: r.config?.feature });
  });

  app.decorateRequest('site', null);
  app.decorateRequest('principal', null);

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: false,
    hsts: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(multipart, { limits: { fileSize: 512 * 1024, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'VoIP portal platform API', version: '1.0.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sid' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });

  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) {
      return reply.status(err.status).send({ error: err.code, message: err.message, ...err.extra });
    }
    if ((err as FastifyError).validation) {
      const v = (err as FastifyError).validation?.[0];
      const field = v?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || v?.params?.missingProperty;
      return reply.status(400).send({
        error: 'invalid_request',
        message: `${field ? `${field}: ` : ''}${v?.message ?? err.message}`,
        ...(field ? { field: String(field) } : {}),
      });
    }
    const pgCode = (err as { code?: string }).code;
    const mapped = pgCode ? PG_ERRORS[pgCode] : undefined;
    if (mapped) return reply.status(mapped[0]).send({ error: mapped[1], message: mapped[2] });
    const status = (err as FastifyError).statusCode ?? 500;
    if (status < 500) {
      return reply
        .status(status)
        .send({ error: (err as FastifyError).code?.toLowerCase() ?? 'bad_request', message: err.message });
    }
    req.log.error(err);
    return reply.status(500).send({ error: 'internal_error', message: 'Something went wrong on our side' });
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.site && req.url.startsWith('/api/')) {
      return reply.status(404).send({ error: 'not_found', message: 'No such endpoint' });
    }
    return reply.status(404).type('text/plain').send('Not found');
  });

  // Every request is routed by its Host; unknown hosts get a plain 404 naming nothing.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/healthz' || req.url.startsWith(CHALLENGE_PREFIX)) return;
    const host = normalizeHost(req.headers.host);
    req.site = host ? await deps.sites.resolve(host) : null;
    if (!req.site) return reply.status(404).type('text/plain').send('Not found');
    checkOrigin(req);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  registerTlsHttp(app, deps);

  await registerOpenApiRoute(app);
  await registerAuthRoutes(app, deps);
  await registerContactAuthRoutes(app, deps);
  await registerSignupPublicRoutes(app, deps);
  await app.register(
    async (scope) => {
      registerConsoleScope(scope, deps);
      await registerDomainRoutes(scope, deps);
      await registerCompanyRoutes(scope, deps);
      await registerCatalogRoutes(scope, deps);
      await registerSignupConsoleRoutes(scope, deps);
      await registerContactConsoleRoutes(scope, deps);
      await registerMailRoutes(scope, deps);
      await registerNumberRoutes(scope, deps);
      await registerAuthListRoutes(scope, deps);
      await registerCliRoutes(scope, deps);
      await registerFileRoutes(scope, deps);
      await registerTokenRoutes(scope, deps);
      await registerAuditRoutes(scope, deps);
      await registerRateCardRoutes(scope, deps);
      await registerIngestRoutes(scope, deps);
      await registerRecordingIngestRoutes(scope, deps);
      await registerLiveIngestRoutes(scope, deps);
      await registerCarrierDisplayRoutes(scope, deps);
      await registerConsoleReportRoutes(scope, deps);
    },
    { prefix: '/api/v1/console' },
  );
  await app.register(
    async (scope) => {
      registerPortalScope(scope, deps);
      await registerPortalRoutes(scope, deps);
      await registerPortalContractRoutes(scope, deps);
      await registerContactPortalRoutes(scope, deps);
      await registerStatsRoutes(scope, deps);
      await registerPortalReportRoutes(scope, deps);
      await registerPortalRecordingRoutes(scope, deps);
    },
    { prefix: '/api/v1/portal' },
  );
  await registerWebRoutes(app, deps);
  return app;
}
