import type { ReactNode } from 'react';
import { decimalSign, formatMoney } from '../format.ts';
import { errorMessage, useBalance } from '../queries.ts';
import { ErrorPanel } from './Status.tsx';

/** Balance, debit limit and available credit (GET /api/v1/portal/balance, feature `balance`). */
export function BalanceCard() {
  const balance = useBalance(true);
  const data = balance.data;

  let body: ReactNode;
  if (data) {
    const sign = decimalSign(data.available);
    body = (
      <>
        <dl className="portal-balance-figures">
          <div className="portal-balance-item portal-balance-current" data-sign={decimalSign(data.balance)}>
            <dt>Current balance</dt>
            <dd className="portal-balance-amount">{formatMoney(data.balance, data.currency)}</dd>
          </div>
          <div className="portal-balance-item portal-balance-debit-limit">
            <dt>Debit limit</dt>
            <dd>{formatMoney(data.debit_limit, data.currency)}</dd>
          </div>
          <div className="portal-balance-item portal-balance-available" data-sign={sign}>
            <dt>Available credit</dt>
            <dd>{formatMoney(data.available, data.currency)}</dd>
          </div>
        </dl>
        {sign <= 0 ? (
          <p className="portal-notice portal-notice--warning">
            No credit available: new calls are refused until the account is topped up.
          </p>
        ) : null}
      </>
    );
  } else if (balance.isError) {
    body = (
      <ErrorPanel
        message={errorMessage(balance.error, 'Your balance could not be loaded.')}
        onRetry={() => void balance.refetch()}
        retrying={balance.isFetching}
      />
    );
  } else {
    body = (
      <div className="portal-balance-loading" role="status">
        <span className="portal-visually-hidden">Loading balance…</span>
        <span className="portal-skeleton portal-skeleton--amount" aria-hidden="true" />
        <span className="portal-skeleton portal-skeleton--line" aria-hidden="true" />
        <span className="portal-skeleton portal-skeleton--line" aria-hidden="true" />
      </div>
    );
  }

  return (
    <section
      className="portal-card portal-balance"
      aria-labelledby="portal-balance-title"
      aria-busy={balance.isPending || undefined}
    >
      <h2 className="portal-card-title" id="portal-balance-title">
        Balance
      </h2>
      {body}
    </section>
  );
}
