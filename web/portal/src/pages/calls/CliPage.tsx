/** CLI: the account's caller ID rules and, in plain words, what they do. */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Page } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { Pager } from '../../components/Pager.tsx';
import '../../components/charts/charts.css';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage } from '../../queries.ts';

interface CliRule {
  id: string;
  kind: 'forced' | 'allow';
  pattern: string;
  replacement: string;
  created_at: string;
}

const PAGE_SIZE = 25;

export default function CliPage() {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['portal', 'cli', query, page],
    queryFn: () => {
      const qs = new URLSearchParams({ page: String(page), page_size: String(PAGE_SIZE) });
      if (query) qs.set('q', query);
      return api.get<Page<CliRule> & { explanation: string[] }>(`/api/v1/portal/cli?${qs}`);
    },
    placeholderData: (prev) => prev,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setQuery(search.trim());
  };
  const d = q.data;
  const pages = d ? Math.max(1, Math.ceil(d.total / PAGE_SIZE)) : 1;

  return (
    <>
      <PageTitle title="CLI" />
      <p className="portal-page-intro">
        Caller ID (CLI) rules decide which caller IDs your calls may present.
      </p>
      {q.isError ? (
        <ErrorPanel
          message={errorMessage(q.error, 'The rules could not be loaded.')}
          onRetry={() => void q.refetch()}
          retrying={q.isFetching}
        />
      ) : !d ? (
        <PageLoading label="Loading caller ID rules…" />
      ) : (
        <>
          <section className="portal-card portal-cli-explanation" aria-labelledby="portal-cli-effect">
            <h2 className="portal-card-title" id="portal-cli-effect">
              What your rules do
            </h2>
            {d.explanation.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </section>
          <section className="portal-card portal-stack" aria-labelledby="portal-cli-rules">
            <h2 className="portal-card-title" id="portal-cli-rules">
              Rules ({d.total})
            </h2>
            <form className="portal-toolbar" onSubmit={submit}>
              <div className="portal-field">
                <label className="portal-label" htmlFor="cli-q">
                  Search numbers
                </label>
                <input
                  id="cli-q"
                  className="portal-input"
                  type="search"
                  value={search}
                  onChange={(e) => setSearch(e.target.value)}
                />
              </div>
              <button type="submit" className="portal-button portal-button--primary">
                Search
              </button>
            </form>
            {d.items.length === 0 ? (
              <p className="portal-empty" role="status">
                {query ? 'No rule matches this search.' : 'There are no caller ID rules on your account.'}
              </p>
            ) : (
              <div className="portal-table-scroll">
                <table className="portal-data-table">
                  <thead>
                    <tr>
                      <th scope="col">Type</th>
                      <th scope="col">Caller IDs</th>
                      <th scope="col">Presented as</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.items.map((r) => (
                      <tr key={r.id}>
                        <td>{r.kind === 'forced' ? 'Forced' : 'Allow list'}</td>
                        <td>{r.pattern}</td>
                        <td>{r.kind === 'forced' ? r.replacement : 'Unchanged'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager page={page} pages={pages} onPage={setPage} label="Pages of rules" />
          </section>
        </>
      )}
    </>
  );
}
