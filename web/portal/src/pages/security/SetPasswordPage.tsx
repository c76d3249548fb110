import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../../../../ui/api.ts';
import { errorMessage } from '../../queries.ts';
import { PublicPage, tokenFromHash } from './PublicPage.tsx';

const MIN = 10;

/** Choosing a password from an invitation (/set-password) or a reset mail (/reset-password). */
export default function SetPasswordPage({ mode }: { mode: 'invite' | 'reset' }) {
  const location = useLocation();
  const [token] = useState(() => tokenFromHash(location.hash));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const save = useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      api.post<{ email: string }>('/api/v1/auth/password/set', body),
  });
  const title = mode === 'invite' ? 'Choose your password' : 'Choose a new password';

  if (!token) {
    return (
      <PublicPage title={title}>
        <p className="portal-error" role="alert">
          This link is incomplete. Open it again from the email, or ask for a new one.
        </p>
        <Link className="portal-link" to="/forgot-password">
          Ask for a new link
        </Link>
      </PublicPage>
    );
  }

  if (save.isSuccess) {
    return (
      <PublicPage title={title}>
        <p className="portal-form-success" role="status">
          Your password is set{mode === 'reset' ? ' and you were signed out everywhere' : ''}. Sign in with{' '}
          {save.data.email}.
        </p>
        <Link className="portal-button portal-button--primary portal-button--block" to="/login">
          Sign in
        </Link>
      </PublicPage>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    save.mutate({ token, password });
  };
  const error = mismatch
    ? 'The two passwords are not the same.'
    : save.isError
      ? errorMessage(save.error)
      : null;
  return (
    <PublicPage title={title}>
      <form className="portal-form portal-set-password-form" onSubmit={onSubmit}>
        <div className="portal-field">
          <label className="portal-label" htmlFor="portal-new-password">
            New password
          </label>
          <input
            id="portal-new-password"
            className="portal-input"
            type="password"
            autoComplete="new-password"
            minLength={MIN}
            required
            aria-describedby="portal-new-password-help"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <p className="portal-help" id="portal-new-password-help">
            At least {MIN} characters.
          </p>
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor="portal-confirm-password">
            Repeat the password
          </label>
          <input
            id="portal-confirm-password"
            className="portal-input"
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
          />
        </div>
        <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
          {error}
        </div>
        <button
          type="submit"
          className="portal-button portal-button--primary portal-button--block"
          aria-disabled={save.isPending || undefined}
        >
          {save.isPending ? 'Saving…' : 'Set password'}
        </button>
      </form>
    </PublicPage>
  );
}
