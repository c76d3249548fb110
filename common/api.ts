/** JSON shapes of the HTTP API, shared by the server's presenters and both SPAs. */
import type { UserType } from './features.ts';

export type SmtpSecurity = 'none' | 'starttls' | 'tls';

export type DomainState = 'pending_dns' | 'dns_verified' | 'issuing' | 'active' | 'renewing' | 'failed';

export interface SmtpSettings {
  host: string | null;
  port: number | null;
  security: SmtpSecurity;
  username: string | null;
  /** Write-only: always null in answers; `password_set` tells whether one is stored. */
  password: null;
  password_set: boolean;
  from: string | null;
}

export interface DomainDto {
  id: string;
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
  smtp: SmtpSettings;
  state: DomainState;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export type CompanyType = 'customer' | 'carrier';
export type CompanyStatus = 'active' | 'pending_approval' | 'suspended' | 'closed';

export interface CompanyDto {
  id: string;
  type: CompanyType;
  name: string;
  status: CompanyStatus;
  currency: string;
  debit_limit: string;
  domain_id: string | null;
  portal_access: boolean;
  show: string[];
  hide: string[];
  /** Concurrent calls of the whole customer; null = unlimited. Its SIP users' channels must fit in it. */
  channels: number | null;
  /** New calls per second (flow speed) of the whole customer; null = unlimited. */
  cps: number | null;
  created_at: string;
}

export interface ContactDto {
  id: string;
  company_id: string;
  name: string;
  email: string;
  created_at: string;
  last_login_at: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export interface PublicBrand {
  brand_name: string;
  logo_url: string | null;
  footer: string;
  customer_signup: boolean;
  carrier_signup: boolean;
  has_custom_css: boolean;
  has_custom_js: boolean;
}

export interface ApiError {
  error: string;
  message: string;
  [key: string]: unknown;
}

/** A chart of the portal (`GET /api/v1/portal/stats/<metric>`): one value per bucket and line. */
export interface ChartDto {
  metric: 'asr' | 'acd' | 'dtmf' | 'cps' | 'channels';
  unit: string;
  from: string;
  to: string;
  step: number;
  times: string[];
  series: { key: string; label: string; values: (number | null)[] }[];
  summary: number | null;
  source: 'rollup' | 'cdrs';
}

/** One attempt in Latest Calls (customer-side fields only). */
export interface LatestCallDto {
  call_id: string;
  start_time: string;
  cli: string;
  tech_prefix: string;
  dest_number: string;
  direction: string;
  auth_type: string | null;
  auth_ref: string | null;
  source_ip: string | null;
  duration: number;
  ring_duration: number;
  pdd_ms: number | null;
  sip_code: number;
  sip_reason: string;
  release_reason: string;
  dest_code: string | null;
  dest_name: string | null;
}

export interface SipMessageDto {
  at: string;
  from: string;
  to: string;
  method_or_status: string;
  src: string;
  dst: string;
  raw: string;
}

export interface CallDetailDto {
  call: LatestCallDto | null;
  attempts: {
    n: number;
    carrier: string | null;
    sip_code: number;
    sip_reason: string;
    started_at: string;
    pdd_ms: number | null;
  }[];
  sip_messages: SipMessageDto[];
  rtcp: { mos: number; jitter_ms: number; packet_loss_pct: number; rtt_ms: number } | null;
}

export interface SimulateResultDto {
  route: { tech_prefix: string };
  dest_number: string;
  rate_card: { name: string; currency: string; revision: number };
  match: { prefix: string; name: string };
  rate: string;
  connect_cost: string;
  duration: number;
  billed_duration: number;
  charge: string;
  currency: string;
  cli: { action: 'pass' | 'replace' | 'reject'; presented: string | null; explanation: string[] };
}

export interface LiveCallDto {
  call_id: string;
  cli: string;
  dest_number: string;
  dest_name: string;
  started_at: string;
  answered_at: string | null;
  state: 'ringing' | 'answered';
}
