/** IP authentication: the switch addresses a company sends calls from (egress) or receives calls on (ingress). */
import type { TenantCtx } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit, diff } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { parseAddress } from './addresses.ts';
import { type IpAuthDto, presentIpAuth } from './authlists.presenter.ts';
import type { Direction, IpAuthInput, IpProtocol, ListInput } from './authlists.schema.ts';
import { likePattern, requireCompany } from './company.ts';

interface IpAuthState {
  address: string;
  direction: Direction;
  protocol: IpProtocol;
  port: number;
  channels: number | null;
  cps: number | null;
}

/** SIP's well-known ports: 5061 for TLS, 5060 otherwise. */
export const defaultPort = (protocol: IpProtocol) => (protocol === 'tls' ? 5061 : 5060);

function nextState(current: IpAuthState | null, input: IpAuthInput): IpAuthState {
  const direction = input.direction ?? current?.direction ?? 'egress';
  const protocol = input.protocol ?? current?.protocol ?? 'udp';
  const rawAddress = input.address ?? current?.address ?? '';
  const parsed = parseAddress(rawAddress, { allowFqdn: true });
  if (!parsed)
    throw badRequest(
      'invalid_address',
      `“${rawAddress}” is not an IP address, a CIDR range (e.g. 192.0.2.0/24) or a host name`,
      { field: 'address' },
    );
  if (parsed.kind === 'fqdn' && direction !== 'ingress')
    throw badRequest(
      'fqdn_ingress_only',
      'A host name can only be used for ingress (calls we send to the customer); egress needs an IP address or range',
      { field: 'address' },
    );
  // A protocol change moves the port along unless it was set by hand.
  let port = input.port ?? current?.port ?? defaultPort(protocol);
  if (input.port === undefined && current && current.port === defaultPort(current.protocol))
    port = defaultPort(protocol);
  return {
    address: parsed.value,
    direction,
    protocol,
    port,
    channels: input.channels !== undefined ? input.channels : (current?.channels ?? null),
    cps: input.cps !== undefined ? input.cps : (current?.cps ?? null),
  };
}

const taken = (s: IpAuthState) => (e: { code?: string }) => {
  if (e.code === '23505')
    throw conflict('address_taken', `${s.address} is already listed for ${s.direction}`, {
      field: 'address',
    });
  throw e;
};

async function load(tx: Tx, companyId: string, id: string): Promise<IpAuthDto> {
  await requireCompany(tx, companyId);
  const rows = await tx.query('SELECT * FROM ip_auth WHERE company_id = $1 AND id = $2', [companyId, id]);
  if (!rows[0]) throw notFound('IP authentication entry');
  return presentIpAuth(rows[0]);
}

export async function listIpAuth(ctx: TenantCtx, companyId: string, q: ListInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const params = [companyId, likePattern(q.q)];
    const where = 'WHERE company_id = $1 AND ($2::text IS NULL OR lower(address) LIKE $2)';
    const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ip_auth ${where}`, params);
    const rows = await tx.query(
      `SELECT * FROM ip_auth ${where} ORDER BY direction, address, id LIMIT $3 OFFSET $4`,
      [...params, q.page_size, (q.page - 1) * q.page_size],
    );
    return { items: rows.map(presentIpAuth), total: count?.n ?? 0, page: q.page, page_size: q.page_size };
  });
}

export async function createIpAuth(ctx: TenantCtx, companyId: string, input: IpAuthInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    await requireCompany(tx, companyId);
    const s = nextState(null, input);
    const [row] = await tx
      .query(
        `INSERT INTO ip_auth (operator_id, company_id, address, direction, protocol, port, channels, cps)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [ctx.operatorId, companyId, s.address, s.direction, s.protocol, s.port, s.channels, s.cps],
      )
      .catch(taken(s));
    const dto = presentIpAuth(row!);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'ip_auth.create',
      entityType: 'ip_auth',
      entityId: dto.id,
      after: { ...dto },
    });
    return dto;
  });
}

export async function updateIpAuth(ctx: TenantCtx, companyId: string, id: string, input: IpAuthInput) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await load(tx, companyId, id);
    const s = nextState(before, input);
    const [row] = await tx
      .query(
        `UPDATE ip_auth SET address = $2, direction = $3, protocol = $4, port = $5, channels = $6, cps = $7
          WHERE id = $1 RETURNING *`,
        [id, s.address, s.direction, s.protocol, s.port, s.channels, s.cps],
      )
      .catch(taken(s));
    const after = presentIpAuth(row!);
    const changed = diff({ ...before }, { ...after });
    if (Object.keys(changed.after).length > 0)
      await audit(tx, ctx.operatorId, ctx.actor, {
        action: 'ip_auth.update',
        entityType: 'ip_auth',
        entityId: id,
        ...changed,
      });
    return after;
  });
}

export async function deleteIpAuth(ctx: TenantCtx, companyId: string, id: string) {
  await withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const before = await load(tx, companyId, id);
    await tx.query('DELETE FROM ip_auth WHERE id = $1', [id]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'ip_auth.delete',
      entityType: 'ip_auth',
      entityId: id,
      before: { ...before },
    });
  });
}
