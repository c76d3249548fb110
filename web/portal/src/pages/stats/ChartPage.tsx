/** One chart on its own page: range picker, the figure for the whole range, the chart and its table. */
import { useState } from 'react';
import { LineChart } from '../../components/charts/LineChart.tsx';
import type { ChartRangeValue } from '../../components/charts/RangePicker.tsx';
import { RangePicker } from '../../components/charts/RangePicker.tsx';
import { formatValue } from '../../components/charts/scale.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage } from '../../queries.ts';
import { chartDef } from './charts.ts';
import { useChart } from './useChart.ts';

function ChartPage({ id }: { id: string }) {
  const def = chartDef(id);
  const [range, setRange] = useState<ChartRangeValue>({ preset: '24h' });
  const q = useChart(def, range);
  const data = q.data;
  const empty = data?.series[0]?.values.every((v) => v === null || v === 0);

  return (
    <>
      <PageTitle title={def.title} />
      <p className="portal-page-intro">{def.help}</p>
      <section
        className="portal-card portal-stack"
        aria-labelledby="portal-chart-title"
        aria-busy={q.isFetching || undefined}
      >
        <h2 className="portal-card-title" id="portal-chart-title">
          {def.title} over time
        </h2>
        <RangePicker value={range} onChange={setRange} />
        {data ? (
          <>
            <p className="portal-chart-summary" data-testid="chart-summary">
              <span className="portal-label">{def.summaryLabel}: </span>
              {formatValue(data.summary, data.unit)}
            </p>
            <p className="portal-page-intro" role="status">
              {new Date(data.from).toLocaleString()} – {new Date(data.to).toLocaleString()}, one point per{' '}
              {data.step >= 3600 ? `${data.step / 3600} h` : `${data.step / 60} min`}
              {empty ? ' · no calls in this range' : ''}
            </p>
            <LineChart
              title={def.title}
              unit={data.unit}
              times={data.times}
              step={data.step}
              series={data.series}
            />
          </>
        ) : q.isError ? (
          <ErrorPanel
            message={errorMessage(q.error, 'The chart could not be loaded.')}
            onRetry={() => void q.refetch()}
            retrying={q.isFetching}
          />
        ) : (
          <PageLoading label="Loading the chart…" />
        )}
        {data && q.isError ? (
          <ErrorPanel
            message={errorMessage(q.error, 'The chart could not be refreshed.')}
            onRetry={() => void q.refetch()}
          />
        ) : null}
      </section>
    </>
  );
}

export const AsrPage = () => <ChartPage id="asr" />;
export const AcdPage = () => <ChartPage id="acd" />;
export const CpsPage = () => <ChartPage id="cps" />;
export const ChannelsPage = () => <ChartPage id="channels" />;
export const DtmfPage = () => <ChartPage id="dtmf" />;
export const CarrierCpsPage = () => <ChartPage id="carrier-cps" />;
export const CarrierChannelsPage = () => <ChartPage id="carrier-channels" />;
export const CarrierDtmfPage = () => <ChartPage id="carrier-dtmf" />;
