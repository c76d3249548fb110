import { NavLink } from 'react-router';
import { visibleSections } from '../nav.ts';

interface NavProps {
  features: readonly string[];
  /** Narrow screens: whether the collapsed menu is open (wide screens always show it). */
  open: boolean;
  onNavigate: () => void;
}

export const NAV_ID = 'portal-nav';

export function Nav({ features, open, onNavigate }: NavProps) {
  return (
    <nav id={NAV_ID} className={`portal-nav${open ? ' portal-nav--open' : ''}`} aria-label="Main">
      <ul className="portal-nav-list">
        {visibleSections(features).map((section) => (
          <li key={section.path}>
            <NavLink
              to={section.path}
              end={section.path === '/'}
              onClick={onNavigate}
              className={({ isActive }) => `portal-nav-item${isActive ? ' portal-nav-item--active' : ''}`}
            >
              {section.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
