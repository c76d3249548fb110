/** Range picker of the charts: presets (last hour, 24 hours, 7 days, 30 days) or a custom from/to. */
import { type FormEvent, useId, useState } from 'react';

export type Preset = '1h' | '24h' | '7d' | '30d';

export type ChartRangeValue = { preset: Preset } | { preset: 'custom'; from: string; to: string };

export const PRESETS: { id: Preset; label: string; seconds: number }[] = [
  { id: '1h', label: 'Last hour', seconds: 3600 },
  { id: '24h', label: 'Last 24 hours', seconds: 86_400 },
  { id: '7d', label: 'Last 7 days', seconds: 7 * 86_400 },
  { id: '30d', label: 'Last 30 days', seconds: 30 * 86_400 },
];

/** The query string of a range (presets are resolved against the current time when fetched). */
export function rangeQuery(r: ChartRangeValue, now = Date.now()): string {
  if (r.preset === 'custom')
    return `from=${encodeURIComponent(new Date(r.from).toISOString())}&to=${encodeURIComponent(new Date(r.to).toISOString())}`;
  const seconds = PRESETS.find((p) => p.id === r.preset)!.seconds;
  return `from=${encodeURIComponent(new Date(now - seconds * 1000).toISOString())}&to=${encodeURIComponent(new Date(now).toISOString())}`;
}

/** yyyy-MM-ddTHH:mm in local time, as datetime-local inputs want it. */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

export function RangePicker({
  value,
  onChange,
}: {
  value: ChartRangeValue;
  onChange: (v: ChartRangeValue) => void;
}) {
  const id = useId();
  // The custom fields start from the range on show, so a custom range is an adjustment of it.
  const shown = (): [string, string] => {
    if (value.preset === 'custom')
      return [localInput(Date.parse(value.from)), localInput(Date.parse(value.to))];
    const now = Date.now();
    const seconds = PRESETS.find((p) => p.id === value.preset)!.seconds;
    return [localInput(now - seconds * 1000), localInput(now)];
  };
  const [from, setFrom] = useState(() => shown()[0]);
  const [to, setTo] = useState(() => shown()[1]);
  const [error, setError] = useState<string | null>(null);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const a = Date.parse(from);
    const b = Date.parse(to);
    if (Number.isNaN(a) || Number.isNaN(b)) return setError('Enter both a start and an end.');
    if (a >= b) return setError('The start must be before the end.');
    if (b - a > 92 * 86_400_000) return setError('Choose at most 92 days.');
    setError(null);
    onChange({ preset: 'custom', from: new Date(a).toISOString(), to: new Date(b).toISOString() });
  };

  return (
    <div className="portal-range">
      <fieldset className="portal-range-presets">
        <legend className="portal-label">Range</legend>
        {PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className="portal-button portal-button--secondary portal-range-preset"
            aria-pressed={value.preset === p.id}
            onClick={() => {
              const now = Date.now();
              setFrom(localInput(now - p.seconds * 1000));
              setTo(localInput(now));
              setError(null);
              onChange({ preset: p.id });
            }}
          >
            {p.label}
          </button>
        ))}
      </fieldset>
      <form className="portal-range-custom" onSubmit={apply} noValidate>
        <div className="portal-field">
          <label className="portal-label" htmlFor={`${id}-from`}>
            From
          </label>
          <input
            id={`${id}-from`}
            className="portal-input"
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor={`${id}-to`}>
            To
          </label>
          <input
            id={`${id}-to`}
            className="portal-input"
            type="datetime-local"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <button
          type="submit"
          className="portal-button portal-button--primary"
          aria-pressed={value.preset === 'custom'}
        >
          Apply custom range
        </button>
        {error ? (
          <p className="portal-form-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}
