/**
 * The brand's sign-up form (GET/POST /api/v1/portal/signup). It carries the form token the server issued
 * (minimum fill time) and a honeypot field; the answer is the same whether or not the email is known.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { countryName } from '../../../../../common/countries.ts';
import { ApiFailure, api } from '../../../../ui/api.ts';
import { BrandMark } from '../../components/BrandMark.tsx';
import { Footer } from '../../components/Footer.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage, useBrand } from '../../queries.ts';
import { Field } from './fields.tsx';
import './signup.css';

interface SignupForm {
  types: Array<'customer' | 'carrier'>;
  currencies: string[];
  countries: string[];
  form_token: string;
  min_password_length: number;
}

interface Values {
  type: 'customer' | 'carrier';
  company_name: string;
  contact_name: string;
  email: string;
  password: string;
  phone: string;
  country: string;
  currency: string;
  website: string;
}

const EMPTY: Values = {
  type: 'customer',
  company_name: '',
  contact_name: '',
  email: '',
  password: '',
  phone: '',
  country: '',
  currency: '',
  website: '',
};

function SignupFields({ form, onDone }: { form: SignupForm; onDone: (email: string) => void }) {
  const [values, setValues] = useState<Values>({
    ...EMPTY,
    type: form.types[0] ?? 'customer',
    currency: form.currencies[0] ?? '',
  });
  const countries = useMemo(
    () =>
      form.countries
        .map((code) => ({ code, name: countryName(code) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [form.countries],
  );
  const submit = useMutation({
    mutationFn: (body: Values & { form_token: string }) =>
      api.post<{ message: string }>('/api/v1/portal/signup', body),
    onSuccess: () => onDone(values.email.trim()),
  });

  const failure = submit.error instanceof ApiFailure ? submit.error : null;
  const fieldError = (name: keyof Values) => (failure?.body.field === name ? failure.body.message : null);
  const generalError =
    submit.isError && !failure?.body.field
      ? failure?.status === 429
        ? failure.body.message
        : errorMessage(submit.error, 'Your sign-up could not be sent. Please try again.')
      : null;
  const set = (name: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: e.target.value }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submit.isPending) return;
    submit.mutate({ ...values, form_token: form.form_token });
  };

  return (
    <form className="portal-form portal-signup-form" onSubmit={onSubmit} noValidate>
      {form.types.length > 1 ? (
        <Field id="signup-type" label="Account type">
          {(aria) => (
            <select className="portal-input" {...aria} value={values.type} onChange={set('type')}>
              <option value="customer">Customer (buy voice services)</option>
              <option value="carrier">Carrier (supply voice services)</option>
            </select>
          )}
        </Field>
      ) : null}
      <Field id="signup-company" label="Company name" error={fieldError('company_name')}>
        {(aria) => (
          <input
            className="portal-input"
            {...aria}
            name="company_name"
            autoComplete="organization"
            required
            maxLength={200}
            value={values.company_name}
            onChange={set('company_name')}
          />
        )}
      </Field>
      <Field id="signup-name" label="Your name" error={fieldError('contact_name')}>
        {(aria) => (
          <input
            className="portal-input"
            {...aria}
            name="contact_name"
            autoComplete="name"
            required
            maxLength={200}
            value={values.contact_name}
            onChange={set('contact_name')}
          />
        )}
      </Field>
      <Field id="signup-email" label="Email" error={fieldError('email')}>
        {(aria) => (
          <input
            className="portal-input"
            {...aria}
            type="email"
            name="email"
            autoComplete="email"
            required
            maxLength={254}
            value={values.email}
            onChange={set('email')}
          />
        )}
      </Field>
      <Field
        id="signup-password"
        label="Password"
        hint={`At least ${form.min_password_length} characters; common passwords are refused.`}
        error={fieldError('password')}
      >
        {(aria) => (
          <input
            className="portal-input"
            {...aria}
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={form.min_password_length}
            maxLength={1024}
            value={values.password}
            onChange={set('password')}
          />
        )}
      </Field>
      <Field
        id="signup-phone"
        label="Phone"
        hint="International format, e.g. +44 20 7946 0000"
        error={fieldError('phone')}
      >
        {(aria) => (
          <input
            className="portal-input"
            {...aria}
            type="tel"
            name="phone"
            autoComplete="tel"
            required
            maxLength={40}
            value={values.phone}
            onChange={set('phone')}
          />
        )}
      </Field>
      <div className="portal-signup-row">
        <Field id="signup-country" label="Country" error={fieldError('country')}>
          {(aria) => (
            <select
              className="portal-input"
              {...aria}
              name="country"
              autoComplete="country"
              required
              value={values.country}
              onChange={set('country')}
            >
              <option value="">Choose…</option>
              {countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="signup-currency" label="Currency" error={fieldError('currency')}>
          {(aria) => (
            <select
              className="portal-input"
              {...aria}
              name="currency"
              value={values.currency}
              onChange={set('currency')}
            >
              {form.currencies.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="portal-signup-trap" aria-hidden="true">
        <label htmlFor="signup-website">Website (leave empty)</label>
        <input
          id="signup-website"
          name="website"
          tabIndex={-1}
          autoComplete="off"
          value={values.website}
          onChange={set('website')}
        />
      </div>
      <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
        {generalError}
      </div>
      <button
        type="submit"
        className="portal-button portal-button--primary portal-button--block"
        aria-disabled={submit.isPending || undefined}
      >
        {submit.isPending ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}

export default function SignupPage() {
  const brand = useBrand();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useQuery({
    queryKey: ['signup-form'],
    queryFn: () => api.get<SignupForm>('/api/v1/portal/signup'),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });

  let body: ReactNode;
  if (sentTo !== null) {
    body = (
      <div className="portal-signup-done" role="status">
        <p>
          Thank you. We sent a link to <strong>{sentTo}</strong>: open it to confirm your email address and
          finish your sign-up.
        </p>
        <p>The link works once and expires in 48 hours. If nothing arrives, check your spam folder.</p>
      </div>
    );
  } else if (form.data) {
    body = <SignupFields form={form.data} onDone={setSentTo} />;
  } else if (form.isError) {
    body =
      form.error instanceof ApiFailure && form.error.status === 404 ? (
        <p>
          Sign-up is not available on this site. Contact {brand.data?.brand_name ?? 'us'} to open an account.
        </p>
      ) : (
        <ErrorPanel
          message={errorMessage(form.error, 'The sign-up form could not be loaded.')}
          onRetry={() => void form.refetch()}
          retrying={form.isFetching}
        />
      );
  } else {
    body = <PageLoading label="Loading the sign-up form…" />;
  }

  return (
    <div className="portal-login portal-signup">
      <header className="portal-login-header">
        <BrandMark brand={brand.isError && !brand.data ? null : brand.data} />
      </header>
      <main className="portal-login-main" id="portal-main">
        <div className="portal-card portal-signup-card">
          <PageTitle title={sentTo !== null ? 'Check your email' : 'Create an account'} focus={false} />
          {body}
          <p className="portal-signup-alt">
            Already have an account?{' '}
            <Link className="portal-link" to="/login">
              Sign in
            </Link>
          </p>
        </div>
      </main>
      <Footer text={brand.data?.footer} />
    </div>
  );
}
