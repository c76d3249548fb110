import { useMutation } from '@tanstack/react-query';
import { api } from '../../../ui/api.ts';
import { errorMessage, keys, queryClient } from '../queries.ts';
import './ImpersonationBanner.css';

/** Shown on every page of a session an operator opened with "log in as", with a way to end it. */
export function ImpersonationBanner({ operator, contact }: { operator: string; contact: string }) {
  const end = useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout'),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: keys.portal });
      queryClient.setQueryData(keys.me, null);
      // Opened from the Control Panel in its own tab: close it when the browser allows, else show sign-in.
      window.close();
    },
  });
  return (
    <section className="portal-impersonation-banner" aria-label="Signed in from the Control Panel">
      <span>
        Signed in by {operator} as {contact}
      </span>
      <button
        type="button"
        className="portal-button portal-button--secondary"
        onClick={() => {
          if (!end.isPending) end.mutate();
        }}
        aria-disabled={end.isPending || undefined}
      >
        {end.isPending ? 'Ending…' : 'End this session'}
      </button>
      {end.isError ? <span role="alert">{errorMessage(end.error)}</span> : null}
    </section>
  );
}
