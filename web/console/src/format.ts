/** Human-readable labels and formatting shared by the console pages. */
import type { CompanyStatus, DomainState } from '../../../common/api.ts';
import type { AccessReason } from '../../../common/features.ts';

/** "pending_dns" → "pending dns"; the readable word form of a snake_case code. */
export function words(code: string): string {
  return code.replace(/_/g, ' ');
}

/** "pending_dns" → "Pending dns". */
export function sentence(code: string): string {
  const w = words(code);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

export const DOMAIN_STATE_COLOR: Record<DomainState, string> = {
  pending_dns: 'orange',
  dns_verified: 'blue',
  issuing: 'indigo',
  active: 'green',
  renewing: 'teal',
  failed: 'red',
};

export const DOMAIN_STATE_LABEL: Record<DomainState, string> = {
  pending_dns: 'pending DNS',
  dns_verified: 'DNS verified',
  issuing: 'issuing certificate',
  active: 'active',
  renewing: 'renewing certificate',
  failed: 'failed',
};

export const COMPANY_STATUSES: readonly CompanyStatus[] = [
  'active',
  'pending_approval',
  'suspended',
  'closed',
];

export const COMPANY_STATUS_COLOR: Record<CompanyStatus, string> = {
  active: 'green',
  pending_approval: 'orange',
  suspended: 'red',
  closed: 'gray',
};

export const REASON_LABEL: Record<AccessReason, string> = {
  domain_default: 'Domain default',
  domain_default_off: 'Domain default (off)',
  show: 'Forced on (Show)',
  hide: 'Hidden (Hide)',
  parent_off: 'Parent feature off',
  carrier_portal_off: 'Carrier portal off',
  not_for_user_type: 'Not for this user type',
};

const COLUMN_LABEL: Record<string, string> = {
  dest_code: 'Destination code',
  dest_name: 'Destination name',
  dest_number: 'Destination number',
  asr: 'ASR',
  acd: 'ACD',
  pdd_ms: 'PDD (ms)',
  dtmf: 'DTMF',
  dtmf_calls: 'DTMF calls',
  dtmf_pct: 'DTMF %',
  cli: 'CLI',
  lrn: 'LRN',
  call_id: 'Call ID',
  company_id: 'Company ID',
  route_id: 'Route ID',
  rate_card_id: 'Rate card ID',
  auth_type: 'Authentication type',
  auth_ref: 'Authentication reference',
  source_ip: 'Source IP',
  sip_code: 'SIP code',
  sip_reason: 'SIP reason',
  carrier_id: 'Carrier ID',
  carrier_rate_card_id: 'Carrier rate card ID',
  carrier_dest_code: 'Carrier destination code',
  carrier_dest_name: 'Carrier destination name',
  rtp_server: 'RTP server',
  duration: 'Duration (talk seconds)',
};

/** Readable name of a CDR field or Breakout column id. */
export function columnLabel(id: string): string {
  return COLUMN_LABEL[id] ?? sentence(id);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

/** Decimal strings stay strings (no binary floating point); only digit grouping is added. */
export function formatMoney(amount: string | null | undefined, currency?: string): string {
  if (amount == null || amount === '') return '—';
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(amount.trim());
  const text = m ? `${m[1]}${(m[2] ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}` : amount;
  return currency ? `${text} ${currency}` : text;
}

export function isNegative(amount: string | null | undefined): boolean {
  return typeof amount === 'string' && amount.trim().startsWith('-');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Decimal string check used by money inputs: optional minus, digits, optional fraction. */
export function isDecimal(s: string, allowNegative = true): boolean {
  return (allowNegative ? /^-?\d+(\.\d+)?$/ : /^\d+(\.\d+)?$/).test(s.trim());
}
