import { Link } from 'react-router';
import type { PortalMe } from '../types.ts';
import { BrandMark } from './BrandMark.tsx';
import { NAV_ID } from './Nav.tsx';
import { UserMenu } from './UserMenu.tsx';

interface HeaderProps {
  me: PortalMe;
  navOpen: boolean;
  onToggleNav: () => void;
}

export function Header({ me, navOpen, onToggleNav }: HeaderProps) {
  return (
    <header className="portal-header">
      <button
        type="button"
        className="portal-nav-toggle"
        aria-expanded={navOpen}
        aria-controls={NAV_ID}
        onClick={onToggleNav}
      >
        <span className="portal-nav-toggle-icon" aria-hidden="true" />
        <span className="portal-nav-toggle-label">Menu</span>
      </button>
      <Link to="/" className="portal-home-link">
        <BrandMark brand={me.brand} />
      </Link>
      <span className="portal-company-name">{me.company.name}</span>
      <UserMenu me={me} />
    </header>
  );
}
