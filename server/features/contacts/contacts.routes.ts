/**
 * Contact lifecycle and security routes:
 * - on a brand host, without a session: forgot password, set password from a mail link, the second
 *   sign-in step and the "log in as" exchange (/api/v1/auth/…);
 * - portal (signed-in contact): profile, password, two-factor sign-in, sessions;
 * - console: invite, "log in as", IP allow-list and 2FA reset of a contact.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../context.ts';
import { HttpError } from '../../lib/errors.ts';
import { setSessionCookie } from '../../plugins/auth.ts';
import { consoleCtx, contactOf } from '../../plugins/scopes.ts';
import type { Brand } from '../../plugins/sites.ts';
import { openSession } from '../auth/auth.service.ts';
import { clearAccount, recordFailure, retryAfter } from '../auth/throttle.ts';
import {
  changePassword,
  disableTotp,
  enableTotp,
  getProfile,
  getSecurity,
  regenerateRecoveryCodes,
  startTotp,
  updateProfile,
} from './account.service.ts';
import {
  CodeBody,
  ContactParams,
  ForgotBody,
  ImpersonateBody,
  IpAllowBody,
  MfaBody,
  PasswordAndCode,
  PasswordChange,
  ProfilePatch,
  SessionParams,
  SessionsQuery,
  SetPasswordBody,
} from './contacts.schema.ts';
import { inviteContact, requestPasswordReset, setPasswordWithToken } from './lifecycle.service.ts';
import {
  contactSecurity,
  listSessions,
  resetContactTotp,
  revokeOtherSessions,
  revokeSession,
  setIpAllowList,
} from './sessions.service.ts';
import { completeMfa, ipRefused, redeemImpersonation, startImpersonation } from './signin.service.ts';

function brandOf(req: FastifyRequest): Brand {
  if (req.site?.kind !== 'portal') throw new HttpError(404, 'not_found', 'No such endpoint');
  return req.site.brand;
}

const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? '' });

async function throttled(deps: Deps, keys: { ip: string; account: string }) {
  const wait = await retryAfter(deps.db, keys);
  if (wait > 0) {
    throw new HttpError(
      429,
      'rate_limited',
      `Too many attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`,
      {
        retry_after: wait,
      },
    );
  }
}

/** Routes on a brand host that need no session (registered at the top level, like sign-in). */
export async function registerContactAuthRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post<{ Body: { email: string } }>(
    '/api/v1/auth/password/forgot',
    {
      schema: {
        tags: ['auth'],
        summary: 'Portal: mail a password reset link (the answer never tells whether the email exists)',
        body: ForgotBody,
      },
    },
    async (req, reply) => {
      const brand = brandOf(req);
      const email = req.body.email.trim().toLowerCase();
      const keys = { ip: `reset:${req.ip}`, account: `reset:${brand.operatorId}:${email}` };
      await throttled(deps, keys);
      // Every request counts, so neither mailbox flooding nor probing gets far.
      await recordFailure(deps.db, keys);
      await requestPasswordReset(deps, brand, email);
      return reply.status(202).send({
        message: 'If an account exists for this email, a link to reset the password is on its way.',
      });
    },
  );

  app.post<{ Body: { token: string; password: string } }>(
    '/api/v1/auth/password/set',
    {
      schema: {
        tags: ['auth'],
        summary: 'Portal: set a password with the token of an invitation or reset mail; ends every session',
        body: SetPasswordBody,
      },
    },
    async (req) => {
      const brand = brandOf(req);
      // Guessing tokens is hopeless (256 bits), but wrong tokens still count per address.
      const keys = { ip: `token:${req.ip}`, account: `token:${brand.operatorId}:${req.ip}` };
      await throttled(deps, keys);
      try {
        return await setPasswordWithToken(deps, brand, req.body.token, req.body.password);
      } catch (err) {
        if (err instanceof HttpError && err.code === 'invalid_token') await recordFailure(deps.db, keys);
        throw err;
      }
    },
  );

  app.post<{ Body: { mfa_token: string; code: string } }>(
    '/api/v1/auth/login/mfa',
    {
      schema: {
        tags: ['auth'],
        summary: 'Portal: second sign-in step with a TOTP code or a recovery code',
        body: MfaBody,
      },
    },
    async (req, reply) => {
      const brand = brandOf(req);
      const r = await completeMfa(deps, brand, req.body.mfa_token, req.body.code, req.ip);
      if (r.kind === 'invalid') {
        throw new HttpError(
          401,
          'mfa_expired',
          'This sign-in has expired. Enter your email and password again.',
        );
      }
      if (r.kind === 'ip_refused') throw ipRefused(req.ip);
      // Wrong codes count against the account like wrong passwords (the password step does not reset them).
      const keys = { ip: req.ip, account: `${brand.operatorId}:${r.kind === 'ok' ? r.user.email : r.email}` };
      if (r.kind === 'bad_code') {
        await recordFailure(deps.db, keys);
        throw new HttpError(401, 'invalid_code', 'That code is not correct');
      }
      await throttled(deps, keys);
      await clearAccount(deps.db, keys);
      const token = await openSession(
        deps,
        { operatorId: brand.operatorId, kind: 'contact', userId: r.user.id, domainId: brand.domainId },
        meta(req),
      );
      setSessionCookie(req, reply, token, deps.env.sessionMaxHours * 3600);
      return { user: r.user };
    },
  );

  app.post<{ Body: { token: string } }>(
    '/api/v1/auth/impersonate',
    {
      schema: {
        tags: ['auth'],
        summary: 'Portal: exchange a one-time "log in as" token from the console for a session',
        body: ImpersonateBody,
      },
    },
    async (req, reply) => {
      const brand = brandOf(req);
      const r = await redeemImpersonation(deps, brand, req.body.token);
      if (!r) {
        throw new HttpError(
          401,
          'invalid_token',
          'This “log in as” link is invalid, was already used or has expired. Open it again from the Control Panel.',
        );
      }
      const token = await openSession(
        deps,
        {
          operatorId: brand.operatorId,
          kind: 'contact',
          userId: r.contactId,
          domainId: brand.domainId,
          impersonator: { id: r.actorId, label: r.actorLabel },
        },
        meta(req),
      );
      setSessionCookie(req, reply, token, deps.env.sessionMaxHours * 3600);
      return { user: { id: r.contactId, email: r.email }, impersonator: r.actorLabel };
    },
  );
}

/** Portal routes of the signed-in contact (every contact may use them: feature null). */
export async function registerContactPortalRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const open = { feature: null };
  app.get('/profile', { config: open, schema: { summary: 'My profile' } }, async (req) =>
    getProfile(deps, contactOf(req)),
  );
  app.patch<{ Body: { name?: string; phone?: string; time_zone?: string } }>(
    '/profile',
    { config: open, schema: { summary: 'Change my name, phone or time zone', body: ProfilePatch } },
    async (req) => updateProfile(deps, contactOf(req), req.body),
  );
  app.post<{ Body: { current_password: string; new_password: string } }>(
    '/profile/password',
    {
      config: open,
      schema: { summary: 'Change my password (ends my other sessions)', body: PasswordChange },
    },
    async (req, reply) => {
      await changePassword(deps, contactOf(req), req.body.current_password, req.body.new_password);
      return reply.status(204).send();
    },
  );
  app.get(
    '/security',
    { config: open, schema: { summary: 'My two-factor sign-in and IP allow-list' } },
    async (req) => getSecurity(deps, contactOf(req)),
  );
  app.post(
    '/security/totp/setup',
    { config: open, schema: { summary: 'Start two-factor enrolment: a new secret and its QR code' } },
    async (req) => {
      const brand = brandOf(req);
      return startTotp(deps, contactOf(req), brand.brandName);
    },
  );
  app.post<{ Body: { code: string } }>(
    '/security/totp/enable',
    {
      config: open,
      schema: { summary: 'Confirm enrolment with a code; answers 10 recovery codes once', body: CodeBody },
    },
    async (req) => enableTotp(deps, contactOf(req), req.body.code),
  );
  app.post<{ Body: { password: string; code: string } }>(
    '/security/totp/disable',
    { config: open, schema: { summary: 'Turn two-factor sign-in off', body: PasswordAndCode } },
    async (req, reply) => {
      await disableTotp(deps, contactOf(req), req.body.password, req.body.code);
      return reply.status(204).send();
    },
  );
  app.post<{ Body: { password: string; code: string } }>(
    '/security/recovery-codes',
    { config: open, schema: { summary: 'Replace my recovery codes', body: PasswordAndCode } },
    async (req) => regenerateRecoveryCodes(deps, contactOf(req), req.body.password, req.body.code),
  );
  app.get<{ Querystring: { page: number; page_size: number } }>(
    '/sessions',
    { config: open, schema: { summary: 'My sessions (devices)', querystring: SessionsQuery } },
    async (req) => listSessions(deps, contactOf(req), req.query.page, req.query.page_size),
  );
  app.delete<{ Params: { sessionId: string } }>(
    '/sessions/:sessionId',
    { config: open, schema: { summary: 'End one of my sessions', params: SessionParams } },
    async (req, reply) => {
      await revokeSession(deps, contactOf(req), req.params.sessionId);
      return reply.status(204).send();
    },
  );
  app.post(
    '/sessions/revoke-others',
    { config: open, schema: { summary: 'End all my sessions except this one' } },
    async (req) => revokeOtherSessions(deps, contactOf(req)),
  );
}

type ContactReq = { Params: { id: string; contactId: string } };

/** Console routes on a company's contact. */
export async function registerContactConsoleRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const base = '/companies/:id/contacts/:contactId';
  app.post<ContactReq>(
    `${base}/invite`,
    {
      schema: {
        summary: 'Mail the contact a link to set a password (earlier links stop working)',
        params: ContactParams,
      },
    },
    async (req, reply) =>
      reply.status(202).send(await inviteContact(consoleCtx(deps, req), req.params.id, req.params.contactId)),
  );
  app.post<ContactReq>(
    `${base}/login-as`,
    {
      schema: {
        summary: 'Log in as the contact: a one-time link to its portal, valid 2 minutes (audited)',
        params: ContactParams,
      },
    },
    async (req) => startImpersonation(consoleCtx(deps, req), req.params.id, req.params.contactId),
  );
  app.get<ContactReq>(
    `${base}/security`,
    { schema: { summary: 'The contact’s IP allow-list, 2FA state and sessions', params: ContactParams } },
    async (req) => contactSecurity(consoleCtx(deps, req), req.params.id, req.params.contactId),
  );
  app.put<ContactReq & { Body: { cidrs: string[] } }>(
    `${base}/ip-allow`,
    {
      schema: {
        summary: 'Replace the contact’s IP allow-list (CIDR ranges; empty = anywhere)',
        params: ContactParams,
        body: IpAllowBody,
      },
    },
    async (req) => setIpAllowList(consoleCtx(deps, req), req.params.id, req.params.contactId, req.body.cidrs),
  );
  app.delete<ContactReq>(
    `${base}/totp`,
    {
      schema: {
        summary: 'Turn the contact’s two-factor sign-in off (lost device and recovery codes)',
        params: ContactParams,
      },
    },
    async (req) => resetContactTotp(consoleCtx(deps, req), req.params.id, req.params.contactId),
  );
}
