import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage, keys, queryClient } from '../../queries.ts';
import { useSession } from '../../session.ts';
import '../security/security.css';

interface Profile {
  id: string;
  name: string;
  email: string;
  phone: string;
  time_zone: string;
}

const profileKey = ['portal', 'profile'] as const;

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return Array.from(new Set(['UTC', current, ...all]));
}

function ProfileForm({ profile }: { profile: Profile }) {
  const [name, setName] = useState(profile.name);
  const [phone, setPhone] = useState(profile.phone);
  const [timeZone, setTimeZone] = useState(profile.time_zone);
  const save = useMutation({
    mutationFn: (body: Partial<Profile>) => api.patch<Profile>('/api/v1/portal/profile', body),
    onSuccess: (saved) => {
      queryClient.setQueryData(profileKey, saved);
      void queryClient.invalidateQueries({ queryKey: keys.me });
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!save.isPending) save.mutate({ name: name.trim(), phone: phone.trim(), time_zone: timeZone });
  };
  return (
    <section className="portal-card portal-stack portal-profile" aria-labelledby="portal-profile-title">
      <h2 className="portal-card-title" id="portal-profile-title">
        Your details
      </h2>
      <form className="portal-form" onSubmit={onSubmit}>
        <div className="portal-field">
          <label className="portal-label" htmlFor="portal-profile-email">
            Email (sign-in)
          </label>
          <input id="portal-profile-email" className="portal-input" value={profile.email} readOnly />
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor="portal-profile-name">
            Name
          </label>
          <input
            id="portal-profile-name"
            className="portal-input"
            required
            maxLength={200}
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor="portal-profile-phone">
            Phone
          </label>
          <input
            id="portal-profile-phone"
            className="portal-input"
            type="tel"
            maxLength={40}
            autoComplete="tel"
            value={phone}
            onChange={(event) => setPhone(event.target.value)}
          />
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor="portal-profile-tz">
            Time zone
          </label>
          <select
            id="portal-profile-tz"
            className="portal-input"
            value={timeZone}
            onChange={(event) => setTimeZone(event.target.value)}
          >
            {timeZones(profile.time_zone).map((tz) => (
              <option key={tz} value={tz}>
                {tz}
              </option>
            ))}
          </select>
        </div>
        <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
          {save.isError ? errorMessage(save.error) : null}
        </div>
        <p className="portal-form-success" role="status">
          {save.isSuccess && !save.isPending ? 'Your details are saved.' : ''}
        </p>
        <div>
          <button
            type="submit"
            className="portal-button portal-button--primary"
            aria-disabled={save.isPending || undefined}
          >
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </section>
  );
}

function PasswordForm() {
  const me = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      api.post<void>('/api/v1/portal/profile/password', body),
    onSuccess: () => {
      setCurrent('');
      setNext('');
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!change.isPending) change.mutate({ current_password: current, new_password: next });
  };
  return (
    <section className="portal-card portal-stack portal-password" aria-labelledby="portal-password-title">
      <h2 className="portal-card-title" id="portal-password-title">
        Password
      </h2>
      {me.impersonator ? (
        <p className="portal-notice portal-notice--warning">
          The password cannot be changed in a session opened from the Control Panel.
        </p>
      ) : (
        <form className="portal-form" onSubmit={onSubmit}>
          <input type="text" hidden readOnly autoComplete="username" value={me.user.email} />
          <div className="portal-field">
            <label className="portal-label" htmlFor="portal-current-password">
              Current password
            </label>
            <input
              id="portal-current-password"
              className="portal-input"
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          </div>
          <div className="portal-field">
            <label className="portal-label" htmlFor="portal-next-password">
              New password
            </label>
            <input
              id="portal-next-password"
              className="portal-input"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
              aria-describedby="portal-next-password-help"
              value={next}
              onChange={(event) => setNext(event.target.value)}
            />
            <p className="portal-help" id="portal-next-password-help">
              At least 10 characters. Your other sessions end when you change it.
            </p>
          </div>
          <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
            {change.isError ? errorMessage(change.error) : null}
          </div>
          <p className="portal-form-success" role="status">
            {change.isSuccess ? 'Your password is changed. Your other sessions were signed out.' : ''}
          </p>
          <div>
            <button
              type="submit"
              className="portal-button portal-button--primary"
              aria-disabled={change.isPending || undefined}
            >
              {change.isPending ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** My profile: name, phone, time zone and the password. */
export default function ProfilePage() {
  const profile = useQuery({
    queryKey: profileKey,
    queryFn: () => api.get<Profile>('/api/v1/portal/profile'),
  });
  return (
    <>
      <PageTitle title="Profile" />
      {profile.isPending ? (
        <PageLoading label="Loading your profile…" />
      ) : profile.isError ? (
        <ErrorPanel message={errorMessage(profile.error)} onRetry={() => void profile.refetch()} />
      ) : (
        <div className="portal-account-grid">
          <ProfileForm profile={profile.data} />
          <PasswordForm />
        </div>
      )}
    </>
  );
}
