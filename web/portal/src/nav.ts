/**
 * Portal sections: one line each. The navigation and the routes are both built from this table; a
 * section shows only when its feature is in the contact's effective features (the server refuses
 * the rest with 403 anyway). Later sections load on demand so the first page stays small, e.g.
 *   { path: '/cdr', label: 'CDR', feature: 'cdr', page: lazy(() => import('./pages/CdrPage.tsx')) },
 */
import type { ComponentType } from 'react';
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
];

export function sectionAllowed(section: Section, features: readonly string[]): boolean {
  return section.feature === null || features.includes(section.feature);
}

export function visibleSections(features: readonly string[]): Section[] {
  return SECTIONS.filter((s) => sectionAllowed(s, features));
}

/** Stable page id for `data-page` on .portal-app: "login", "dashboard", "cdr", … */
export function pageId(pathname: string): string {
  if (pathname === '/login') return 'login';
  const section = SECTIONS.find((s) => s.path === pathname);
  if (!section) return 'not-found';
  return section.path === '/' ? 'dashboard' : section.path.slice(1).replaceAll('/', '-');
}
