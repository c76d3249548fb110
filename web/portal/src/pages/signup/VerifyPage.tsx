/** The page the verification link opens: confirms the address once, then points to the sign-in page. */
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../../../ui/api.ts';
import { BrandMark } from '../../components/BrandMark.tsx';
import { Footer } from '../../components/Footer.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage, useBrand } from '../../queries.ts';
import './signup.css';

export default function VerifyPage() {
  const brand = useBrand();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verify = useMutation({
    mutationFn: () =>
      api.post<{ email: string; pending_approval: boolean }>('/api/v1/portal/signup/verify', { token }),
  });
  // The link is single-use: send it once per page, however often the effect runs.
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current || !token) return;
    sent.current = true;
    verify.mutate();
  }, [token, verify]);

  let body: ReactNode;
  let title = 'Confirming your email…';
  if (!token) {
    title = 'Link incomplete';
    body = <p>This address has no confirmation code. Open the link from the email again, in full.</p>;
  } else if (verify.isSuccess) {
    title = 'Email address confirmed';
    body = (
      <div className="portal-signup-done" role="status">
        <p>
          Thank you: <strong>{verify.data.email}</strong> is confirmed.
        </p>
        {verify.data.pending_approval ? (
          <p>
            {brand.data?.brand_name ?? 'We'} will review your account; you will get an email once it is
            approved. You can already sign in.
          </p>
        ) : null}
        <p>
          <Link className="portal-button portal-button--primary" to="/login">
            Sign in
          </Link>
        </p>
      </div>
    );
  } else if (verify.isError) {
    title = 'This link does not work';
    body = (
      <>
        <ErrorPanel message={errorMessage(verify.error, 'Your email address could not be confirmed.')} />
        <p className="portal-signup-alt">
          <Link className="portal-link" to="/login">
            Go to the sign-in page
          </Link>
        </p>
      </>
    );
  } else {
    body = <PageLoading label="Confirming your email address…" />;
  }

  return (
    <div className="portal-login portal-signup">
      <header className="portal-login-header">
        <BrandMark brand={brand.isError && !brand.data ? null : brand.data} />
      </header>
      <main className="portal-login-main" id="portal-main">
        <div className="portal-card portal-signup-card">
          <PageTitle title={title} focus={false} />
          {body}
        </div>
      </main>
      <Footer text={brand.data?.footer} />
    </div>
  );
}
