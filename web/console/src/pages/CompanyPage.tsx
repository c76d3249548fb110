import { Anchor, Stack, Tabs, Title } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { StatusBadge, TypeBadge } from '../components/Badges.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../components/States.tsx';
import { useCompany, useTitle } from '../hooks.ts';
import { AccessTab } from './company/AccessTab.tsx';
import { CliRulesTab } from './company/CliRulesTab.tsx';
import { ContactsTab } from './company/ContactsTab.tsx';
import { DetailsTab } from './company/DetailsTab.tsx';
import { DidList } from './company/DidList.tsx';
import { IpAuthTab } from './company/IpAuthTab.tsx';
import { PaymentsTab } from './company/PaymentsTab.tsx';
import { RoutesTab } from './company/RoutesTab.tsx';
import { SipUsersTab } from './company/SipUsersTab.tsx';

const TABS = [
  { value: 'details', label: 'Details' },
  { value: 'contacts', label: 'Contacts' },
  { value: 'access', label: 'Feature access' },
  { value: 'payments', label: 'Payments' },
  { value: 'routes', label: 'Routes' },
  { value: 'dids', label: 'DIDs' },
  { value: 'ip-auth', label: 'IP auth' },
  { value: 'sip-users', label: 'SIP users' },
  { value: 'cli', label: 'CLI rules' },
] as const;

export function CompanyPage() {
  const { id = '' } = useParams();
  const q = useCompany(id);
  const [sp, setSp] = useSearchParams();
  useTitle(q.data?.name ?? 'Company');
  const tab = TABS.some((t) => t.value === sp.get('tab')) ? (sp.get('tab') as string) : 'details';
  const setTab = (t: string | null) => setSp(t && t !== 'details' ? { tab: t } : {}, { replace: true });

  const back = (
    <Anchor component={Link} to="/companies" size="sm" mb="xs" display="inline-block">
      ← All companies
    </Anchor>
  );
  if (q.isPending) return <LoadingState label="Loading company…" />;
  if (q.isError) {
    return (
      <Stack>
        {back}
        <Title order={1} size="h2">
          Company unavailable
        </Title>
        <ErrorState error={q.error} title="Could not load this company" onRetry={() => void q.refetch()} />
      </Stack>
    );
  }
  const c = q.data;
  return (
    <>
      {back}
      <PageHeader
        title={c.name}
        badges={
          <>
            <TypeBadge type={c.type} />
            <StatusBadge status={c.status} />
          </>
        }
        subtitle={
          c.portal_access ? `Currency ${c.currency}` : `Currency ${c.currency} · portal access is off`
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="lg">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="details">
          <DetailsTab key={`${c.id}:${c.created_at}`} company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts">
          <ContactsTab company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="access">
          <AccessTab company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="payments">
          <PaymentsTab company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="routes">
          <RoutesTab company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="dids">
          <DidList company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="ip-auth">
          <IpAuthTab company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="sip-users">
          <SipUsersTab company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="cli">
          <CliRulesTab company={c} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
