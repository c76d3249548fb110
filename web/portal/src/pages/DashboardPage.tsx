import { lazy, Suspense } from 'react';
import { BalanceCard } from '../components/BalanceCard.tsx';
import { CompanyCard } from '../components/CompanyCard.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { visibleSections } from '../nav.ts';
import { hasFeature, useSession } from '../session.ts';

// Chart cards load on demand: the first page stays small for accounts without charts.
const DashboardCharts = lazy(() => import('./stats/DashboardCharts.tsx'));
const CHART_FEATURES = [
  'customer_asr',
  'customer_acd',
  'customer_cps',
  'customer_channels',
  'customer_dtmf',
  'carrier_cps',
  'carrier_channels',
  'carrier_dtmf',
];

/** The landing page after sign-in: one card per enabled dashboard widget, plus the company card. */
export function DashboardPage() {
  const me = useSession();
  const showBalance = hasFeature(me, 'balance');
  const otherSections = visibleSections(me.features).length > 1;
  const firstName = me.user.name.trim().split(/\s+/)[0];

  return (
    <>
      <PageTitle title="Dashboard" />
      <p className="portal-page-intro">{firstName ? `Welcome, ${firstName}.` : 'Welcome.'}</p>
      <div className="portal-grid">
        {showBalance ? (
          <BalanceCard />
        ) : (
          <section className="portal-card portal-empty" aria-labelledby="portal-empty-title">
            <h2 className="portal-card-title" id="portal-empty-title">
              {otherSections ? 'Nothing to show here yet' : 'Your account is ready'}
            </h2>
            <p>
              {otherSections
                ? 'Your dashboard has no widgets yet. Use the menu to open the sections available to you.'
                : `No portal features are enabled for your account yet. Contact ${me.brand.brand_name} if you expected to see your balance, calls or invoices here.`}
            </p>
          </section>
        )}
        {CHART_FEATURES.some((f) => hasFeature(me, f)) ? (
          <Suspense fallback={null}>
            <DashboardCharts features={me.features} />
          </Suspense>
        ) : null}
        <CompanyCard company={me.company} />
      </div>
    </>
  );
}
