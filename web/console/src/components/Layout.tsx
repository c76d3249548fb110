/** The signed-in chrome: header (operator, log out), navigation and the <main> landmark. */
import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { api } from '../../../ui/api.ts';
import { PendingSignupsBadge } from '../pages/catalog/PendingSignupsBadge.tsx';
import { PhoneIcon } from '../pages/DidsPage.tsx';
import { ReportsIcon } from '../pages/reports/ReportsPage.tsx';
import type { Me } from '../types.ts';
import { AlertIcon, BuildingIcon, GlobeIcon, InboxIcon, KeyIcon, ListIcon } from './Icons.tsx';
import { useNotify } from './Notifications.tsx';
import { RateCardIcon } from './RateCardIcon.tsx';

const NAV: { to: string; label: string; icon: ReactNode }[] = [
  { to: '/domains', label: 'Domains', icon: <GlobeIcon /> },
  { to: '/companies', label: 'Companies', icon: <BuildingIcon /> },
  { to: '/dids', label: 'DIDs', icon: <PhoneIcon /> },
  { to: '/rate-cards', label: 'Rate cards', icon: <RateCardIcon /> },
  { to: '/signups', label: 'Sign-ups', icon: <BuildingIcon /> },
  { to: '/alerts', label: 'Alerts', icon: <AlertIcon /> },
  { to: '/packages', label: 'Packages', icon: <ListIcon /> },
  { to: '/contracts', label: 'Contracts', icon: <ListIcon /> },
  { to: '/reports', label: 'Reports', icon: <ReportsIcon /> },
  { to: '/mail', label: 'Outgoing mail', icon: <InboxIcon /> },
  { to: '/tokens', label: 'API tokens', icon: <KeyIcon /> },
  { to: '/audit', label: 'Audit log', icon: <ListIcon /> },
];

export function Layout({ me }: { me: Me }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const qc = useQueryClient();
  const notify = useNotify();

  const logout = async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } catch {
      // Signing out locally still makes sense when the server is unreachable.
    }
    // Show the sign-in page first, then drop every cached answer of the signed-out user.
    qc.setQueryData(['me'], null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    notify({ title: 'Signed out', color: 'blue' });
  };

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Text
              fw={700}
              size="lg"
              component={Link}
              to="/domains"
              c="var(--mantine-color-text)"
              td="none"
              style={{ whiteSpace: 'nowrap' }}
            >
              Control Panel
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Text
              size="sm"
              fw={600}
              truncate
              maw={{ base: 120, xs: 260 }}
              title={`${me.operator.name} — ${me.user.email}`}
            >
              {me.operator.name}
            </Text>
            <Text size="sm" c="dimmed" visibleFrom="md" truncate maw={220}>
              {me.user.name || me.user.email}
            </Text>
            <Button variant="default" size="xs" onClick={() => void logout()}>
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        {NAV.map((item) => {
          const active = location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);
          return (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={item.icon}
              rightSection={item.to === '/signups' ? <PendingSignupsBadge /> : undefined}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={close}
              fw={active ? 600 : 500}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} bg="var(--mantine-color-gray-0)">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
