/** Turns a portal_domains row into the API shape; the SMTP password never leaves. */
import type { DomainDto, DomainState, SmtpSecurity } from '../../../common/api.ts';

export type DomainRow = Record<string, unknown> & { id: string; domain: string };

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

export function presentDomain(r: DomainRow): DomainDto {
  return {
    id: r.id,
    domain: r.domain,
    brand_name: String(r.brand_name),
    customer_signup: Boolean(r.customer_signup),
    carrier_signup: Boolean(r.carrier_signup),
    currencies: (r.currencies as string[]) ?? [],
    template_customer_id: (r.template_customer_id as string | null) ?? null,
    features: r.features as Record<string, boolean>,
    breakout_columns: r.breakout_columns as DomainDto['breakout_columns'],
    cdr_fields: r.cdr_fields as DomainDto['cdr_fields'],
    custom_js: String(r.custom_js),
    custom_css: String(r.custom_css),
    logo_file_id: (r.logo_file_id as string | null) ?? null,
    footer: String(r.footer),
    smtp: {
      host: (r.smtp_host as string | null) ?? null,
      port: (r.smtp_port as number | null) ?? null,
      security: r.smtp_security as SmtpSecurity,
      username: (r.smtp_username as string | null) ?? null,
      password: null,
      password_set: Boolean(r.smtp_password_enc),
      from: (r.smtp_from as string | null) ?? null,
    },
    state: r.state as DomainState,
    reason: (r.reason as string | null) ?? null,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}
