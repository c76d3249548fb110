import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiFailure, api } from '../../../../ui/api.ts';
import { errorMessage, meQuery, queryClient } from '../../queries.ts';
import { PublicPage } from './PublicPage.tsx';

/** The second sign-in step: a code from the authenticator app, or one of the recovery codes. */
export function MfaStep({ mfaToken, onRestart }: { mfaToken: string; onRestart: () => void }) {
  const [code, setCode] = useState('');
  const verify = useMutation({
    mutationFn: (body: { mfa_token: string; code: string }) => api.post('/api/v1/auth/login/mfa', body),
    onSuccess: () => queryClient.fetchQuery({ ...meQuery, staleTime: 0 }),
    onError: () => setCode(''),
  });
  const expired = verify.error instanceof ApiFailure && verify.error.body.error === 'mfa_expired';
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!verify.isPending) verify.mutate({ mfa_token: mfaToken, code: code.trim() });
  };
  return (
    <PublicPage title="Two-factor sign-in">
      <form className="portal-form portal-mfa-form" onSubmit={onSubmit}>
        <div className="portal-field">
          <label className="portal-label" htmlFor="portal-mfa-code">
            Code from your authenticator app
          </label>
          <input
            id="portal-mfa-code"
            className="portal-input"
            inputMode="text"
            autoComplete="one-time-code"
            required
            aria-describedby="portal-mfa-help"
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
          <p className="portal-help" id="portal-mfa-help">
            Enter the 6-digit code, or one of your recovery codes if you do not have your device.
          </p>
        </div>
        <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
          {verify.isError ? errorMessage(verify.error) : null}
        </div>
        {expired ? (
          <button
            type="button"
            className="portal-button portal-button--primary portal-button--block"
            onClick={onRestart}
          >
            Sign in again
          </button>
        ) : (
          <button
            type="submit"
            className="portal-button portal-button--primary portal-button--block"
            aria-disabled={verify.isPending || verify.isSuccess || undefined}
          >
            {verify.isPending || verify.isSuccess ? 'Checking…' : 'Verify'}
          </button>
        )}
      </form>
      <button type="button" className="portal-button portal-button--secondary" onClick={onRestart}>
        Use another account
      </button>
    </PublicPage>
  );
}
