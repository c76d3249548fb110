/** Request shapes of the IP authentication and SIP user API. */
import { Type } from 'typebox';
import { closedObject } from './schema-shape.ts';

const Uuid = Type.String({ format: 'uuid' });
// null = unlimited. A nullable type rather than anyOf: with type coercion on, anyOf would turn null into 0.
const Limit = Type.Unsafe<number | null>({ type: 'integer', nullable: true, minimum: 0, maximum: 1_000_000 });

export const IP_PROTOCOLS = ['udp', 'tcp', 'tls'] as const;
export const SIP_PROTOCOLS = ['udp', 'tcp', 'tls', 'tls_srtp'] as const;
export type IpProtocol = (typeof IP_PROTOCOLS)[number];
export type SipProtocol = (typeof SIP_PROTOCOLS)[number];
export type Direction = 'egress' | 'ingress';

const ipFields = {
  address: Type.String({ minLength: 1, maxLength: 253 }),
  direction: Type.Union([Type.Literal('egress'), Type.Literal('ingress')]),
  protocol: Type.Union(IP_PROTOCOLS.map((p) => Type.Literal(p))),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  channels: Limit,
  cps: Limit,
};

export const IpAuthPatch = closedObject(ipFields);
export const IpAuthCreate = closedObject(ipFields, ['address']);

export interface IpAuthInput {
  address?: string;
  direction?: Direction;
  protocol?: IpProtocol;
  port?: number;
  channels?: number | null;
  cps?: number | null;
}

const sipFields = {
  username: Type.String({ minLength: 1, maxLength: 64 }),
  // Write-only: only its digest HA1 is stored.
  password: Type.String({ minLength: 1, maxLength: 128, writeOnly: true }),
  channels: Limit,
  cps: Limit,
  protocol: Type.Union(SIP_PROTOCOLS.map((p) => Type.Literal(p))),
  ip_whitelist: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }),
};

export const SipUserPatch = closedObject(sipFields);
export const SipUserCreate = closedObject(sipFields, ['username', 'password']);

export interface SipUserInput {
  username?: string;
  password?: string;
  channels?: number | null;
  cps?: number | null;
  protocol?: SipProtocol;
  ip_whitelist?: string[];
}

export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});
export interface ListInput {
  q?: string;
  page: number;
  page_size: number;
}

export const CompanyParams = Type.Object({ id: Uuid });
export const EntryParams = Type.Object({ id: Uuid, entryId: Uuid });
export const UserParams = Type.Object({ id: Uuid, userId: Uuid });
