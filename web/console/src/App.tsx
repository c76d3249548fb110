import { Center } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { ErrorState, LoadingState } from './components/States.tsx';
import { useMe } from './hooks.ts';
import { AuditPage } from './pages/AuditPage.tsx';
import { CompaniesPage } from './pages/CompaniesPage.tsx';
import { CompanyPage } from './pages/CompanyPage.tsx';
import { AlertsPage } from './pages/catalog/AlertsPage.tsx';
import { ContractPage, ContractsPage } from './pages/catalog/ContractsPage.tsx';
import { PackagePage, PackagesPage } from './pages/catalog/PackagesPage.tsx';
import { SignupsPage } from './pages/catalog/SignupsPage.tsx';
import { DidsPage } from './pages/DidsPage.tsx';
import { DomainPage } from './pages/DomainPage.tsx';
import { DomainsPage } from './pages/DomainsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { MailJobsPage } from './pages/mail/MailJobsPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { RateCardPage } from './pages/RateCardPage.tsx';
import { RateCardsPage } from './pages/RateCardsPage.tsx';
import { ReportsPage } from './pages/reports/ReportsPage.tsx';
import { TokensPage } from './pages/TokensPage.tsx';

export function App() {
  const me = useMe();

  if (me.isPending) {
    return (
      <main>
        <Center mih="100vh">
          <LoadingState />
        </Center>
      </main>
    );
  }
  if (me.isError) {
    return (
      <main>
        <Center mih="100vh" p="md">
          <ErrorState
            error={me.error}
            title="The Control Panel is unavailable"
            onRetry={() => void me.refetch()}
          />
        </Center>
      </main>
    );
  }
  // Signed out: every address shows the sign-in page and stays put, so the user lands where they meant to go.
  if (!me.data) return <LoginPage />;

  return (
    <Routes>
      <Route element={<Layout me={me.data} />}>
        <Route index element={<Navigate to="/domains" replace />} />
        <Route path="login" element={<Navigate to="/domains" replace />} />
        <Route path="domains" element={<DomainsPage />} />
        <Route path="domains/:id" element={<DomainPage />} />
        <Route path="companies" element={<CompaniesPage />} />
        <Route path="companies/:id" element={<CompanyPage />} />
        <Route path="dids" element={<DidsPage />} />
        <Route path="rate-cards" element={<RateCardsPage />} />
        <Route path="rate-cards/:id" element={<RateCardPage />} />
        <Route path="reports" element={<ReportsPage />} />
        <Route path="signups" element={<SignupsPage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="packages" element={<PackagesPage />} />
        <Route path="packages/:id" element={<PackagePage />} />
        <Route path="contracts" element={<ContractsPage />} />
        <Route path="contracts/:id" element={<ContractPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="mail" element={<MailJobsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
