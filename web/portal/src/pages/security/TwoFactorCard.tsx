import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { errorMessage, queryClient } from '../../queries.ts';
import { type SecurityState, securityKey } from './SecurityPage.tsx';

interface Setup {
  secret: string;
  otpauth_url: string;
  qr_code: string;
}

function CodeField({
  id,
  value,
  onChange,
  label,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  label: string;
}) {
  return (
    <div className="portal-field">
      <label className="portal-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="portal-input"
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="portal-stack">
      <p className="portal-form-success" role="status">
        Two-factor sign-in is on.
      </p>
      <p>
        Save these recovery codes somewhere safe. Each one signs you in once if you lose your device. They are
        shown only now.
      </p>
      <ul className="portal-recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div>
        <button type="button" className="portal-button portal-button--primary" onClick={onDone}>
          I saved them
        </button>
      </div>
    </div>
  );
}

function Enrol({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const setup = useMutation({ mutationFn: () => api.post<Setup>('/api/v1/portal/security/totp/setup') });
  const enable = useMutation({
    mutationFn: (body: { code: string }) =>
      api.post<{ recovery_codes: string[] }>('/api/v1/portal/security/totp/enable', body),
    onSuccess: (r) => onEnabled(r.recovery_codes),
  });
  if (!setup.data) {
    return (
      <div className="portal-stack">
        <p>
          Protect your account with a code from an authenticator app (such as Google Authenticator, Microsoft
          Authenticator or 1Password) each time you sign in.
        </p>
        <div className="portal-form-error" aria-live="assertive">
          {setup.isError ? errorMessage(setup.error) : null}
        </div>
        <div>
          <button
            type="button"
            className="portal-button portal-button--primary"
            onClick={() => {
              if (!setup.isPending) setup.mutate();
            }}
            aria-disabled={setup.isPending || undefined}
          >
            {setup.isPending ? 'Preparing…' : 'Set up two-factor sign-in'}
          </button>
        </div>
      </div>
    );
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!enable.isPending) enable.mutate({ code: code.trim() });
  };
  return (
    <form className="portal-form portal-totp-setup" onSubmit={onSubmit}>
      <p>1. Scan this QR code with your authenticator app.</p>
      <img className="portal-qr" src={setup.data.qr_code} alt="QR code for your authenticator app" />
      <p className="portal-help">
        Cannot scan it? Enter this key instead: <span className="portal-secret">{setup.data.secret}</span>
      </p>
      <p>2. Enter the 6-digit code the app shows.</p>
      <CodeField id="portal-totp-enable-code" label="Code" value={code} onChange={setCode} />
      <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
        {enable.isError ? errorMessage(enable.error) : null}
      </div>
      <div>
        <button
          type="submit"
          className="portal-button portal-button--primary"
          aria-disabled={enable.isPending || undefined}
        >
          {enable.isPending ? 'Checking…' : 'Turn on'}
        </button>
      </div>
    </form>
  );
}

function Disable() {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [open, setOpen] = useState(false);
  const disable = useMutation({
    mutationFn: (body: { password: string; code: string }) =>
      api.post<void>('/api/v1/portal/security/totp/disable', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: securityKey }),
  });
  if (!open) {
    return (
      <div>
        <button
          type="button"
          className="portal-button portal-button--secondary"
          onClick={() => setOpen(true)}
        >
          Turn off two-factor sign-in
        </button>
      </div>
    );
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!disable.isPending) disable.mutate({ password, code: code.trim() });
  };
  return (
    <form className="portal-form portal-totp-disable" onSubmit={onSubmit}>
      <div className="portal-field">
        <label className="portal-label" htmlFor="portal-totp-disable-password">
          Password
        </label>
        <input
          id="portal-totp-disable-password"
          className="portal-input"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </div>
      <CodeField
        id="portal-totp-disable-code"
        label="Code (or a recovery code)"
        value={code}
        onChange={setCode}
      />
      <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
        {disable.isError ? errorMessage(disable.error) : null}
      </div>
      <div className="portal-actions">
        <button
          type="submit"
          className="portal-button portal-button--primary"
          aria-disabled={disable.isPending || undefined}
        >
          {disable.isPending ? 'Turning off…' : 'Turn off'}
        </button>
        <button
          type="button"
          className="portal-button portal-button--secondary"
          onClick={() => setOpen(false)}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Two-factor sign-in: enrol (QR code, first code, recovery codes once) or turn off. */
export function TwoFactorCard({ state }: { state: SecurityState }) {
  const [codes, setCodes] = useState<string[] | null>(null);
  let body: ReactNode;
  if (state.impersonated) {
    body = (
      <p className="portal-notice portal-notice--warning">
        Two-factor sign-in cannot be changed in a session opened from the Control Panel. It is{' '}
        {state.totp_enabled ? 'on' : 'off'}.
      </p>
    );
  } else if (codes) {
    body = (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          void queryClient.invalidateQueries({ queryKey: securityKey });
        }}
      />
    );
  } else if (state.totp_enabled) {
    body = (
      <div className="portal-stack">
        <p>
          Two-factor sign-in is <strong>on</strong>
          {state.totp_enabled_at ? ` since ${new Date(state.totp_enabled_at).toLocaleDateString()}` : ''}.{' '}
          {state.recovery_codes_left} of 10 recovery codes left.
        </p>
        <Disable />
      </div>
    );
  } else {
    body = <Enrol onEnabled={setCodes} />;
  }
  return (
    <section className="portal-card portal-stack portal-two-factor" aria-labelledby="portal-two-factor-title">
      <h2 className="portal-card-title" id="portal-two-factor-title">
        Two-factor sign-in
      </h2>
      {body}
    </section>
  );
}
