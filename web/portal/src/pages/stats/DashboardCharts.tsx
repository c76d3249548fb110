/** Dashboard cards: the last 24 hours of each chart the account may see, linking to its page. */
import { Link } from 'react-router';
import { LineChart } from '../../components/charts/LineChart.tsx';
import { formatValue } from '../../components/charts/scale.ts';
import { ErrorPanel } from '../../components/Status.tsx';
import { errorMessage } from '../../queries.ts';
import { CHART_DEFS, type ChartDef } from './charts.ts';
import { useChart } from './useChart.ts';

function ChartCard({ def, path }: { def: ChartDef; path: string }) {
  const q = useChart(def, { preset: '24h' });
  const titleId = `portal-chart-card-${def.id}`;
  return (
    <section
      className="portal-card portal-chart-card"
      aria-labelledby={titleId}
      data-chart={def.id}
      aria-busy={q.isPending || undefined}
    >
      <h2 className="portal-card-title" id={titleId}>
        {def.title}, last 24 hours
      </h2>
      {q.data ? (
        <>
          <p className="portal-chart-summary">
            <span className="portal-label">{def.summaryLabel}: </span>
            {formatValue(q.data.summary, q.data.unit)}
          </p>
          <LineChart
            compact
            title={def.title}
            unit={q.data.unit}
            times={q.data.times}
            step={q.data.step}
            series={q.data.series.slice(0, 1)}
          />
        </>
      ) : q.isError ? (
        <ErrorPanel
          message={errorMessage(q.error, 'The chart could not be loaded.')}
          onRetry={() => void q.refetch()}
          retrying={q.isFetching}
        />
      ) : (
        <div role="status">
          <span className="portal-visually-hidden">Loading {def.title}…</span>
          <span className="portal-skeleton portal-skeleton--line" aria-hidden="true" />
        </div>
      )}
      <Link className="portal-link" to={path}>
        Open the {def.title} chart
      </Link>
    </section>
  );
}

/** Cards for the enabled customer charts (the carrier variants are shown instead to carrier users). */
export default function DashboardCharts({ features }: { features: readonly string[] }) {
  const own = CHART_DEFS.filter((d) => !d.id.startsWith('carrier-') && features.includes(d.feature));
  const defs = own.length ? own : CHART_DEFS.filter((d) => features.includes(d.feature));
  return (
    <>
      {defs.map((d) => (
        <ChartCard key={d.id} def={d} path={`/stats/${d.id}`} />
      ))}
    </>
  );
}
