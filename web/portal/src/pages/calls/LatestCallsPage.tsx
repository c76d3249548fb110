/** Latest Calls: recent attempts (failed ones too), filters, keyset paging, call detail and Simulate. */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { LatestCallDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import '../../components/charts/charts.css';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage } from '../../queries.ts';
import { CallDetail } from './CallDetail.tsx';
import { formatDateTime, formatDuration } from './format.ts';
import { SimulateForm } from './SimulateForm.tsx';

type Status = 'all' | 'connected' | 'failed';

export default function LatestCallsPage() {
  const [params, setParams] = useSearchParams();
  const callId = params.get('call');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<Status>('all');
  const [filters, setFilters] = useState<{ q: string; status: Status }>({ q: '', status: 'all' });
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors[cursors.length - 1];

  const q = useQuery({
    queryKey: ['portal', 'calls', filters, before ?? null],
    queryFn: () => {
      const qs = new URLSearchParams({ limit: '25', status: filters.status });
      if (filters.q) qs.set('q', filters.q);
      if (before) qs.set('before', before);
      return api.get<{ items: LatestCallDto[]; next: string | null }>(`/api/v1/portal/calls?${qs}`);
    },
    placeholderData: (prev) => prev,
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setCursors([]);
    setFilters({ q: search.trim(), status });
  };
  const open = (id: string) => setParams({ call: id });

  if (callId)
    return (
      <>
        <PageTitle title="Latest Calls" />
        <CallDetail callId={callId} onClose={() => setParams({})} />
      </>
    );

  const items = q.data?.items ?? [];
  return (
    <>
      <PageTitle title="Latest Calls" />
      <p className="portal-page-intro">
        Your most recent call attempts, including failed ones, from the last 14 days.
      </p>
      <section
        className="portal-card portal-stack"
        aria-labelledby="portal-calls-title"
        aria-busy={q.isFetching || undefined}
      >
        <h2 className="portal-card-title" id="portal-calls-title">
          Recent attempts
        </h2>
        <form className="portal-toolbar" onSubmit={apply}>
          <div className="portal-field">
            <label className="portal-label" htmlFor="calls-q">
              Number or call ID
            </label>
            <input
              id="calls-q"
              className="portal-input"
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
          <div className="portal-field">
            <label className="portal-label" htmlFor="calls-status">
              Result
            </label>
            <select
              id="calls-status"
              className="portal-input"
              value={status}
              onChange={(e) => setStatus(e.target.value as Status)}
            >
              <option value="all">All attempts</option>
              <option value="connected">Connected only</option>
              <option value="failed">Failed only</option>
            </select>
          </div>
          <button type="submit" className="portal-button portal-button--primary">
            Filter
          </button>
        </form>
        {q.isError ? (
          <ErrorPanel
            message={errorMessage(q.error, 'The calls could not be loaded.')}
            onRetry={() => void q.refetch()}
            retrying={q.isFetching}
          />
        ) : !q.data ? (
          <PageLoading label="Loading calls…" />
        ) : items.length === 0 ? (
          <p className="portal-empty" role="status">
            {filters.q || filters.status !== 'all'
              ? 'No calls match these filters.'
              : 'No calls in the last 14 days.'}
          </p>
        ) : (
          <div className="portal-table-scroll">
            <table className="portal-data-table portal-calls-table">
              <caption className="portal-visually-hidden">Recent call attempts, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Destination</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Result</th>
                  <th scope="col">Release reason</th>
                  <th scope="col">
                    <span className="portal-visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.call_id} data-call-id={c.call_id}>
                    <td>{formatDateTime(c.start_time)}</td>
                    <td>{c.cli || '—'}</td>
                    <td>{c.dest_number}</td>
                    <td>{c.dest_name ?? '—'}</td>
                    <td>{formatDuration(c.duration)}</td>
                    <td>
                      {c.sip_code} {c.sip_reason}
                    </td>
                    <td>{c.release_reason || '—'}</td>
                    <td>
                      <button
                        type="button"
                        className="portal-button portal-button--secondary"
                        onClick={() => open(c.call_id)}
                      >
                        Details<span className="portal-visually-hidden"> of the call to {c.dest_number}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="portal-pager" aria-label="Pages of calls">
          <button
            type="button"
            className="portal-button portal-button--secondary"
            disabled={cursors.length === 0}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Newer
          </button>
          <button
            type="button"
            className="portal-button portal-button--secondary"
            disabled={!q.data?.next}
            onClick={() => q.data?.next && setCursors((c) => [...c, q.data.next!])}
          >
            Older
          </button>
        </nav>
      </section>
      <SimulateForm />
    </>
  );
}
