import { Navigate, Outlet, useLocation } from 'react-router';
import { errorMessage, useMe } from '../queries.ts';
import { SessionContext } from '../session.ts';
import { Shell } from './Shell.tsx';
import { ErrorPanel, FullPage, PageLoading } from './Status.tsx';

/** Everything behind the login: 401 from /api/v1/me sends the visitor to /login, and back after. */
export function SessionGate() {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <FullPage>
        <PageLoading label="Loading your account…" />
      </FullPage>
    );
  }
  if (me.data === undefined) {
    return (
      <FullPage>
        <h1 className="portal-page-title">Your account could not be loaded</h1>
        <ErrorPanel
          message={errorMessage(me.error)}
          onRetry={() => void me.refetch()}
          retrying={me.isFetching}
        />
      </FullPage>
    );
  }
  if (me.data === null) {
    const from = location.pathname + location.search;
    return <Navigate to="/login" replace state={from === '/' ? undefined : { from }} />;
  }
  return (
    <SessionContext value={me.data}>
      <Shell>
        <Outlet />
      </Shell>
    </SessionContext>
  );
}
