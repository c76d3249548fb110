/** Row → API shapes for companies, contacts and payments. */
import type { CompanyDto, ContactDto } from '../../../common/api.ts';
import { isoOrNull } from '../../lib/format.ts';

type Row = Record<string, unknown>;

export function presentCompany(r: Row): CompanyDto {
  return {
    id: String(r.id),
    type: r.type as CompanyDto['type'],
    name: String(r.name),
    status: r.status as CompanyDto['status'],
    currency: String(r.currency),
    debit_limit: String(r.debit_limit),
    domain_id: (r.domain_id as string | null) ?? null,
    portal_access: Boolean(r.portal_access),
    show: (r.show as string[]) ?? [],
    hide: (r.hide as string[]) ?? [],
    channels: r.channels == null ? null : Number(r.channels),
    cps: r.cps == null ? null : Number(r.cps),
    created_at: isoOrNull(r.created_at)!,
  };
}

export function presentContact(r: Row): ContactDto {
  return {
    id: String(r.id),
    company_id: String(r.company_id),
    name: String(r.name),
    email: String(r.email),
    created_at: isoOrNull(r.created_at)!,
    last_login_at: isoOrNull(r.last_login_at),
  };
}

export function presentPayment(r: Row) {
  return {
    id: String(r.id),
    amount: String(r.amount),
    currency: String(r.currency),
    method: String(r.method),
    status: String(r.status),
    description: String(r.description),
    created_at: isoOrNull(r.created_at)!,
  };
}
