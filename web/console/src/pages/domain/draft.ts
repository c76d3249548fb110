/** The editable copy of a domain, and the PATCH body of what changed. */
import type { DomainDto, SmtpSecurity } from '../../../../../common/api.ts';
import { BREAKOUT_COLUMNS, CDR_FIELDS, FEATURE_IDS, type UserType } from '../../../../../common/features.ts';

export interface SmtpDraft {
  host: string;
  port: number | '';
  security: SmtpSecurity;
  username: string;
  from: string;
  /** A newly typed password; empty means "keep the stored one". */
  password: string;
  /** The user asked to remove the stored password. */
  clearPassword: boolean;
}

export interface DomainDraft {
  domain: string;
  brand_name: string;
  customer_signup: boolean;
  carrier_signup: boolean;
  currencies: string[];
  template_customer_id: string | null;
  features: Record<string, boolean>;
  breakout_columns: Record<UserType, string[]>;
  cdr_fields: Record<UserType, string[]>;
  custom_js: string;
  custom_css: string;
  logo_file_id: string | null;
  footer: string;
  smtp: SmtpDraft;
}

export type UpdateDraft = (patch: Partial<DomainDraft>) => void;
export type UpdateSmtp = (patch: Partial<SmtpDraft>) => void;

/** Keeps the known ids in their canonical order (so the comparison ignores click order). */
export function canonical(list: readonly string[], order: readonly string[]): string[] {
  const set = new Set(list);
  return order.filter((id) => set.has(id));
}

function perType(
  v: Record<UserType, string[]> | undefined,
  order: readonly string[],
): Record<UserType, string[]> {
  return { customer: canonical(v?.customer ?? [], order), carrier: canonical(v?.carrier ?? [], order) };
}

export function toDraft(d: DomainDto): DomainDraft {
  return {
    domain: d.domain,
    brand_name: d.brand_name,
    customer_signup: d.customer_signup,
    carrier_signup: d.carrier_signup,
    currencies: [...d.currencies],
    template_customer_id: d.template_customer_id,
    features: Object.fromEntries(FEATURE_IDS.map((id) => [id, d.features?.[id] === true])),
    breakout_columns: perType(d.breakout_columns, BREAKOUT_COLUMNS),
    cdr_fields: perType(d.cdr_fields, CDR_FIELDS),
    custom_js: d.custom_js ?? '',
    custom_css: d.custom_css ?? '',
    logo_file_id: d.logo_file_id,
    footer: d.footer ?? '',
    smtp: {
      host: d.smtp?.host ?? '',
      port: d.smtp?.port ?? '',
      security: d.smtp?.security ?? 'starttls',
      username: d.smtp?.username ?? '',
      from: d.smtp?.from ?? '',
      password: '',
      clearPassword: false,
    },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const SIMPLE = [
  'domain',
  'brand_name',
  'customer_signup',
  'carrier_signup',
  'currencies',
  'template_customer_id',
  'features',
  'breakout_columns',
  'cdr_fields',
  'custom_js',
  'custom_css',
  'logo_file_id',
  'footer',
] as const;

const emptyToNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The PATCH body: only the top-level fields that differ from the saved domain. */
export function diffDraft(saved: DomainDto, draft: DomainDraft): Record<string, unknown> {
  const base = toDraft(saved);
  const body: Record<string, unknown> = {};
  for (const key of SIMPLE) {
    if (!same(base[key], draft[key])) body[key] = draft[key];
  }
  if (typeof body.domain === 'string') body.domain = body.domain.trim().toLowerCase();
  if (typeof body.brand_name === 'string') body.brand_name = body.brand_name.trim();

  const s = draft.smtp;
  const b = base.smtp;
  const changed =
    s.host.trim() !== b.host ||
    s.port !== b.port ||
    s.security !== b.security ||
    s.username.trim() !== b.username ||
    s.from.trim() !== b.from ||
    s.password !== '' ||
    s.clearPassword;
  if (changed) {
    const smtp: Record<string, unknown> = {
      host: emptyToNull(s.host),
      port: s.port === '' ? null : s.port,
      security: s.security,
      username: emptyToNull(s.username),
      from: emptyToNull(s.from),
    };
    // Write-only: send a password only when one was typed, or "" to clear the stored one.
    if (s.password !== '') smtp.password = s.password;
    else if (s.clearPassword) smtp.password = '';
    body.smtp = smtp;
  }
  return body;
}

/** Which tab holds the input for an error's `field` (e.g. "smtp.host" → email). */
export type DomainTab = 'basic' | 'deployment' | 'features' | 'reports' | 'appearance' | 'email';

export function tabOfField(field: string): DomainTab | null {
  const top = field.split(/[.[]/)[0] ?? '';
  if (
    [
      'domain',
      'brand_name',
      'customer_signup',
      'carrier_signup',
      'currencies',
      'template_customer_id',
    ].includes(top)
  )
    return 'basic';
  if (top === 'features') return 'features';
  if (top === 'breakout_columns' || top === 'cdr_fields') return 'reports';
  if (['logo_file_id', 'footer', 'custom_css', 'custom_js'].includes(top)) return 'appearance';
  if (top === 'smtp') return 'email';
  return null;
}

/** Returns the error message for an input key when the server's `field` names it (or a part of it). */
export function fieldErrorFor(error: { field: string | null; message: string } | null) {
  return (key: string): string | undefined => {
    if (!error?.field) return undefined;
    const f = error.field;
    if (f === key || f.startsWith(`${key}.`) || f.startsWith(`${key}[`)) return error.message;
    return undefined;
  };
}
