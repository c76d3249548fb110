import type { PortalCompany } from '../types.ts';

function currencyName(code: string): string | null {
  try {
    const name = new Intl.DisplayNames(undefined, { type: 'currency' }).of(code);
    return name && name !== code ? name : null;
  } catch {
    return null;
  }
}

const TYPE_LABEL: Record<PortalCompany['type'], string> = { customer: 'Customer', carrier: 'Carrier' };

export function CompanyCard({ company }: { company: PortalCompany }) {
  const currency = currencyName(company.currency);
  return (
    <section className="portal-card portal-company" aria-labelledby="portal-company-title">
      <h2 className="portal-card-title" id="portal-company-title">
        Company
      </h2>
      <dl className="portal-details">
        <div className="portal-detail portal-company-name-detail">
          <dt>Name</dt>
          <dd>{company.name}</dd>
        </div>
        <div className="portal-detail portal-company-type">
          <dt>Account type</dt>
          <dd>{TYPE_LABEL[company.type] ?? company.type}</dd>
        </div>
        <div className="portal-detail portal-company-currency">
          <dt>Currency</dt>
          <dd>{currency ? `${company.currency} (${currency})` : company.currency}</dd>
        </div>
      </dl>
    </section>
  );
}
