/** Pieces shared by the report pages: date ranges, labels, number formats, tables and CSV downloads. */
import { type ReactNode, useId, useState } from 'react';
import { ApiFailure } from '../../../../ui/api.ts';
import './reports.css';

/** The reader's own IANA time zone; reports bucket days and hours in it. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export type Preset = 'today' | 'yesterday' | 'last7' | 'last30' | 'this_month' | 'last_month' | 'custom';

export const PRESETS: { id: Preset; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
  { id: 'last7', label: 'Last 7 days' },
  { id: 'last30', label: 'Last 30 days' },
  { id: 'this_month', label: 'This month' },
  { id: 'last_month', label: 'Last month' },
  { id: 'custom', label: 'Custom range' },
];

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());

/** A preset's [from, to) in the reader's local time; custom uses the two datetime-local values. */
export function presetRange(preset: Preset, custom: { from: string; to: string }, now = new Date()) {
  const today = startOfDay(now);
  switch (preset) {
    case 'today':
      return { from: today, to: now };
    case 'yesterday':
      return { from: new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1), to: today };
    case 'last7':
      return { from: new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6), to: now };
    case 'last30':
      return { from: new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29), to: now };
    case 'this_month':
      return { from: new Date(today.getFullYear(), today.getMonth(), 1), to: now };
    case 'last_month':
      return {
        from: new Date(today.getFullYear(), today.getMonth() - 1, 1),
        to: new Date(today.getFullYear(), today.getMonth(), 1),
      };
    case 'custom': {
      const from = new Date(custom.from);
      const to = new Date(custom.to);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return null;
      return { from, to };
    }
  }
}

/** "2026-11-27T09:30" for a datetime-local input, in local time. */
export function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const hourFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dayFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const monthFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long', timeZone: 'UTC' });
const integer = new Intl.NumberFormat();
const decimal2 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, minimumFractionDigits: 2 });

export const formatTime = (iso: string) => dateTime.format(new Date(iso));
export const formatInt = (n: number) => integer.format(n);

/** A period start as the reader reads it: hour, day or month. */
export function formatPeriod(iso: string | null, group: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (group === 'hour') return hourFmt.format(d);
  if (group === 'month') return monthFmt.format(d);
  return dayFmt.format(d);
}

export const CDR_LABELS: Record<string, string> = {
  call_id: 'Call ID',
  start_time: 'Call time',
  company_id: 'Company ID',
  route_id: 'Route ID',
  rate_card_id: 'Card ID',
  cli: 'Source (CLI)',
  tech_prefix: 'Tech prefix',
  dest_number: 'Destination',
  lrn: 'LRN',
  direction: 'Direction',
  auth_type: 'Auth type',
  auth_ref: 'Auth',
  source_ip: 'Source IP',
  duration: 'Duration (s)',
  billed_duration: 'Billed (s)',
  ring_duration: 'Ring (s)',
  pdd_ms: 'PDD (ms)',
  sip_code: 'SIP code',
  sip_reason: 'SIP reason',
  release_reason: 'Release reason',
  dtmf: 'DTMF',
  dest_code: 'Destination code',
  dest_name: 'Destination name',
  rate: 'Rate / min',
  connect_cost: 'Connect cost',
  charge: 'Charge',
  currency: 'Currency',
  carrier_id: 'Carrier ID',
  carrier_rate_card_id: 'Carrier card',
  carrier_dest_code: 'Carrier dest. code',
  carrier_dest_name: 'Carrier dest. name',
  carrier_cost: 'Carrier cost',
  carrier_currency: 'Carrier currency',
  rtp_server: 'RTP server',
  recording: 'Recording',
  meta: 'Meta',
};

export const COLUMN_LABELS: Record<string, string> = {
  period: 'Period',
  dest_code: 'Code',
  dest_name: 'Destination',
  attempts: 'Attempts',
  connected: 'Connected',
  asr: 'ASR %',
  acd: 'ACD (s)',
  duration: 'Talk minutes',
  billed_duration: 'Billed minutes',
  charge: 'Charge',
  dtmf_calls: 'DTMF calls',
  dtmf_pct: 'DTMF %',
  pdd_ms: 'PDD (ms)',
};

export const NUMERIC_COLUMNS = new Set([
  'attempts',
  'connected',
  'asr',
  'acd',
  'duration',
  'billed_duration',
  'charge',
  'dtmf_calls',
  'dtmf_pct',
  'pdd_ms',
  'sip_code',
  'ring_duration',
  'billed_duration',
  'rate',
  'connect_cost',
]);

/** One breakout or summary cell as text. */
export function formatMeasure(col: string, v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (col === 'asr' || col === 'dtmf_pct' || col === 'duration' || col === 'billed_duration')
      return decimal2.format(v);
    return integer.format(v);
  }
  return String(v);
}

/** A table answer of the breakout and summary endpoints. */
export interface ReportTable {
  group: string;
  from: string;
  to: string;
  tz: string;
  columns: string[];
  rows: Record<string, unknown>[];
  totals: Record<string, unknown>[];
}

/** The range picker every report shares: presets plus a custom from/to in local time. */
export function RangeFields({
  preset,
  custom,
  onPreset,
  onCustom,
}: {
  preset: Preset;
  custom: { from: string; to: string };
  onPreset: (p: Preset) => void;
  onCustom: (c: { from: string; to: string }) => void;
}) {
  const id = useId();
  return (
    <>
      <div className="portal-field">
        <label className="portal-label" htmlFor={`${id}-preset`}>
          Period
        </label>
        <select
          id={`${id}-preset`}
          className="portal-input"
          value={preset}
          onChange={(e) => onPreset(e.target.value as Preset)}
        >
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {preset === 'custom' ? (
        <>
          <div className="portal-field">
            <label className="portal-label" htmlFor={`${id}-from`}>
              From
            </label>
            <input
              id={`${id}-from`}
              className="portal-input"
              type="datetime-local"
              value={custom.from}
              required
              onChange={(e) => onCustom({ ...custom, from: e.target.value })}
            />
          </div>
          <div className="portal-field">
            <label className="portal-label" htmlFor={`${id}-to`}>
              To
            </label>
            <input
              id={`${id}-to`}
              className="portal-input"
              type="datetime-local"
              value={custom.to}
              required
              onChange={(e) => onCustom({ ...custom, to: e.target.value })}
            />
          </div>
        </>
      ) : null}
    </>
  );
}

export interface DownloadState {
  phase: 'idle' | 'running' | 'done' | 'error';
  rows: number;
  bytes: number;
  total: number | null;
  message: string;
}

function filenameOf(res: Response, fallback: string): string {
  const m = res.headers.get('content-disposition')?.match(/filename="([^"]+)"/);
  return m?.[1] ?? fallback;
}

/**
 * Downloads a CSV by streaming it (fetch + ReadableStream), counting rows and bytes as they arrive, then
 * hands the file to the browser. The total (when known) comes from a count request made first.
 */
export function useCsvDownload() {
  const [state, setState] = useState<DownloadState>({
    phase: 'idle',
    rows: 0,
    bytes: 0,
    total: null,
    message: '',
  });
  const [abort, setAbort] = useState<AbortController | null>(null);

  async function start(url: string, countUrl: string | null, fallbackName: string) {
    const ctl = new AbortController();
    setAbort(ctl);
    setState({ phase: 'running', rows: 0, bytes: 0, total: null, message: 'Preparing the download…' });
    try {
      let total: number | null = null;
      if (countUrl) {
        const c = await fetch(countUrl, { credentials: 'same-origin', signal: ctl.signal });
        if (c.ok) total = ((await c.json()) as { count: number }).count;
      }
      const res = await fetch(url, { credentials: 'same-origin', signal: ctl.signal });
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => ({ error: 'http_error', message: res.statusText }));
        throw new ApiFailure(res.status, body);
      }
      const reader = res.body.getReader();
      const parts: Uint8Array[] = [];
      let bytes = 0;
      let newlines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.length;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) newlines++;
        setState({ phase: 'running', rows: Math.max(0, newlines - 1), bytes, total, message: '' });
      }
      const rows = Math.max(0, newlines - 1);
      const blob = new Blob(parts as BlobPart[], { type: 'text/csv' });
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = filenameOf(res, fallbackName);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
      setState({
        phase: 'done',
        rows,
        bytes,
        total,
        message: `Downloaded ${formatInt(rows)} ${rows === 1 ? 'row' : 'rows'} (${formatBytes(bytes)}).`,
      });
    } catch (error) {
      const aborted = ctl.signal.aborted;
      setState((s) => ({
        ...s,
        phase: 'error',
        message: aborted
          ? 'Download cancelled.'
          : error instanceof ApiFailure
            ? error.body.message || 'The download failed.'
            : 'The download failed. Check your connection and try again.',
      }));
    } finally {
      setAbort(null);
    }
  }

  return { state, start, cancel: () => abort?.abort() };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Progress of a running download, announced politely. */
export function DownloadProgress({ state, onCancel }: { state: DownloadState; onCancel: () => void }) {
  if (state.phase === 'idle') return null;
  const pct = state.total ? Math.min(100, Math.round((state.rows / Math.max(1, state.total)) * 100)) : null;
  let text: ReactNode = state.message;
  if (state.phase === 'running' && !state.message) {
    text = state.total
      ? `${formatInt(state.rows)} of ${formatInt(state.total)} rows (${pct} %, ${formatBytes(state.bytes)})`
      : `${formatInt(state.rows)} rows (${formatBytes(state.bytes)})`;
  }
  return (
    <div className="portal-download" data-phase={state.phase}>
      {state.phase === 'running' ? (
        <progress
          className="portal-download-bar"
          aria-label="CSV download progress"
          {...(pct !== null ? { max: 100, value: pct } : {})}
        />
      ) : null}
      <p className="portal-download-status" role="status">
        {state.phase === 'running' ? 'Downloading the CSV…' : state.message}
      </p>
      {state.phase === 'running' && !state.message ? <p className="portal-download-count">{text}</p> : null}
      {state.phase === 'running' ? (
        <button type="button" className="portal-button portal-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
