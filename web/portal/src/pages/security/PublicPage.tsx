/** The frame of the pages used without a session (forgot password, set password): brand, card, footer. */
import type { ReactNode } from 'react';
import { BrandMark } from '../../components/BrandMark.tsx';
import { Footer } from '../../components/Footer.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useBrand } from '../../queries.ts';
import './security.css';

export function PublicPage({ title, children }: { title: string; children: ReactNode }) {
  const brand = useBrand();
  return (
    <div className="portal-login">
      <header className="portal-login-header">
        <BrandMark brand={brand.isError && !brand.data ? null : brand.data} />
      </header>
      <main className="portal-login-main" id="portal-main">
        <div className="portal-card portal-login-card portal-stack">
          <PageTitle title={title} focus={false} />
          {children}
        </div>
      </main>
      <Footer text={brand.data?.footer} />
    </div>
  );
}

/** The token a mail link carries in its fragment (never sent to any server by the browser). */
export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}
