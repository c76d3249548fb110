/** POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me (both hosts). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../context.ts';
import { HttpError, unauthorized } from '../../lib/errors.ts';
import {
  clearSessionCookie,
  contactFromSession,
  operatorFromSession,
  SESSION_COOKIE,
  setSessionCookie,
} from '../../plugins/auth.ts';
import { ipRefused } from '../contacts/signin.service.ts';
import { publicBrand } from '../portal/brand.presenter.ts';
import { loginContact, loginOperator, logout } from './auth.service.ts';
import { clearAccount, recordFailure, retryAfter } from './throttle.ts';

const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

const UserOut = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() });

async function loadPrincipal(deps: Deps, req: FastifyRequest) {
  const token = req.cookies[SESSION_COOKIE];
  if (!token || !req.site) return null;
  return req.site.kind === 'console'
    ? operatorFromSession(deps, token)
    : contactFromSession(deps, req.site.brand, token, req.ip);
}

export async function registerAuthRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in: operator users on the console host, contacts on a portal host',
        body: LoginBody,
        response: {
          200: Type.Object({
            user: Type.Optional(UserOut),
            mfa_required: Type.Optional(Type.Boolean()),
            mfa_token: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (req: FastifyRequest<{ Body: { email: string; password: string } }>, reply: FastifyReply) => {
      const site = req.site!;
      const email = req.body.email.trim().toLowerCase();
      const scope = site.kind === 'console' ? 'console' : site.brand.operatorId;
      const keys = { ip: req.ip, account: `${scope}:${email}` };
      const wait = await retryAfter(deps.db, keys);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new HttpError(
          429,
          'rate_limited',
          `Too many sign-in attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`,
        );
      }
      const meta = { ip: req.ip, userAgent: req.headers['user-agent'] ?? '' };
      const result =
        site.kind === 'console'
          ? await loginOperator(deps, email, req.body.password, meta)
          : await loginContact(deps, site.brand, email, req.body.password, meta);
      if (!result) {
        await recordFailure(deps.db, keys);
        throw new HttpError(401, 'invalid_credentials', 'The email or password is not correct');
      }
      if ('step' in result) {
        if (result.step === 'ip_refused') throw ipRefused(req.ip);
        // The account's failures are cleared only after the second step, so wrong codes add up.
        return { mfa_required: true, mfa_token: result.mfaToken };
      }
      await clearAccount(deps.db, keys);
      setSessionCookie(req, reply, result.token, deps.env.sessionMaxHours * 3600);
      return { user: result.user };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(deps, token);
    clearSessionCookie(req, reply);
    return reply.status(204).send();
  });

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user; on a portal host also company, brand and effective features',
      },
    },
    async (req) => {
      const p = await loadPrincipal(deps, req);
      if (!p) throw unauthorized();
      if (p.kind === 'operator') {
        return {
          user: { id: p.userId, email: p.email, name: p.name },
          operator: { id: p.operatorId, name: p.operatorName },
        };
      }
      const site = req.site;
      return {
        user: { id: p.userId, email: p.email, name: p.name },
        company: p.company,
        brand: site?.kind === 'portal' ? publicBrand(site.brand) : null,
        features: p.features,
        // "Log in as": the operator user behind this session, for the portal's banner.
        impersonator: p.impersonator ?? null,
      };
    },
  );
}
