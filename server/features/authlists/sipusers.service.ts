/**
 * SIP users (digest-authenticated trunks and extensions) of a company. The password is write-only:
 * only HA1 = MD5(username:realm:password), what a SIP server needs to check a digest, is stored.
 */
import crypto from 'node:crypto';
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { parseAddress } from './addresses.ts';
import { presentSipUser, type SipUserDto } from './authlists.presenter.ts';
import type { ListInput, SipProtocol, SipUserInput } from './authlists.schema.ts';
import { checkSipChannels, lockCompanyChannels } from './channel-budget.ts';
import { likePattern, requireCompany } from './company.ts';

export const MIN_SIP_PASSWORD = 10;
const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;

/**
 * The digest realm of an operator's SIP users: derived from the operator id, so it is the same on every
 * node and never changes when brands or hostnames do (HA1 depends on it). Stored with each user too.
 */
export const realmFor = (operatorId: string) => `sip.${operatorId.slice(0, 8)}.portal`;

export const ha1 = (username: string, realm: string, password: string) =>
  crypto.createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest('hex');

interface SipUserState {
  username: string;
  channels: number | null;
  cps: number | null;
  protocol: SipProtocol;
  ip_whitelist: string[];
}

function nextState(current: SipUserDto | null, input: SipUserInput): SipUserState {
  const username = input.username?.trim() ?? current?.username ?? '';
  if (!USERNAME.test(username))
    throw badRequest(
      'invalid_username',
      'A username is 3–64 characters: letters, digits, dot, dash and underscore',
      { field: 'username' },
    );
  if (input.password !== undefined && input.password.length < MIN_SIP_PASSWORD)
    throw badRequest('invalid_password', `The password needs at least ${MIN_SIP_PASSWORD} characters`, {
      field: 'password',
    });
  // HA1 hashes the username: a new name cannot reuse the old digest.
  if (current && username !== current.username && input.password === undefined)
    throw badRequest('password_required', 'Set a new password when renaming a SIP user', {
      field: 'password',
    });
  let ip_whitelist = current?.ip_whitelist ?? [];
  if (input.ip_whitelist !== undefined) {
    const out: string[] = [];
    for (const raw of input.ip_whitelist) {
      if (!raw.trim()) continue;
      const a = parseAddress(raw, { allowFqdn: false });
      if (!a)
        throw badRequest('invalid_ip_whitelist', `“${raw}” is not an IP address or CIDR range`, {
          field: 'ip_whitelist',
        });
      if (!out.includes(a.value)) out.push(a.value);
    }
    ip_whitelist = out;
  }
  return {
    username,
    channels: input.channels !== undefined ? input.channels : (current?.channels ?? null),
    cps: input.cps !== undefined ? input.cps : (current?.cps ?? null),
    protocol: input.protocol ?? current?.protocol ?? 'udp',
    ip_whitelist,
  };
}

const taken = (username: string) => (e: { code?: string }) => {
  if (e.code === '23505')
    throw conflict('username_taken', `The SIP username ${username} is already in use`, { field: 'username' });
  throw e;
};

async function load(tx: Tx, companyId: string, id: string): Promise<SipUserDto> {
  await requireCompany(tx, companyId);
  const rows = await tx.query('SELECT * FROM sip_users WHERE company_id = $1 AND id = $2', [companyId, id]);
  if (!rows[0]) throw notFound('SIP user');
  return presentSipUser(rows[0]);
}

export async function listSipUsers(ctx: TenantCtx, companyId: string, q: ListInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const params = [companyId, likePattern(q.q)];
    const where = 'WHERE company_id = $1 AND ($2::text IS NULL OR lower(username) LIKE $2)';
    const [count] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sip_users ${where}`,
      params,
    );
    const rows = await tx.query(
      `SELECT * FROM sip_users ${where} ORDER BY lower(username), id LIMIT $3 OFFSET $4`,
      [...params, q.page_size, (q.page - 1) * q.page_size],
    );
    return { items: rows.map(presentSipUser), total: count?.n ?? 0, page: q.page, page_size: q.page_size };
  });
}

export async function createSipUser(ctx: TenantCtx, companyId: string, input: SipUserInput) {
  if (input.password === undefined)
    throw badRequest('password_required', 'A SIP user needs a password', { field: 'password' });
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const limit = await lockCompanyChannels(tx, companyId);
    const s = nextState(null, input);
    await checkSipChannels(tx, companyId, limit, s.channels);
    const realm = realmFor(ctx.operatorId);
    const [row] = await tx
      .query(
        `INSERT INTO sip_users (operator_id, company_id, username, realm, ha1, channels, cps, protocol, ip_whitelist)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [
          ctx.operatorId,
          companyId,
          s.username,
          realm,
          ha1(s.username, realm, input.password!),
          s.channels,
          s.cps,
          s.protocol,
          s.ip_whitelist,
        ],
      )
      .catch(taken(s.username));
    const dto = presentSipUser(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'sip_user.create',
      entityType: 'sip_user',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

export async function updateSipUser(ctx: TenantCtx, companyId: string, id: string, input: SipUserInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const limit = await lockCompanyChannels(tx, companyId);
    const before = await load(tx, companyId, id);
    const s = nextState(before, input);
    if (s.channels !== before.channels) await checkSipChannels(tx, companyId, limit, s.channels, id);
    const digest = input.password !== undefined ? ha1(s.username, before.realm, input.password) : null;
    const [row] = await tx
      .query(
        `UPDATE sip_users SET username = $2, ha1 = coalesce($3, ha1), channels = $4, cps = $5, protocol = $6,
                ip_whitelist = $7
          WHERE id = $1 RETURNING *`,
        [id, s.username, digest, s.channels, s.cps, s.protocol, s.ip_whitelist],
      )
      .catch(taken(s.username));
    const after = presentSipUser(row!);
    const changed = diff({ ...before }, { ...after });
    // The log records that the password changed, never what it is (audit() redacts password keys).
    if (digest) changed.after.password_changed = true;
    if (Object.keys(changed.after).length > 0)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'sip_user.update',
        entityType: 'sip_user',
        entityId: id,
        ...changed,
      });
    return after;
  });
}

export async function deleteSipUser(ctx: TenantCtx, companyId: string, id: string) {
  await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await load(tx, companyId, id);
    await tx.query('DELETE FROM sip_users WHERE id = $1', [id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'sip_user.delete',
      entityType: 'sip_user',
      entityId: id,
      before: { ...before },
    });
  });
}
