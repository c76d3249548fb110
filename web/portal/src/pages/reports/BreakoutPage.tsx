/** Breakout: traffic per destination, day or hour over a chosen period, with totals weighted by calls. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage, keys } from '../../queries.ts';
import { localInput, type Preset, presetRange, RangeFields, type ReportTable, TIME_ZONE } from './common.tsx';
import { ReportTableView } from './ReportTableView.tsx';

type Group = 'destination' | 'day' | 'hour';

const GROUPS: { id: Group; label: string }[] = [
  { id: 'destination', label: 'Destination' },
  { id: 'day', label: 'Day' },
  { id: 'hour', label: 'Hour' },
];

export default function BreakoutPage() {
  const id = useId();
  const [preset, setPreset] = useState<Preset>('last7');
  const [custom, setCustom] = useState(() => {
    const now = new Date();
    return { from: localInput(new Date(now.getTime() - 7 * 86_400_000)), to: localInput(now) };
  });
  const [group, setGroup] = useState<Group>('destination');
  const [formError, setFormError] = useState('');
  const [applied, setApplied] = useState(() => {
    const r = presetRange('last7', custom)!;
    return { from: r.from.toISOString(), to: r.to.toISOString(), group: 'destination' as Group };
  });
  const q = new URLSearchParams({ ...applied, tz: TIME_ZONE }).toString();
  const query = useQuery({
    queryKey: [...keys.portal, 'breakout', q],
    queryFn: () => api.get<ReportTable>(`/api/v1/portal/breakout?${q}`),
    placeholderData: keepPreviousData,
  });

  function apply(e: FormEvent) {
    e.preventDefault();
    const r = presetRange(preset, custom);
    if (!r || r.from >= r.to) {
      setFormError('Choose a start time before the end time.');
      return;
    }
    setFormError('');
    setApplied({ from: r.from.toISOString(), to: r.to.toISOString(), group });
  }

  return (
    <>
      <PageTitle title="Breakout" />
      <p className="portal-page-intro">
        Attempts, answered calls, minutes and charges per destination, day or hour. Days and hours are in{' '}
        {TIME_ZONE}; totals are weighted by calls.
      </p>
      <form className="portal-report-filters" onSubmit={apply} aria-label="Breakout filters" noValidate>
        <RangeFields preset={preset} custom={custom} onPreset={setPreset} onCustom={setCustom} />
        <div className="portal-field">
          <label className="portal-label" htmlFor={`${id}-group`}>
            Group by
          </label>
          <select
            id={`${id}-group`}
            className="portal-input"
            value={group}
            onChange={(e) => setGroup(e.target.value as Group)}
          >
            {GROUPS.map((g) => (
              <option key={g.id} value={g.id}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="portal-button portal-button--primary">
          Refresh
        </button>
      </form>
      <p className="portal-form-error" role="alert">
        {formError}
      </p>
      <div className="portal-report-actions">
        <a
          className="portal-button portal-button--secondary"
          href={`/api/v1/portal/breakout.csv?${q}`}
          download
        >
          Download CSV
        </a>
      </div>
      {query.isPending ? (
        <PageLoading label="Loading the breakout…" />
      ) : query.isError ? (
        <ErrorPanel
          title="Could not load the breakout"
          message={errorMessage(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <ReportTableView
          key={q}
          table={query.data}
          caption={`Breakout by ${GROUPS.find((g) => g.id === query.data.group)?.label.toLowerCase() ?? 'destination'}`}
          {...(query.data.group === 'destination' ? { filterLabel: 'Filter destinations' } : {})}
        />
      )}
    </>
  );
}
