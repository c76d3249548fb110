/** Summary: the last 24 hours by hour, the last 30 days by day and the last 12 months by month. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage, keys } from '../../queries.ts';
import { type ReportTable, TIME_ZONE } from './common.tsx';
import { ReportTableView } from './ReportTableView.tsx';

type Period = 'hourly' | 'daily' | 'monthly';

const PERIODS: { id: Period; label: string; caption: string; note: string }[] = [
  {
    id: 'hourly',
    label: 'Last 24 hours',
    caption: 'Last 24 hours by hour',
    note: `Hours in ${TIME_ZONE}.`,
  },
  { id: 'daily', label: 'Daily', caption: 'Last 30 days by day', note: `Days in ${TIME_ZONE}.` },
  { id: 'monthly', label: 'Monthly', caption: 'Last 12 months by month', note: 'Calendar months in UTC.' },
];

export default function SummaryPage() {
  const [period, setPeriod] = useState<Period>('hourly');
  const spec = PERIODS.find((p) => p.id === period)!;
  const query = useQuery({
    queryKey: [...keys.portal, 'summary', period],
    queryFn: () =>
      api.get<ReportTable>(`/api/v1/portal/summary?${new URLSearchParams({ period, tz: TIME_ZONE })}`),
  });

  return (
    <>
      <PageTitle title="Summary" />
      <p className="portal-page-intro">Your traffic and charges by period. {spec.note}</p>
      <fieldset className="portal-tabs">
        <legend className="portal-visually-hidden">Summary period</legend>
        {PERIODS.map((p) => (
          <button
            key={p.id}
            type="button"
            className="portal-button portal-button--secondary portal-tab"
            aria-pressed={p.id === period}
            onClick={() => setPeriod(p.id)}
          >
            {p.label}
          </button>
        ))}
      </fieldset>
      {query.isPending ? (
        <PageLoading label="Loading the summary…" />
      ) : query.isError ? (
        <ErrorPanel
          title="Could not load the summary"
          message={errorMessage(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <ReportTableView key={period} table={query.data} caption={spec.caption} />
      )}
    </>
  );
}
