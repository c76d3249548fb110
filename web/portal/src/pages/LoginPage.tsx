import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { ApiFailure, api } from '../../../ui/api.ts';
import { BrandMark } from '../components/BrandMark.tsx';
import { Footer } from '../components/Footer.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { errorMessage, meQuery, queryClient, useBrand, useMe } from '../queries.ts';
import type { PortalUser } from '../types.ts';
import { MfaStep } from './security/MfaStep.tsx';

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

  // Set when the password was right and the account asks for a two-factor code.
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api.post<{ user?: PortalUser; mfa_required?: boolean; mfa_token?: string }>('/api/v1/auth/login', body),
    onSuccess: async (answer) => {
      if (answer.mfa_required && answer.mfa_token) {
        setMfaToken(answer.mfa_token);
        setPassword('');
        return;
      }
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
  const busy = login.isPending || (login.isSuccess && !cookieProblem && !mfaToken);

  if (mfaToken) {
    return (
      <MfaStep
        mfaToken={mfaToken}
        onRestart={() => {
          setMfaToken(null);
          login.reset();
        }}
      />
    );
  }

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
          <p className="portal-login-forgot">
            <Link className="portal-link" to="/forgot-password">
              Forgot your password?
            </Link>
          </p>
          {brand.data?.customer_signup || brand.data?.carrier_signup ? (
            <p className="portal-login-signup">
              New here?{' '}
              <Link className="portal-link" to="/signup">
                Create an account
              </Link>
            </p>
          ) : null}
        </div>
      </main>
      <Footer text={brand.data?.footer} />
    </div>
  );
}
