/** Data hooks (TanStack Query) and small shared hooks of the Control Panel. */

import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { CompanyDto, ContactDto, DomainDto, Page } from '../../../common/api.ts';
import { ApiFailure, api } from '../../ui/api.ts';
import type { AccessDto, AuditDto, BalanceDto, FileDto, Me, PaymentDto, TokenDto } from './types.ts';

export const PAGE_SIZE = 25;
const IN_PROGRESS = new Set(['pending_dns', 'dns_verified', 'issuing', 'renewing']);
const BASE = '/api/v1/console';

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Control Panel` : 'Control Panel';
  }, [title]);
}

/** The signed-in operator user, or null when signed out. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.get<Me>('/api/v1/me');
      } catch (e) {
        if (e instanceof ApiFailure && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** Paging and filter state kept in the URL (so back/forward and links work). */
export function useListParams<K extends string>(keys: readonly K[]) {
  const [sp, setSp] = useSearchParams();
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const values = Object.fromEntries(keys.map((k) => [k, sp.get(k) ?? ''])) as Record<K, string>;
  const set = (patch: Partial<Record<K | 'page', string | number>>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v === '' || v === undefined || (k === 'page' && v === 1)) next.delete(k);
      else next.set(k, String(v));
    }
    // Any filter change starts over at page 1.
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };
  return { page, values, set };
}

export function useDebounced<T>(value: T, ms = 300): T {
  return useDebouncedValue(value, ms)[0];
}

/**
 * A search box bound to a URL parameter: typing is debounced before it is applied, and the box
 * follows the URL when it changes from elsewhere (back/forward).
 */
export function useSearchBox(current: string, apply: (q: string) => void) {
  const [search, setSearch] = useState(current);
  const q = useDebounced(search.trim());
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const lastApplied = useRef(current);
  useEffect(() => {
    if (q !== lastApplied.current) {
      lastApplied.current = q;
      applyRef.current(q);
    }
  }, [q]);
  useEffect(() => {
    if (current !== lastApplied.current) {
      lastApplied.current = current;
      setSearch(current);
    }
  }, [current]);
  return [search, setSearch] as const;
}

// ---- Domains ----

export function useDomains(params: { q: string; page: number }) {
  return useQuery({
    queryKey: ['domains', 'list', params],
    queryFn: () => api.get<Page<DomainDto>>(`${BASE}/domains${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

/** Every domain of the operator (for selects and lookups). */
export function useAllDomains() {
  return useQuery({
    queryKey: ['domains', 'all'],
    queryFn: () => api.get<Page<DomainDto>>(`${BASE}/domains${qs({ page_size: 100 })}`),
    staleTime: 60_000,
  });
}

export function useDomain(id: string) {
  return useQuery({
    queryKey: ['domains', 'detail', id],
    queryFn: () => api.get<DomainDto>(`${BASE}/domains/${encodeURIComponent(id)}`),
    // While DNS or the certificate is in progress, follow the deployment state.
    refetchInterval: (q) => (q.state.data && IN_PROGRESS.has(q.state.data.state) ? 15_000 : false),
  });
}

export function useFiles() {
  return useQuery({
    queryKey: ['files'],
    queryFn: () => api.get<{ items: FileDto[] }>(`${BASE}/files`),
  });
}

// ---- Companies ----

export interface CompanyFilter {
  q?: string;
  type?: string;
  status?: string;
  domain_id?: string;
  page?: number;
}

export function useCompanies(params: CompanyFilter, enabled = true) {
  return useQuery({
    queryKey: ['companies', 'list', params],
    queryFn: () => api.get<Page<CompanyDto>>(`${BASE}/companies${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCompany(id: string | null | undefined) {
  return useQuery({
    queryKey: ['companies', 'detail', id],
    queryFn: () => api.get<CompanyDto>(`${BASE}/companies/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
  });
}

const companyPath = (id: string) => `${BASE}/companies/${encodeURIComponent(id)}`;

export function useAccess(id: string) {
  return useQuery({
    queryKey: ['companies', 'detail', id, 'access'],
    queryFn: () => api.get<AccessDto>(`${companyPath(id)}/access`),
  });
}

export function useContacts(id: string) {
  return useQuery({
    queryKey: ['companies', 'detail', id, 'contacts'],
    queryFn: () => api.get<{ items: ContactDto[] }>(`${companyPath(id)}/contacts`),
  });
}

export function usePayments(id: string, page: number) {
  return useQuery({
    queryKey: ['companies', 'detail', id, 'payments', page],
    queryFn: () =>
      api.get<Page<PaymentDto>>(`${companyPath(id)}/payments${qs({ page, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

export function useBalance(id: string) {
  return useQuery({
    queryKey: ['companies', 'detail', id, 'balance'],
    queryFn: () => api.get<BalanceDto>(`${companyPath(id)}/balance`),
  });
}

// ---- Tokens and audit ----

export function useTokens() {
  return useQuery({
    queryKey: ['tokens'],
    queryFn: () => api.get<{ items: TokenDto[] }>(`${BASE}/tokens`),
  });
}

export function useAudit(params: { entity_type: string; page: number }) {
  return useQuery({
    queryKey: ['audit', params],
    queryFn: () => api.get<Page<AuditDto>>(`${BASE}/audit${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

// ---- Mutations ----

/**
 * A mutation against the console API that refreshes the given query-key prefixes (and the audit
 * log, which every change writes to) when it succeeds.
 */
export function useApiMutation<TVars, TResult = unknown>(
  fn: (vars: TVars) => Promise<TResult>,
  invalidate: (vars: TVars, result: TResult) => readonly (readonly unknown[])[],
) {
  const qc = useQueryClient();
  return useMutation<TResult, ApiFailure | Error, TVars>({
    mutationFn: fn,
    onSuccess: async (result, vars) => {
      const keys = [...invalidate(vars, result), ['audit']];
      await Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey })));
    },
  });
}

export { BASE as CONSOLE_API, companyPath };

/** The message of any error, preferring the server's text. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiFailure) {
    if (err.status === 429) return err.body.message || 'Too many attempts. Please wait and try again.';
    return err.body.message || err.body.error || `Request failed (${err.status})`;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

/** The `field` of a 400 answer, when the server named one. */
export function errorField(err: unknown): string | null {
  if (err instanceof ApiFailure && typeof err.body.field === 'string') return err.body.field;
  return null;
}
