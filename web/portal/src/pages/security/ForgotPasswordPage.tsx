import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../../../ui/api.ts';
import { errorMessage } from '../../queries.ts';
import { PublicPage } from './PublicPage.tsx';

/** "Forgot password": asks for the email; the answer is the same whether an account exists or not. */
export default function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const send = useMutation({
    mutationFn: (body: { email: string }) =>
      api.post<{ message: string }>('/api/v1/auth/password/forgot', body),
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!send.isPending) send.mutate({ email: email.trim() });
  };
  return (
    <PublicPage title="Reset your password">
      {send.isSuccess ? (
        <>
          <p className="portal-form-success" role="status">
            {send.data.message}
          </p>
          <p className="portal-help">
            The link works once and expires in 1 hour. Check your spam folder too.
          </p>
        </>
      ) : (
        <form className="portal-form portal-forgot-form" onSubmit={onSubmit}>
          <p className="portal-help">
            Enter the email you sign in with. We will send you a link to choose a new password.
          </p>
          <div className="portal-field">
            <label className="portal-label" htmlFor="portal-forgot-email">
              Email
            </label>
            <input
              id="portal-forgot-email"
              className="portal-input"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
            {send.isError ? errorMessage(send.error) : null}
          </div>
          <button
            type="submit"
            className="portal-button portal-button--primary portal-button--block"
            aria-disabled={send.isPending || undefined}
          >
            {send.isPending ? 'Sending…' : 'Send the link'}
          </button>
        </form>
      )}
      <p>
        <Link className="portal-link" to="/login">
          Back to sign in
        </Link>
      </p>
    </PublicPage>
  );
}
