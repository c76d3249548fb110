/** Console-only API shapes (the shared ones live in common/api.ts). */
import type { AccessReason, FeatureGroup, UserType } from '../../../common/features.ts';

export interface Me {
  user: { id: string; email: string; name: string };
  operator: { id: string; name: string };
}

export interface FileDto {
  id: string;
  url: string;
  filename: string;
  content_type: string;
  width: number;
  height: number;
  size: number;
}

export interface AccessDto {
  company_id: string;
  user_type: UserType;
  portal_access: boolean;
  features: {
    id: string;
    label: string;
    group: FeatureGroup;
    parent: string | null;
    effective: boolean;
    reason: AccessReason;
  }[];
}

export type PaymentStatus = 'pending' | 'completed' | 'cancelled';

export interface PaymentDto {
  id: string;
  amount: string;
  currency: string;
  method: string;
  status: PaymentStatus;
  description: string;
  created_at: string;
}

export interface BalanceDto {
  balance: string;
  currency: string;
  debit_limit: string;
  available: string;
}

export interface TokenDto {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface NewTokenDto {
  id: string;
  name: string;
  prefix: string;
  token: string;
  created_at: string;
}

export interface AuditDto {
  id: string;
  at: string;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface TestEmailResult {
  ok: boolean;
  message: string;
}
