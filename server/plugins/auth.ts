/**
 * Resolves the principal of a request: a session cookie (operator user on the console host,
 * contact on a portal host) or an operator API token (console host only), and checks that
 * cookie-authenticated state-changing requests come from the same origin.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { effectiveFeatures, type UserType } from '../../common/features.ts';
import type { ContactPrincipal, Deps, OperatorPrincipal } from '../context.ts';
import { querySystem } from '../db/db.ts';
import { ipAllowed } from '../features/contacts/ipallow.ts';
import { HttpError } from '../lib/errors.ts';
import { sha256 } from '../lib/secrets.ts';
import type { Brand } from './sites.ts';

export const SESSION_COOKIE = 'sid';
const TOUCH_EVERY_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request's own origin, as a browser would send it in Origin. */
export function requestOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? ''}`.toLowerCase();
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Cookie sessions need a same-origin Origin (or Referer) on every state-changing request;
 * a cross-origin Origin is refused on any state-changing request (login CSRF too).
 */
export function checkOrigin(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (req.headers.authorization?.startsWith('Bearer ')) return;
  const own = requestOrigin(req);
  const origin = originOf(req.headers.origin) ?? originOf(req.headers.referer);
  const hasSession = Boolean(req.cookies[SESSION_COOKIE]);
  if (origin === own) return;
  if (origin === null && !hasSession) return;
  throw new HttpError(
    403,
    'cross_origin_request',
    'This request must come from the same site (Origin check failed)',
  );
}

interface SessionRow {
  operator_id: string;
  id: string;
  user_id: string;
  domain_id: string | null;
  last_seen_at: Date;
  expires_at: Date;
}

function sessionAlive(deps: Deps, s: SessionRow, now: number): boolean {
  if (s.expires_at.getTime() <= now) return false;
  return now - s.last_seen_at.getTime() < deps.env.sessionIdleMinutes * 60_000;
}

async function touch(deps: Deps, s: SessionRow, now: number): Promise<void> {
  if (now - s.last_seen_at.getTime() < TOUCH_EVERY_MS) return;
  await deps.db.query('UPDATE sessions SET last_seen_at = now() WHERE operator_id = $1 AND id = $2', [
    s.operator_id,
    s.id,
  ]);
}

/** Loads an operator user's session by its token. */
export async function operatorFromSession(deps: Deps, token: string): Promise<OperatorPrincipal | null> {
  const rows = await querySystem<SessionRow & { email: string; name: string; operator_name: string }>(
    deps.db,
    `SELECT s.operator_id, s.id, s.user_id, s.domain_id, s.last_seen_at, s.expires_at, u.email, u.name,
              o.name AS operator_name
         FROM sessions s
         JOIN operator_users u ON u.operator_id = s.operator_id AND u.id = s.user_id
         JOIN operators o ON o.id = s.operator_id
        WHERE s.token_hash = $1 AND s.kind = 'operator'`,
    [sha256(token)],
    'operator_session',
  );
  const s = rows[0];
  const now = Date.now();
  if (!s || !sessionAlive(deps, s, now)) return null;
  await touch(deps, s, now);
  return {
    kind: 'operator',
    via: 'session',
    operatorId: s.operator_id,
    operatorName: s.operator_name,
    userId: s.user_id,
    email: s.email,
    name: s.name,
    sessionId: s.id,
  };
}

/**
 * Loads a contact's session by its token, valid only on the brand it was opened on and, when the
 * contact has an IP allow-list, only from those addresses (not applied to "log in as" sessions).
 */
export async function contactFromSession(
  deps: Deps,
  brand: Brand,
  token: string,
  ip?: string,
): Promise<ContactPrincipal | null> {
  const rows = await querySystem<
    SessionRow & {
      email: string;
      name: string;
      company_id: string;
      company_name: string;
      type: UserType;
      currency: string;
      show: string[];
      hide: string[];
      portal_access: boolean;
      company_domain_id: string | null;
      status: string;
      ip_allow: string[];
      impersonator_label: string | null;
    }
  >(
    deps.db,
    `SELECT s.operator_id, s.id, s.user_id, s.domain_id, s.last_seen_at, s.expires_at, c.email, c.name,
              co.id AS company_id, co.name AS company_name, co.type, co.currency, co.show, co.hide,
              co.portal_access, co.domain_id AS company_domain_id, co.status, c.ip_allow, s.impersonator_label
         FROM sessions s
         JOIN contacts c ON c.operator_id = s.operator_id AND c.id = s.user_id
         JOIN companies co ON co.operator_id = c.operator_id AND co.id = c.company_id
        WHERE s.token_hash = $1 AND s.kind = 'contact'`,
    [sha256(token)],
    'contact_session',
  );
  const s = rows[0];
  const now = Date.now();
  if (!s || !sessionAlive(deps, s, now)) return null;
  // Checked on every request, so switching portal access off or moving the company takes effect at once.
  if (s.operator_id !== brand.operatorId || s.domain_id !== brand.domainId) return null;
  if (!s.portal_access || s.status === 'closed') return null;
  if (s.company_domain_id !== null && s.company_domain_id !== brand.domainId) return null;
  if (ip !== undefined && !s.impersonator_label && !ipAllowed(s.ip_allow, ip)) return null;
  await touch(deps, s, now);
  return {
    kind: 'contact',
    operatorId: s.operator_id,
    userId: s.user_id,
    email: s.email,
    name: s.name,
    sessionId: s.id,
    company: { id: s.company_id, name: s.company_name, type: s.type, currency: s.currency },
    features: effectiveFeatures({
      userType: s.type,
      domainFeatures: brand.features,
      show: s.show,
      hide: s.hide,
    }),
    impersonator: s.impersonator_label,
  };
}

/** Loads the operator behind a bearer API token. */
export async function operatorFromToken(deps: Deps, token: string): Promise<OperatorPrincipal | null> {
  const rows = await querySystem<{
    operator_id: string;
    id: string;
    name: string;
    operator_name: string;
    last_used_at: Date | null;
  }>(
    deps.db,
    `SELECT t.operator_id, t.id, t.name, o.name AS operator_name, t.last_used_at
         FROM api_tokens t JOIN operators o ON o.id = t.operator_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [sha256(token)],
    'api_token',
  );
  const t = rows[0];
  if (!t) return null;
  if (!t.last_used_at || Date.now() - t.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await deps.db.query('UPDATE api_tokens SET last_used_at = now() WHERE operator_id = $1 AND id = $2', [
      t.operator_id,
      t.id,
    ]);
  }
  return {
    kind: 'operator',
    via: 'token',
    operatorId: t.operator_id,
    operatorName: t.operator_name,
    userId: null,
    email: null,
    name: `API token “${t.name}”`,
    sessionId: null,
  };
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, host-only, Secure over HTTPS. */
export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    path: '/',
  });
}
