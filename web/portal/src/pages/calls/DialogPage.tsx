/** Dialog: calls in progress, refreshed every 5 seconds, with durations ticking every second. */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import type { LiveCallDto, Page } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { Pager } from '../../components/Pager.tsx';
import '../../components/charts/charts.css';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage } from '../../queries.ts';
import { formatDuration } from './format.ts';

const PAGE_SIZE = 50;

export default function DialogPage() {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [now, setNow] = useState(() => Date.now());
  const q = useQuery({
    queryKey: ['portal', 'live-calls', query, page],
    queryFn: async () => {
      const qs = new URLSearchParams({ page: String(page), page_size: String(PAGE_SIZE) });
      if (query) qs.set('q', query);
      const sent = Date.now();
      const data = await api.get<Page<LiveCallDto> & { server_time: string }>(
        `/api/v1/portal/live-calls?${qs}`,
      );
      // The browser's clock may differ from the server's: keep the offset so durations stay right.
      return { ...data, offset: Date.parse(data.server_time) - (sent + Date.now()) / 2 };
    },
    refetchInterval: 5000,
    placeholderData: (prev) => prev,
  });
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setQuery(search.trim());
  };
  const d = q.data;
  const serverNow = now + (d?.offset ?? 0);
  const pages = d ? Math.max(1, Math.ceil(d.total / PAGE_SIZE)) : 1;

  return (
    <>
      <PageTitle title="Dialog" />
      <p className="portal-page-intro">
        Calls in progress right now. The list refreshes by itself every few seconds.
      </p>
      <section className="portal-card portal-stack" aria-labelledby="portal-dialog-title">
        <h2 className="portal-card-title" id="portal-dialog-title">
          Live calls{d ? ` (${d.total})` : ''}
        </h2>
        <form className="portal-toolbar" onSubmit={submit}>
          <div className="portal-field">
            <label className="portal-label" htmlFor="dialog-q">
              Number or destination
            </label>
            <input
              id="dialog-q"
              className="portal-input"
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
          <button type="submit" className="portal-button portal-button--primary">
            Filter
          </button>
        </form>
        {q.isError ? (
          <ErrorPanel
            message={errorMessage(q.error, 'The live calls could not be loaded.')}
            onRetry={() => void q.refetch()}
            retrying={q.isFetching}
          />
        ) : null}
        {!d ? (
          q.isError ? null : (
            <PageLoading label="Loading live calls…" />
          )
        ) : d.items.length === 0 ? (
          <p className="portal-empty" role="status">
            {query ? 'No live call matches this search.' : 'No calls in progress.'}
          </p>
        ) : (
          <div className="portal-table-scroll">
            <table className="portal-data-table portal-dialog-table">
              <caption className="portal-visually-hidden">Calls in progress</caption>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Destination</th>
                  <th scope="col">State</th>
                  <th scope="col">Started</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((c) => (
                  <tr key={c.call_id} data-call-id={c.call_id}>
                    <td>{c.cli || '—'}</td>
                    <td>{c.dest_number}</td>
                    <td>{c.dest_name || '—'}</td>
                    <td>{c.state === 'answered' ? 'Answered' : 'Ringing'}</td>
                    <td>{new Date(c.started_at).toLocaleTimeString()}</td>
                    <td className="portal-dialog-duration">
                      {formatDuration((serverNow - Date.parse(c.answered_at ?? c.started_at)) / 1000)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={page} pages={pages} onPage={setPage} label="Pages of live calls" />
      </section>
    </>
  );
}
