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
