import { Link } from 'react-router';
import type { Section } from '../nav.ts';
import { sectionAllowed } from '../nav.ts';
import { useSession } from '../session.ts';
import { PageTitle } from './PageTitle.tsx';

/** Renders a section's page, or a friendly notice when its feature is not enabled for this account. */
export function FeatureGate({ section }: { section: Section }) {
  const me = useSession();
  if (!sectionAllowed(section, me.features)) {
    return (
      <>
        <PageTitle title={`${section.label} is not available`} />
        <div className="portal-card portal-empty">
          <p>This section is not enabled for your account.</p>
          <p>
            <Link className="portal-link" to="/">
              Go to the dashboard
            </Link>
          </p>
        </div>
      </>
    );
  }
  const Page = section.page;
  return <Page />;
}
