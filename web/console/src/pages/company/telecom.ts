/** API shapes and data hooks of DIDs, IP authentication, SIP users and CLI rules. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Page } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { CONSOLE_API, companyPath, PAGE_SIZE, qs } from '../../hooks.ts';

export type DestinationType = 'uri' | 'external' | 'internal' | 'circuit_test';

export interface DidDto {
  id: string;
  number: string;
  company_id: string | null;
  company_name: string | null;
  destination_type: DestinationType;
  destination: string;
  destination_locked: boolean;
  tags: string[];
  enabled: boolean;
  created_at: string;
}

export interface IpAuthDto {
  id: string;
  company_id: string;
  address: string;
  direction: 'egress' | 'ingress';
  protocol: 'udp' | 'tcp' | 'tls';
  port: number;
  channels: number | null;
  cps: number | null;
  created_at: string;
}

export type SipProtocol = 'udp' | 'tcp' | 'tls' | 'tls_srtp';

export interface SipUserDto {
  id: string;
  company_id: string;
  username: string;
  realm: string;
  password_set: true;
  channels: number | null;
  cps: number | null;
  protocol: SipProtocol;
  ip_whitelist: string[];
  created_at: string;
}

export interface CliRuleDto {
  id: string;
  company_id: string;
  kind: 'forced' | 'allow';
  pattern: string;
  replacement: string;
  created_at: string;
}

export const DESTINATION_TYPES: { value: DestinationType; label: string }[] = [
  { value: 'uri', label: 'SIP URI or host' },
  { value: 'external', label: 'External number' },
  { value: 'internal', label: 'Internal extension' },
  { value: 'circuit_test', label: 'Circuit test' },
];

export const DESTINATION_HELP: Record<DestinationType, string> = {
  uri: 'e.g. sip:1000@pbx.example.com:5060, 1000@203.0.113.10 or pbx.example.com',
  external: 'The number to forward to, with the country code, e.g. 442071234567',
  internal: 'An extension or Class 5 object, e.g. 1001',
  circuit_test: 'Calls loop to the circuit-test system; no destination needed',
};

export const destinationLabel = (t: DestinationType) =>
  DESTINATION_TYPES.find((d) => d.value === t)?.label ?? t;

export const SIP_PROTOCOLS: { value: SipProtocol; label: string }[] = [
  { value: 'udp', label: 'UDP' },
  { value: 'tcp', label: 'TCP' },
  { value: 'tls', label: 'TLS' },
  { value: 'tls_srtp', label: 'TLS + SRTP' },
];

/** "unlimited" for a null channel or CPS limit. */
export const limitText = (n: number | null) => (n === null ? 'Unlimited' : String(n));

/** "" → null (unlimited); a whole number ≥ 0 → that number; anything else → undefined (invalid). */
export function parseLimit(s: string): number | null | undefined {
  const v = s.trim();
  if (!v) return null;
  return /^[0-9]{1,7}$/.test(v) ? Number(v) : undefined;
}

export interface DidFilter {
  q?: string;
  company_id?: string;
  page: number;
}

export function useDids(params: DidFilter) {
  return useQuery({
    queryKey: ['dids', 'list', params],
    queryFn: () => api.get<Page<DidDto>>(`${CONSOLE_API}/dids${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

export function useIpAuth(companyId: string, params: { q: string; page: number }) {
  return useQuery({
    queryKey: ['companies', 'detail', companyId, 'ip-auth', params],
    queryFn: () =>
      api.get<Page<IpAuthDto>>(`${companyPath(companyId)}/ip-auth${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

export function useSipUsers(companyId: string, params: { q: string; page: number }) {
  return useQuery({
    queryKey: ['companies', 'detail', companyId, 'sip-users', params],
    queryFn: () =>
      api.get<Page<SipUserDto>>(
        `${companyPath(companyId)}/sip-users${qs({ ...params, page_size: PAGE_SIZE })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useCliRules(companyId: string, page: number) {
  return useQuery({
    queryKey: ['companies', 'detail', companyId, 'cli-rules', page],
    queryFn: () =>
      api.get<Page<CliRuleDto> & { explanation: string[] }>(
        `${companyPath(companyId)}/cli-rules${qs({ page, page_size: PAGE_SIZE })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random 20-character password from an unambiguous alphabet (about 116 bits). */
export function generatePassword(length = 20): string {
  const out: string[] = [];
  const bytes = new Uint8Array(1);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    const b = bytes[0]!;
    // Rejection sampling keeps every character equally likely.
    if (b < Math.floor(256 / PASSWORD_ALPHABET.length) * PASSWORD_ALPHABET.length)
      out.push(PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]!);
  }
  return out.join('');
}
