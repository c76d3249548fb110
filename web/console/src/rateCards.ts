/** Rate cards, their revisions and rates, and company routes: API shapes, data hooks and CSV helpers. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ApiError, Page } from '../../../common/api.ts';
import { ApiFailure, api } from '../../ui/api.ts';
import { CONSOLE_API, companyPath, PAGE_SIZE, qs } from './hooks.ts';

export type Rounding = 'up' | 'down' | 'half_up' | 'half_down';
export type Direction = 'termination' | 'origination';

export interface RevisionSummary {
  id: string;
  revision: number;
  date_live: string | null;
  rate_count: number;
}

export interface RateCardDto {
  id: string;
  name: string;
  currency: string;
  precision: number;
  rounding: Rounding;
  direction: Direction;
  created_at: string;
  active_revision: RevisionSummary | null;
}

export interface RevisionDto extends RevisionSummary {
  created_at: string;
}

export interface RateCardDetailDto extends RateCardDto {
  revisions: RevisionDto[];
}

export interface RateDto {
  prefix: string;
  name: string;
  rate: string;
  connect_cost: string;
  mcd: number;
  pulse: number;
  grace: number;
  status: 'active' | 'blocked';
}

export interface RatesPage extends Page<RateDto> {
  revision_id: string | null;
}

export interface ImportResult {
  revision_id: string;
  revision: number;
  rate_count: number;
  date_live: string;
}

export interface RateRowError {
  line: number;
  field: string;
  message: string;
}

export interface RouteDto {
  id: string;
  company_id: string;
  rate_card_id: string;
  rate_card_name?: string;
  tech_prefix: string;
  channels: number | null;
  cps: number | null;
  max_duration: number | null;
  public_note: string;
  private_note: string;
  enabled: boolean;
  created_at: string;
}

export type RouteInput = Omit<RouteDto, 'id' | 'company_id' | 'rate_card_name' | 'created_at'>;

export const RATES_PAGE_SIZE = 50;
/** The server's largest page: enough for every card in a picker. */
const ALL_CARDS_PAGE_SIZE = 500;

export const ROUNDING_LABEL: Record<Rounding, string> = {
  half_up: 'Half up',
  half_down: 'Half down',
  up: 'Up',
  down: 'Down',
};
export const ROUNDING_DATA = (['half_up', 'half_down', 'up', 'down'] as const).map((r) => ({
  value: r,
  label: ROUNDING_LABEL[r],
}));
export const DIRECTION_DATA = [
  { value: 'termination', label: 'Termination (calls we deliver)' },
  { value: 'origination', label: 'Origination (calls we receive)' },
];

export const cardPath = (id: string) => `${CONSOLE_API}/rate-cards/${encodeURIComponent(id)}`;

// ---- Queries ----

export function useRateCards(params: { q: string; page: number }) {
  return useQuery({
    queryKey: ['rate-cards', 'list', params],
    queryFn: () =>
      api.get<Page<RateCardDto>>(`${CONSOLE_API}/rate-cards${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

/** Every rate card of the operator (for pickers). */
export function useAllRateCards(enabled = true) {
  return useQuery({
    queryKey: ['rate-cards', 'all'],
    queryFn: () =>
      api.get<Page<RateCardDto>>(`${CONSOLE_API}/rate-cards${qs({ page_size: ALL_CARDS_PAGE_SIZE })}`),
    staleTime: 60_000,
    enabled,
  });
}

export function useRateCard(id: string) {
  return useQuery({
    queryKey: ['rate-cards', 'detail', id],
    queryFn: () => api.get<RateCardDetailDto>(cardPath(id)),
  });
}

export function useRates(id: string, params: { revision_id: string | null; q: string; page: number }) {
  return useQuery({
    queryKey: ['rate-cards', 'detail', id, 'rates', params],
    queryFn: () =>
      api.get<RatesPage>(`${cardPath(id)}/rates${qs({ ...params, page_size: RATES_PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
    enabled: params.revision_id !== null,
  });
}

export function useRoutes(companyId: string) {
  return useQuery({
    queryKey: ['companies', 'detail', companyId, 'routes'],
    queryFn: () => api.get<{ items: RouteDto[] }>(`${companyPath(companyId)}/routes`),
  });
}

// ---- Import ----

/**
 * Posts a CSV file's text as a new revision. api.ts only sends JSON, so this is a plain fetch that
 * fails the same way (ApiFailure with the server's JSON error).
 */
export async function importRatesCsv(cardId: string, text: string, dateLive: string | null) {
  const res = await fetch(`${cardPath(cardId)}/rates${qs({ date_live: dateLive })}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: text,
    credentials: 'same-origin',
  });
  const raw = await res.text();
  let data: unknown = null;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    data = { error: 'bad_response', message: raw.slice(0, 200) || res.statusText };
  }
  if (!res.ok) {
    throw new ApiFailure(res.status, (data ?? { error: 'http_error', message: res.statusText }) as ApiError);
  }
  return data as ImportResult;
}

/** The row report of a refused import (400 invalid_rates), or null for any other failure. */
export function rowErrors(err: unknown): RateRowError[] | null {
  if (!(err instanceof ApiFailure) || err.body.error !== 'invalid_rates') return null;
  const list = err.body.errors;
  return Array.isArray(list) ? (list as RateRowError[]) : [];
}

export const CSV_COLUMNS = ['prefix', 'name', 'rate', 'connect_cost', 'mcd', 'pulse', 'grace', 'status'];
const REQUIRED_COLUMNS = ['prefix', 'name', 'rate'];

export const CSV_TEMPLATE = [
  CSV_COLUMNS.join(','),
  '44,United Kingdom,0.0120,0,0,1,0,active',
  '447,United Kingdom - Mobile,0.0450,0,0,1,0,active',
  '1,USA & Canada,0.0085,0,6,6,0,active',
  '882,International Networks,1.2000,0.05,60,60,3,blocked',
  '',
].join('\r\n');

/**
 * Checks the header line before uploading: a file without prefix, name and rate columns would fail on
 * every row, so one clear message is better. Returns a problem, or null when the header looks right.
 */
export function checkCsvHeader(text: string): string | null {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!first.trim()) return 'The file is empty. The first line must be the header.';
  const cols = first.split(',').map((c) =>
    c
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim()
      .toLowerCase(),
  );
  const missing = REQUIRED_COLUMNS.filter((c) => !cols.includes(c));
  if (missing.length === 0) return null;
  return `The header line lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. It reads “${first.slice(0, 120)}”; download the template for the expected layout.`;
}

/** Data lines of a CSV text (not counting the header or empty lines); a rough count for progress text. */
export function countCsvRows(text: string): number {
  let n = 0;
  for (const line of text.split(/\r?\n/)) if (line.trim()) n++;
  return Math.max(0, n - 1);
}

// ---- Display ----

/**
 * Props for a Table.ScrollContainer whose rows hold nothing focusable: its scrolling viewport becomes a
 * named, focusable region so keyboard users can scroll it (axe: scrollable-region-focusable).
 */
export function scrollRegion(label: string) {
  return { viewportProps: { tabIndex: 0, role: 'region', 'aria-label': label } };
}

/** The first revision goes live at the epoch so it rates every call, also older ones. */
export function isFromStart(iso: string | null): boolean {
  return iso !== null && new Date(iso).getTime() <= 0;
}

export type RevisionState = 'active' | 'scheduled' | 'superseded';

export function revisionState(card: RateCardDto, rev: RevisionSummary, now = Date.now()): RevisionState {
  if (card.active_revision?.id === rev.id) return 'active';
  if (rev.date_live && new Date(rev.date_live).getTime() > now) return 'scheduled';
  return 'superseded';
}

export const REVISION_STATE_COLOR: Record<RevisionState, string> = {
  active: 'green',
  scheduled: 'blue',
  superseded: 'gray',
};

export function roundingText(card: Pick<RateCardDto, 'precision' | 'rounding'>): string {
  return `${card.precision} decimal${card.precision === 1 ? '' : 's'}, ${ROUNDING_LABEL[card.rounding]?.toLowerCase() ?? card.rounding}`;
}
