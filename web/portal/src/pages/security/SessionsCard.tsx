import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { Pager } from '../../components/Pager.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage, queryClient } from '../../queries.ts';

interface SessionItem {
  id: string;
  current: boolean;
  ip: string;
  user_agent: string;
  created_at: string;
  last_seen_at: string;
  opened_by_operator: string | null;
}

interface SessionPage {
  items: SessionItem[];
  total: number;
  page: number;
  page_size: number;
}

const PAGE_SIZE = 10;
const sessionsKey = ['portal', 'sessions'] as const;

/** A short device description from a user agent string. */
export function describeAgent(ua: string): string {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  return browser && os ? `${browser} on ${os}` : ua.slice(0, 60);
}

const when = (iso: string) => new Date(iso).toLocaleString();

/** My sessions: device, address, created, last seen; end one or all the others. */
export function SessionsCard() {
  const [page, setPage] = useState(1);
  const sessions = useQuery({
    queryKey: [...sessionsKey, page],
    queryFn: () => api.get<SessionPage>(`/api/v1/portal/sessions?page=${page}&page_size=${PAGE_SIZE}`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: sessionsKey });
  const revoke = useMutation({
    mutationFn: (id: string) => api.del<void>(`/api/v1/portal/sessions/${encodeURIComponent(id)}`),
    onSuccess: refresh,
  });
  const revokeOthers = useMutation({
    mutationFn: () => api.post<{ revoked: number }>('/api/v1/portal/sessions/revoke-others'),
    onSuccess: () => {
      setPage(1);
      return refresh();
    },
  });
  const data = sessions.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const error = revoke.error ?? revokeOthers.error;

  return (
    <section className="portal-card portal-stack portal-sessions" aria-labelledby="portal-sessions-title">
      <h2 className="portal-card-title" id="portal-sessions-title">
        Sessions
      </h2>
      <p className="portal-help">Where you are signed in. End any session you do not recognise.</p>
      {sessions.isPending ? (
        <PageLoading label="Loading sessions…" />
      ) : sessions.isError ? (
        <ErrorPanel message={errorMessage(sessions.error)} onRetry={() => void sessions.refetch()} />
      ) : data && data.items.length === 0 ? (
        <p className="portal-empty">No sessions.</p>
      ) : (
        <div className="portal-table-wrap">
          <table className="portal-sessions-table">
            <caption className="portal-visually-hidden">Your sessions</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
                <th scope="col">
                  <span className="portal-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data?.items.map((s) => (
                <tr key={s.id} className={s.current ? 'portal-session--current' : undefined}>
                  <td>
                    <span title={s.user_agent}>{describeAgent(s.user_agent)}</span>
                    {s.current ? <span className="portal-badge">This session</span> : null}
                    {s.opened_by_operator ? (
                      <span className="portal-badge">Opened by {s.opened_by_operator}</span>
                    ) : null}
                  </td>
                  <td>{s.ip || '—'}</td>
                  <td>{when(s.created_at)}</td>
                  <td>{when(s.last_seen_at)}</td>
                  <td>
                    {s.current ? null : (
                      <button
                        type="button"
                        className="portal-button portal-button--secondary"
                        aria-label={`End the session of ${describeAgent(s.user_agent)} from ${s.ip || 'unknown address'}`}
                        onClick={() => {
                          if (!revoke.isPending) revoke.mutate(s.id);
                        }}
                      >
                        End
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} onPage={setPage} label="Sessions pages" />
      <div className="portal-form-error" aria-live="assertive">
        {error ? errorMessage(error) : null}
      </div>
      <p className="portal-form-success" role="status">
        {revokeOthers.isSuccess ? `${revokeOthers.data.revoked} other session(s) ended.` : ''}
      </p>
      {data && data.total > 1 ? (
        <div>
          <button
            type="button"
            className="portal-button portal-button--secondary"
            onClick={() => {
              if (!revokeOthers.isPending) revokeOthers.mutate();
            }}
            aria-disabled={revokeOthers.isPending || undefined}
          >
            {revokeOthers.isPending ? 'Ending…' : 'End all other sessions'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
