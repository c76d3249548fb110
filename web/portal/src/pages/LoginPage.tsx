import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiFailure, api } from '../../../ui/api.ts';
import { BrandMark } from '../components/BrandMark.tsx';
import { Footer } from '../components/Footer.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { errorMessage, meQuery, queryClient, useBrand, useMe } from '../queries.ts';
import type { PortalUser } from '../types.ts';

function loginError(error: unknown): string {
  if (error instanceof ApiFailure) {
    if (error.status === 401) return error.body.message || 'The email or password is incorrect.';
    if (error.status === 429)
      return error.body.message || 'Too many attempts. Please wait a moment and try again.';
  }
  return errorMessage(error, 'Could not sign in. Please try again.');
}

export function LoginPage() {
  const brand = useBrand();
  const me = useMe();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [cookieProblem, setCookieProblem] = useState(false);

  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api.post<{ user: PortalUser }>('/api/v1/auth/login', body),
    onSuccess: async () => {
      setCookieProblem(false);
      // Load the session; once /me answers 200 this page redirects to where the visitor was going.
      const session = await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
      if (!session) setCookieProblem(true);
    },
  });

  const from = (location.state as { from?: unknown } | null)?.from;
  if (me.data)
    return (
      <Navigate
        to={typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/'}
        replace
      />
    );

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (login.isPending) return;
    login.mutate({ email: email.trim(), password });
  };

  let error: string | null = null;
  if (login.isError) error = loginError(login.error);
  else if (cookieProblem)
    error = 'You were signed in, but the session was not kept. Allow cookies for this site.';
  const busy = login.isPending || (login.isSuccess && !cookieProblem);

  return (
    <div className="portal-login">
      <header className="portal-login-header">
        <BrandMark brand={brand.isError && !brand.data ? null : brand.data} />
      </header>
      <main className="portal-login-main" id="portal-main">
        <div className="portal-card portal-login-card">
          <PageTitle title="Sign in" focus={false} />
          <form className="portal-form portal-login-form" onSubmit={onSubmit}>
            <div className="portal-field">
              <label className="portal-label" htmlFor="portal-login-email">
                Email
              </label>
              <input
                id="portal-login-email"
                className="portal-input"
                type="email"
                name="email"
                autoComplete="username"
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            </div>
            <div className="portal-field">
              <label className="portal-label" htmlFor="portal-login-password">
                Password
              </label>
              <input
                id="portal-login-password"
                className="portal-input"
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            </div>
            <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
              {error}
            </div>
            <button
              type="submit"
              className="portal-button portal-button--primary portal-button--block"
              aria-disabled={busy || undefined}
            >
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        </div>
      </main>
      <Footer text={brand.data?.footer} />
    </div>
  );
}
