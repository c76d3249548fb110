import { useQuery } from '@tanstack/react-query';
import { api } from '../../../../ui/api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage } from '../../queries.ts';
import { SessionsCard } from './SessionsCard.tsx';
import { TwoFactorCard } from './TwoFactorCard.tsx';
import './security.css';

export interface SecurityState {
  totp_enabled: boolean;
  totp_enabled_at: string | null;
  recovery_codes_left: number;
  ip_allow: string[];
  impersonated: boolean;
}

export const securityKey = ['portal', 'security'] as const;

function IpAllowCard({ ranges }: { ranges: string[] }) {
  return (
    <section className="portal-card portal-stack portal-ip-allow" aria-labelledby="portal-ip-allow-title">
      <h2 className="portal-card-title" id="portal-ip-allow-title">
        Allowed addresses
      </h2>
      {ranges.length === 0 ? (
        <p className="portal-help">You may sign in from any address.</p>
      ) : (
        <>
          <p className="portal-help">
            You may sign in and use the portal only from these addresses. Ask your provider to change them.
          </p>
          <ul className="portal-ip-allow-list">
            {ranges.map((r) => (
              <li key={r}>
                <code>{r}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Security: two-factor sign-in, the addresses allowed by the provider, and my sessions. */
export default function SecurityPage() {
  const security = useQuery({
    queryKey: securityKey,
    queryFn: () => api.get<SecurityState>('/api/v1/portal/security'),
  });
  return (
    <>
      <PageTitle title="Security" />
      {security.isPending ? (
        <PageLoading label="Loading your security settings…" />
      ) : security.isError ? (
        <ErrorPanel message={errorMessage(security.error)} onRetry={() => void security.refetch()} />
      ) : (
        <div className="portal-stack">
          <div className="portal-account-grid">
            <TwoFactorCard state={security.data} />
            <IpAllowCard ranges={security.data.ip_allow} />
          </div>
          <SessionsCard />
        </div>
      )}
    </>
  );
}
