import { type ReactNode, useState } from 'react';
import { useLocation } from 'react-router';
import { useSession } from '../session.ts';
import { Footer } from './Footer.tsx';
import { Header } from './Header.tsx';
import { ImpersonationBanner } from './ImpersonationBanner.tsx';
import { Nav } from './Nav.tsx';

/** The signed-in layout: header, navigation, main area and the brand's footer. */
export function Shell({ children }: { children: ReactNode }) {
  const me = useSession();
  const { pathname } = useLocation();
  // The collapsed menu is open for the page it was opened on: any navigation closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const navOpen = openOn === pathname;
  const setNavOpen = (open: boolean) => setOpenOn(open ? pathname : null);

  return (
    <div className="portal-shell" data-company-type={me.company.type}>
      <a className="portal-skip-link" href="#portal-main">
        Skip to main content
      </a>
      {me.impersonator ? (
        <ImpersonationBanner operator={me.impersonator} contact={me.user.name || me.user.email} />
      ) : null}
      <Header me={me} navOpen={navOpen} onToggleNav={() => setNavOpen(!navOpen)} />
      <div className="portal-body">
        <Nav features={me.features} open={navOpen} onNavigate={() => setNavOpen(false)} />
        <main className="portal-main" id="portal-main" tabIndex={-1}>
          {children}
        </main>
      </div>
      <Footer text={me.brand.footer} />
    </div>
  );
}
