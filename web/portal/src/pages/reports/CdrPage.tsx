/** CDR: the company's call attempts with filters, a column chooser, keyset paging and a streamed CSV download. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage, keys } from '../../queries.ts';
import { hasFeature, useSession } from '../../session.ts';
import {
  CDR_LABELS,
  DownloadProgress,
  formatTime,
  localInput,
  NUMERIC_COLUMNS,
  type Preset,
  presetRange,
  RangeFields,
  TIME_ZONE,
  useCsvDownload,
} from './common.tsx';
import { RecordingCell } from './RecordingCell.tsx';

interface CdrPage {
  fields: string[];
  available_fields: string[];
  items: Record<string, unknown>[];
  next_cursor: string | null;
}

interface Filters {
  from: string;
  to: string;
  connected: boolean;
  number: string;
  dest_name: string;
  sip_code: string;
}

const PAGE_SIZE = 50;

function params(f: Filters, fields: string[] | null, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ from: f.from, to: f.to });
  if (f.connected) p.set('connected', 'true');
  if (f.number.trim()) p.set('number', f.number.trim());
  if (f.dest_name.trim()) p.set('dest_name', f.dest_name.trim());
  if (f.sip_code.trim()) p.set('sip_code', f.sip_code.trim());
  if (fields) p.set('fields', fields.join(','));
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

function Cell({ field, value }: { field: string; value: unknown }) {
  if (value === null || value === undefined || value === '') return <>–</>;
  if (field === 'start_time') return <>{formatTime(String(value))}</>;
  if (field === 'meta' && typeof value === 'object') {
    return (
      <>
        {Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join(', ')}
      </>
    );
  }
  return <>{String(value)}</>;
}

export default function CdrPage() {
  const me = useSession();
  const id = useId();
  const [preset, setPreset] = useState<Preset>('last7');
  const [custom, setCustom] = useState(() => {
    const now = new Date();
    return { from: localInput(new Date(now.getTime() - 86_400_000)), to: localInput(now) };
  });
  const [connected, setConnected] = useState(false);
  const [number, setNumber] = useState('');
  const [destName, setDestName] = useState('');
  const [sipCode, setSipCode] = useState('');
  const [formError, setFormError] = useState('');
  const [applied, setApplied] = useState<Filters>(() => {
    const r = presetRange('last7', custom)!;
    return {
      from: r.from.toISOString(),
      to: r.to.toISOString(),
      connected: false,
      number: '',
      dest_name: '',
      sip_code: '',
    };
  });
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const download = useCsvDownload();

  const query = useQuery({
    queryKey: [...keys.portal, 'cdrs', applied, chosen, cursor],
    queryFn: () =>
      api.get<CdrPage>(
        `/api/v1/portal/cdrs?${params(applied, chosen, { limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const available = query.data?.available_fields ?? [];
  const shown = query.data?.fields ?? [];

  function apply(e: FormEvent) {
    e.preventDefault();
    const r = presetRange(preset, custom);
    if (!r || r.from >= r.to) {
      setFormError('Choose a start time before the end time.');
      return;
    }
    if (sipCode.trim() && !/^[1-6]\d\d$/.test(sipCode.trim())) {
      setFormError('A SIP code has three digits, for example 486.');
      return;
    }
    setFormError('');
    setCursors([null]);
    setApplied({
      from: r.from.toISOString(),
      to: r.to.toISOString(),
      connected,
      number,
      dest_name: destName,
      sip_code: sipCode,
    });
  }

  function toggleField(f: string, on: boolean) {
    const base = chosen ?? available;
    const next = available.filter((x) => (x === f ? on : base.includes(x)));
    setChosen(next.length ? next : base);
    setCursors([null]);
  }

  const q = params(applied, chosen);
  const canDownload = hasFeature(me, 'download_recording');
  return (
    <>
      <PageTitle title="CDR" />
      <p className="portal-page-intro">
        Every call attempt of {me.company.name}. Times are shown in {TIME_ZONE}; the CSV download uses UTC.
      </p>
      <form className="portal-report-filters" onSubmit={apply} aria-label="CDR filters" noValidate>
        <RangeFields preset={preset} custom={custom} onPreset={setPreset} onCustom={setCustom} />
        <div className="portal-field">
          <label className="portal-label" htmlFor={`${id}-number`}>
            Number (source or destination)
          </label>
          <input
            id={`${id}-number`}
            className="portal-input"
            inputMode="tel"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
          />
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor={`${id}-dest`}>
            Destination name
          </label>
          <input
            id={`${id}-dest`}
            className="portal-input"
            value={destName}
            onChange={(e) => setDestName(e.target.value)}
          />
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor={`${id}-sip`}>
            SIP code
          </label>
          <input
            id={`${id}-sip`}
            className="portal-input"
            inputMode="numeric"
            value={sipCode}
            onChange={(e) => setSipCode(e.target.value)}
          />
        </div>
        <label className="portal-check">
          <input type="checkbox" checked={connected} onChange={(e) => setConnected(e.target.checked)} />
          Connected calls only
        </label>
        <button type="submit" className="portal-button portal-button--primary">
          Apply filters
        </button>
      </form>
      <p className="portal-form-error" role="alert">
        {formError}
      </p>
      {available.length ? (
        <details className="portal-columns">
          <summary>Columns</summary>
          <fieldset>
            <legend className="portal-visually-hidden">Columns to show and download</legend>
            {available.map((f) => (
              <label key={f} className="portal-check">
                <input
                  type="checkbox"
                  checked={(chosen ?? available).includes(f)}
                  onChange={(e) => toggleField(f, e.target.checked)}
                />
                {CDR_LABELS[f] ?? f}
              </label>
            ))}
          </fieldset>
        </details>
      ) : null}
      <div className="portal-report-actions">
        <button
          type="button"
          className="portal-button portal-button--secondary"
          disabled={download.state.phase === 'running'}
          onClick={() =>
            void download.start(`/api/v1/portal/cdrs.csv?${q}`, `/api/v1/portal/cdrs/count?${q}`, 'cdrs.csv')
          }
        >
          Download CSV
        </button>
        <DownloadProgress state={download.state} onCancel={download.cancel} />
      </div>
      {query.isPending ? (
        <PageLoading label="Loading calls…" />
      ) : query.isError ? (
        <ErrorPanel
          title="Could not load the calls"
          message={errorMessage(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : query.data.items.length === 0 ? (
        <div className="portal-card portal-empty portal-report-empty">
          <p>{cursors.length > 1 ? 'No more calls.' : 'No calls match these filters.'}</p>
        </div>
      ) : (
        <>
          <section
            className="portal-table-wrap"
            aria-busy={query.isFetching || undefined}
            aria-label="Calls table"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
            tabIndex={0}
          >
            <table className="portal-table portal-cdr-table">
              <caption>Calls{cursors.length > 1 ? `, page ${cursors.length}` : ''} (newest first)</caption>
              <thead>
                <tr>
                  {shown.map((f) => (
                    <th key={f} scope="col" className={NUMERIC_COLUMNS.has(f) ? 'portal-num' : undefined}>
                      {CDR_LABELS[f] ?? f}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {query.data.items.map((row, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no unique field when call_id is hidden
                  <tr key={i}>
                    {shown.map((f) => (
                      <td key={f} className={NUMERIC_COLUMNS.has(f) ? 'portal-num' : undefined}>
                        {f === 'recording' ? (
                          <RecordingCell row={row} canDownload={canDownload} />
                        ) : (
                          <Cell field={f} value={row[f]} />
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <nav className="portal-pager" aria-label="CDR pages">
            <button
              type="button"
              className="portal-button portal-button--secondary"
              disabled={cursors.length <= 1}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              Newer calls
            </button>
            <span className="portal-pager-status">Page {cursors.length}</span>
            <button
              type="button"
              className="portal-button portal-button--secondary"
              disabled={!query.data.next_cursor}
              onClick={() => setCursors((c) => [...c, query.data.next_cursor])}
            >
              Older calls
            </button>
          </nav>
        </>
      )}
    </>
  );
}
