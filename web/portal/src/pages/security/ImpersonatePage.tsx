import { useEffect, useRef, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { api } from '../../../../ui/api.ts';
import { PageLoading } from '../../components/Status.tsx';
import { errorMessage, keys, queryClient } from '../../queries.ts';
import { PublicPage, tokenFromHash } from './PublicPage.tsx';

/** The landing page of the console's "log in as" link: exchanges its one-time token for a session. */
export default function ImpersonatePage() {
  const location = useLocation();
  const [token] = useState(() => tokenFromHash(location.hash));
  const [state, setState] = useState<'working' | 'done' | { error: string }>(
    token ? 'working' : { error: 'This link is incomplete. Open it again from the Control Panel.' },
  );
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    // Drop the token from the address bar and history at once.
    window.history.replaceState(null, '', '/impersonate');
    api
      .post('/api/v1/auth/impersonate', { token })
      .then(async () => {
        queryClient.removeQueries({ queryKey: keys.portal });
        await queryClient.invalidateQueries({ queryKey: keys.me });
        setState('done');
      })
      .catch((error: unknown) => setState({ error: errorMessage(error) }));
  }, [token]);

  if (state === 'done') return <Navigate to="/" replace />;
  return (
    <PublicPage title="Opening the portal">
      {state === 'working' ? (
        <PageLoading label="Signing in as the contact…" />
      ) : (
        <p className="portal-error" role="alert">
          {state.error}
        </p>
      )}
    </PublicPage>
  );
}
