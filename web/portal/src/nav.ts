/**
 * Portal sections: one line each. The navigation and the routes are both built from this table; a
 * section shows only when its feature is in the contact's effective features (the server refuses
 * the rest with 403 anyway). Later sections load on demand so the first page stays small, e.g.
 *   { path: '/cdr', label: 'CDR', feature: 'cdr', page: lazy(() => import('./pages/CdrPage.tsx')) },
 */
import { type ComponentType, lazy } from 'react';
import type { FeatureId } from '../../../common/features.ts';
import { DashboardPage } from './pages/DashboardPage.tsx';

export interface Section {
  /** Route path; also the nav link target. */
  path: string;
  label: string;
  /** The feature that gates the section; null = always shown. */
  feature: FeatureId | null;
  page: ComponentType;
}

export const SECTIONS: readonly Section[] = [
  { path: '/', label: 'Dashboard', feature: null, page: DashboardPage },
  { path: '/cdr', label: 'CDR', feature: 'cdr', page: lazy(() => import('./pages/reports/CdrPage.tsx')) },
  {
    path: '/breakout',
    label: 'Breakout',
    feature: 'breakout',
    page: lazy(() => import('./pages/reports/BreakoutPage.tsx')),
  },
  {
    path: '/summary',
    label: 'Summary',
    feature: 'summary',
    page: lazy(() => import('./pages/reports/SummaryPage.tsx')),
  },
  {
    path: '/calls',
    label: 'Latest Calls',
    feature: 'latest_calls',
    page: lazy(() => import('./pages/calls/LatestCallsPage.tsx')),
  },
  ...(
    [
      ['asr', 'ASR', 'customer_asr', 'AsrPage'],
      ['acd', 'ACD', 'customer_acd', 'AcdPage'],
      ['cps', 'CPS', 'customer_cps', 'CpsPage'],
      ['channels', 'Channels', 'customer_channels', 'ChannelsPage'],
      ['dtmf', 'DTMF', 'customer_dtmf', 'DtmfPage'],
      ['carrier-cps', 'Carrier CPS', 'carrier_cps', 'CarrierCpsPage'],
      ['carrier-channels', 'Carrier channels', 'carrier_channels', 'CarrierChannelsPage'],
      ['carrier-dtmf', 'Carrier DTMF', 'carrier_dtmf', 'CarrierDtmfPage'],
    ] as const
  ).map(([id, label, feature, name]) => ({
    path: `/stats/${id}`,
    label,
    feature,
    page: lazy(() => import('./pages/stats/ChartPage.tsx').then((m) => ({ default: m[name] }))),
  })),
  { path: '/cli', label: 'CLI', feature: 'cli', page: lazy(() => import('./pages/calls/CliPage.tsx')) },
  {
    path: '/dialog',
    label: 'Dialog',
    feature: 'dialog',
    page: lazy(() => import('./pages/calls/DialogPage.tsx')),
  },
  {
    path: '/profile',
    label: 'Profile',
    feature: null,
    page: lazy(() => import('./pages/profile/ProfilePage.tsx')),
  },
  {
    path: '/security',
    label: 'Security',
    feature: null,
    page: lazy(() => import('./pages/security/SecurityPage.tsx')),
  },
  {
    path: '/contracts',
    label: 'Contracts',
    feature: null,
    page: lazy(() => import('./pages/contracts/ContractsPage.tsx')),
  },
];

/** Pages used without a session (account recovery and the "log in as" landing), by path → page id. */
export const PUBLIC_PAGES: Readonly<Record<string, string>> = {
  '/forgot-password': 'forgot-password',
  '/reset-password': 'reset-password',
  '/set-password': 'set-password',
  '/impersonate': 'impersonate',
  '/signup': 'signup',
  '/signup/verify': 'signup-verify',
};

export function sectionAllowed(section: Section, features: readonly string[]): boolean {
  return section.feature === null || features.includes(section.feature);
}

export function visibleSections(features: readonly string[]): Section[] {
  return SECTIONS.filter((s) => sectionAllowed(s, features));
}

/** Stable page id for `data-page` on .portal-app: "login", "dashboard", "cdr", … */
export function pageId(pathname: string): string {
  if (pathname === '/login') return 'login';
  const open = PUBLIC_PAGES[pathname];
  if (open) return open;
  const section = SECTIONS.find((s) => s.path === pathname);
  if (!section) return 'not-found';
  return section.path === '/' ? 'dashboard' : section.path.slice(1).replaceAll('/', '-');
}
