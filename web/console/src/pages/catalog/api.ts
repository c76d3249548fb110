/** Answer shapes and data hooks of the catalog pages (alerts, packages, contracts) and sign-up approvals. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Page } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { CONSOLE_API, PAGE_SIZE, qs } from '../../hooks.ts';

export interface AlertDto {
  id: string;
  company_id: string;
  company_name?: string;
  title: string;
  recipient: string | null;
  area: 'balance' | 'asr' | 'acd' | 'pdd' | 'cps' | 'channels';
  comparator: '<' | '>' | '=';
  threshold: string;
  reset_threshold: string | null;
  sample_minutes: number | null;
  penalty_minutes: number | null;
  repeat_minutes: number | null;
  notice_level: 'warning' | 'error';
  enabled: boolean;
}

export interface PackageDto {
  id: string;
  name: string;
  description: string;
  type: 'standard' | 'free_minutes';
  currency: string;
  cost: string;
  retail: string;
  setup_cost: string;
  setup_retail: string;
  frequency: 'daily' | 'weekly' | 'monthly';
  frequency_match: number[];
  minimum_days: number;
  destination_regex: string | null;
  free_minutes: number | null;
  minimum_spend: string | null;
  assignments?: number;
}

export interface PackageAssignmentDto {
  id: string;
  company_id: string;
  company_name: string | null;
  package_id: string;
  package_name: string | null;
  quantity: number;
  start_date: string;
  end_date: string | null;
  auto_decrement: boolean;
}

export interface ContractDto {
  id: string;
  name: string;
  latest_revision: number | null;
  assignments: number;
  created_at: string;
  updated_at: string;
}

export interface RevisionDto {
  id: string;
  revision: number;
  body: string;
  created_at: string;
}

export interface ContractAssignmentDto {
  id: string;
  company_id: string;
  company_name: string | null;
  contract_id: string;
  contract_name: string | null;
  revision: number | null;
  latest_revision: number | null;
  grace_date: string | null;
  required: boolean;
  assigned_at: string;
  approved_at: string | null;
  approved_by_name: string | null;
}

export interface SignupDto {
  id: string;
  type: 'customer' | 'carrier';
  company_id: string;
  company_name: string;
  status: string;
  currency: string;
  contact_name: string;
  email: string;
  phone: string | null;
  country: string;
  ip: string | null;
  domain: string | null;
  brand_name: string | null;
  cloned_from_template: boolean;
  created_at: string;
  email_verified_at: string | null;
  decision: 'approved' | 'rejected' | null;
  decided_at: string | null;
  decided_by: string | null;
}

export const ALERT_AREAS: Record<AlertDto['area'], string> = {
  balance: 'Balance',
  asr: 'ASR (%)',
  acd: 'ACD (seconds)',
  pdd: 'PDD (ms)',
  cps: 'Calls per second',
  channels: 'Channels',
};

export function useAlerts(params: { q: string; company_id: string; area: string; page: number }) {
  return useQuery({
    queryKey: ['alerts', 'list', params],
    queryFn: () => api.get<Page<AlertDto>>(`${CONSOLE_API}/alerts${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

export function usePackages(params: { q: string; page: number }) {
  return useQuery({
    queryKey: ['packages', 'list', params],
    queryFn: () =>
      api.get<Page<PackageDto>>(`${CONSOLE_API}/packages${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

export function usePackage(id: string) {
  return useQuery({
    queryKey: ['packages', 'detail', id],
    queryFn: () => api.get<PackageDto>(`${CONSOLE_API}/packages/${encodeURIComponent(id)}`),
  });
}

export function usePackageAssignments(id: string) {
  return useQuery({
    queryKey: ['packages', 'assignments', id],
    queryFn: () =>
      api.get<{ items: PackageAssignmentDto[] }>(
        `${CONSOLE_API}/packages/${encodeURIComponent(id)}/assignments`,
      ),
  });
}

export function useContracts(params: { q: string; page: number }) {
  return useQuery({
    queryKey: ['contracts', 'list', params],
    queryFn: () =>
      api.get<Page<ContractDto>>(`${CONSOLE_API}/contracts${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

export function useContract(id: string) {
  return useQuery({
    queryKey: ['contracts', 'detail', id],
    queryFn: () =>
      api.get<ContractDto & { revisions: RevisionDto[] }>(
        `${CONSOLE_API}/contracts/${encodeURIComponent(id)}`,
      ),
  });
}

export function useContractAssignments(id: string) {
  return useQuery({
    queryKey: ['contracts', 'assignments', id],
    queryFn: () =>
      api.get<{ items: ContractAssignmentDto[] }>(
        `${CONSOLE_API}/contracts/${encodeURIComponent(id)}/assignments`,
      ),
  });
}

export function useSignups(params: { state: string; q: string; page: number }) {
  return useQuery({
    queryKey: ['signups', 'list', params],
    queryFn: () =>
      api.get<Page<SignupDto> & { pending: number }>(
        `${CONSOLE_API}/signups${qs({ ...params, page_size: PAGE_SIZE })}`,
      ),
    placeholderData: keepPreviousData,
  });
}
