/** Row → API shapes of IP authentication entries and SIP users (never the HA1). */
import type { Direction, IpProtocol, SipProtocol } from './authlists.schema.ts';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
const limit = (v: unknown) => (v == null ? null : Number(v));

export interface IpAuthDto {
  id: string;
  company_id: string;
  address: string;
  direction: Direction;
  protocol: IpProtocol;
  port: number;
  channels: number | null;
  cps: number | null;
  created_at: string;
}

export function presentIpAuth(r: Row): IpAuthDto {
  return {
    id: String(r.id),
    company_id: String(r.company_id),
    address: String(r.address),
    direction: r.direction as Direction,
    protocol: r.protocol as IpProtocol,
    port: Number(r.port),
    channels: limit(r.channels),
    cps: limit(r.cps),
    created_at: iso(r.created_at),
  };
}

export interface SipUserDto {
  id: string;
  company_id: string;
  username: string;
  /** The digest realm the device must use (fixed per operator). */
  realm: string;
  /** Always true: a SIP user cannot exist without a password, and the password is never returned. */
  password_set: true;
  channels: number | null;
  cps: number | null;
  protocol: SipProtocol;
  ip_whitelist: string[];
  created_at: string;
}

export function presentSipUser(r: Row): SipUserDto {
  return {
    id: String(r.id),
    company_id: String(r.company_id),
    username: String(r.username),
    realm: String(r.realm),
    password_set: true,
    channels: limit(r.channels),
    cps: limit(r.cps),
    protocol: r.protocol as SipProtocol,
    ip_whitelist: (r.ip_whitelist as string[]) ?? [],
    created_at: iso(r.created_at),
  };
}
