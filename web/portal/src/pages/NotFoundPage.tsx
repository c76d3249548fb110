import { Link } from 'react-router';
import { PageTitle } from '../components/PageTitle.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageTitle title="Page not found" />
      <div className="portal-card portal-empty">
        <p>There is no page at this address.</p>
        <p>
          <Link className="portal-link" to="/">
            Go to the dashboard
          </Link>
        </p>
      </div>
    </>
  );
}
