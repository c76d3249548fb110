/** The two API scopes: the console (operator users and API tokens) and the portal (contacts, feature-gated). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isFeatureId } from '../../common/features.ts';
import type { ContactPrincipal, Deps, OperatorPrincipal, TenantCtx } from '../context.ts';
import { forbidden, HttpError, unauthorized } from '../lib/errors.ts';
import { contactFromSession, operatorFromSession, operatorFromToken, SESSION_COOKIE } from './auth.ts';

const notFoundHere = () => new HttpError(404, 'not_found', 'No such endpoint');

/** The console principal of a request that passed the console scope. */
export function operatorOf(req: FastifyRequest): OperatorPrincipal {
  if (req.principal?.kind !== 'operator') throw unauthorized();
  return req.principal;
}

/** The contact of a request that passed the portal scope. */
export function contactOf(req: FastifyRequest): ContactPrincipal {
  if (req.principal?.kind !== 'contact') throw unauthorized();
  return req.principal;
}

/** Builds the tenant context services receive for a console request. */
export function consoleCtx(deps: Deps, req: FastifyRequest): TenantCtx {
  const p = operatorOf(req);
  return {
    deps,
    operatorId: p.operatorId,
    actor:
      p.via === 'token'
        ? { type: 'api_token', id: null, label: p.name }
        : { type: 'operator_user', id: p.userId, label: p.email ?? p.name },
  };
}

/** Console routes answer only on the console host, to an operator session or a bearer token. */
export function registerConsoleScope(scope: FastifyInstance, deps: Deps): void {
  scope.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, tags: ['console'], security: [{ session: [] }, { bearer: [] }] };
  });
  scope.addHook('onRequest', async (req) => {
    if (req.site?.kind !== 'console') throw notFoundHere();
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      req.principal = await operatorFromToken(deps, auth.slice(7).trim());
    } else {
      const token = req.cookies[SESSION_COOKIE];
      req.principal = token ? await operatorFromSession(deps, token) : null;
    }
    if (!req.principal) throw unauthorized();
  });
}

/**
 * Portal routes answer only on a brand's host, to a contact allowed there, and each one is gated
 * by the feature it declares (the one guard of SPEC section 3).
 */
export function registerPortalScope(scope: FastifyInstance, deps: Deps): void {
  scope.addHook('onRoute', (route) => {
    const feature = route.config?.feature;
    if (feature === undefined || (feature !== null && !isFeatureId(feature))) {
      throw new Error(`portal route ${route.method} ${route.url} must declare config.feature`);
    }
    route.schema = { ...route.schema, tags: ['portal'], security: [{ session: [] }] };
  });
  scope.addHook('onRequest', async (req) => {
    const site = req.site;
    if (site?.kind !== 'portal') throw notFoundHere();
    const token = req.cookies[SESSION_COOKIE];
    req.principal = token ? await contactFromSession(deps, site.brand, token, req.ip) : null;
    if (!req.principal) throw unauthorized();
    const feature = req.routeOptions.config.feature;
    if (feature && !contactOf(req).features.includes(feature as never)) {
      throw forbidden('feature_disabled', 'This feature is not enabled for your account', { feature });
    }
  });
}
