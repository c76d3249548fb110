/**
 * An accessible line chart drawn as inline SVG: axes with labels, a legend whose buttons show or hide
 * each line, a short text description for screen readers and the same figures as a data table.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import './charts.css';
import { formatTick, formatTime, formatValue, niceTicks } from './scale.ts';

export interface ChartSeries {
  key: string;
  label: string;
  values: (number | null)[];
}

interface LineChartProps {
  /** Names the chart for assistive technology, e.g. "ASR". */
  title: string;
  unit: string;
  times: string[];
  step: number;
  series: ChartSeries[];
  /** Compact cards leave out the legend and the data table. */
  compact?: boolean;
}

/** Drawing width before the chart has been measured (the SVG is then scaled to its box). */
const DEFAULT_W = 720;
const MIN_W = 280;
const PAD_TOP = 12;
const PAD_RIGHT = 16;
const PAD_BOTTOM = 36;

/** Path data with a gap wherever a value is missing. */
function pathFor(values: (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

export function LineChart({ title, unit, times, step, series, compact = false }: LineChartProps) {
  const id = useId();
  const [hidden, setHidden] = useState<Set<string>>(() => new Set());
  // The drawing is as wide as its box in CSS pixels, so labels keep their size on a phone and on a wide screen
  // and the number of time labels follows the room there is.
  const box = useRef<HTMLElement>(null);
  const [W, setW] = useState(DEFAULT_W);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setW(Math.max(MIN_W, Math.round(el.clientWidth)) || DEFAULT_W);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const H = compact ? 160 : 280;
  const shown = series.filter((s) => !hidden.has(s.key));
  const max = Math.max(0, ...shown.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  // Calls and calls per second are whole numbers: no 0.5 on their axis.
  const integral = unit === 'calls' || unit === 'calls/s';
  const ticks = niceTicks(unit === '%' ? Math.min(100, Math.max(max, 1)) : max).filter(
    (v, i, all) => !integral || Number.isInteger(v) || i === all.length - 1,
  );
  const top = ticks[ticks.length - 1]!;
  // Room on the left for the longest value label.
  const labelChars = Math.max(...ticks.map((v) => formatValue(v, unit).length));
  const PAD = {
    top: PAD_TOP,
    right: PAD_RIGHT,
    bottom: PAD_BOTTOM,
    left: Math.max(48, 16 + labelChars * 7.5),
  };
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (times.length <= 1 ? plotW / 2 : (i / (times.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (top > 0 ? (v / top) * plotH : 0);
  const span = times.length * step;
  const xTicks = useMemo(() => {
    // As many time labels as fit without touching: the first is drawn from its point rightwards and the next
    // centred on its point, so neighbours need one and a half label widths between them.
    const chars = Math.max(0, ...times.map((t) => formatTick(t, step, span).length));
    const labelW = chars * 6.8;
    const fit = Math.floor(plotW / (1.5 * labelW + 12)) + 1;
    const n = Math.max(Math.min(2, times.length), Math.min(compact ? 3 : 6, fit, times.length));
    return Array.from({ length: n }, (_, k) => Math.round((k * (times.length - 1)) / Math.max(1, n - 1)));
  }, [times, step, span, plotW, compact]);

  const total = series[0];
  const known = total?.values.filter((v): v is number => v !== null) ?? [];
  const description = known.length
    ? `${title} from ${formatTime(times[0]!)} to ${formatTime(times[times.length - 1]!)}: lowest ${formatValue(Math.min(...known), unit)}, highest ${formatValue(Math.max(...known), unit)}${series.length > 1 ? `, ${series.length - 1} carrier lines` : ''}.`
    : `${title}: no calls in this range.`;

  return (
    <figure className="portal-chart" data-compact={compact || undefined} ref={box}>
      <svg className="portal-chart-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-desc`}>
        <title id={`${id}-desc`}>{description}</title>
        <g className="portal-chart-grid">
          {ticks.map((v) => (
            <g key={v}>
              <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
              <text x={PAD.left - 8} y={y(v)} dy="0.32em" textAnchor="end">
                {formatValue(v, unit)}
              </text>
            </g>
          ))}
          {xTicks.map((i) => (
            <text
              key={i}
              x={x(i)}
              y={H - PAD.bottom + 20}
              textAnchor={
                i === 0 && xTicks.length > 1 ? 'start' : i === times.length - 1 && i > 0 ? 'end' : 'middle'
              }
            >
              {times[i] ? formatTick(times[i]!, step, span) : ''}
            </text>
          ))}
        </g>
        {series.map((s, k) =>
          hidden.has(s.key) ? null : (
            <path
              key={s.key}
              className="portal-chart-line"
              data-series={s.key}
              style={{ stroke: `var(--portal-chart-${(k % 6) + 1})` }}
              d={pathFor(s.values, x, y)}
            />
          ),
        )}
        {series.map((s, k) =>
          hidden.has(s.key)
            ? null
            : s.values.map((v, i) =>
                v !== null &&
                (i === 0 || s.values[i - 1] === null) &&
                (i === s.values.length - 1 || s.values[i + 1] === null) ? (
                  <circle
                    key={`${s.key}-${times[i]}`}
                    cx={x(i)}
                    cy={y(v)}
                    r={2.5}
                    style={{ fill: `var(--portal-chart-${(k % 6) + 1})` }}
                  />
                ) : null,
              ),
        )}
      </svg>
      {!compact && series.length > 1 ? (
        <figcaption className="portal-chart-legend">
          <span className="portal-visually-hidden">Show or hide lines:</span>
          {series.map((s, k) => (
            <button
              key={s.key}
              type="button"
              className="portal-chart-legend-item"
              aria-pressed={!hidden.has(s.key)}
              onClick={() =>
                setHidden((h) => {
                  const next = new Set(h);
                  if (next.has(s.key)) next.delete(s.key);
                  else next.add(s.key);
                  return next;
                })
              }
            >
              <span
                className="portal-chart-swatch"
                style={{ background: `var(--portal-chart-${(k % 6) + 1})` }}
              />
              {s.label}
            </button>
          ))}
        </figcaption>
      ) : null}
      {!compact ? (
        <details className="portal-details portal-chart-data">
          <summary>Show the figures as a table</summary>
          <div className="portal-table-scroll">
            <table className="portal-data-table">
              <caption className="portal-visually-hidden">{title} per period</caption>
              <thead>
                <tr>
                  <th scope="col">Period starting</th>
                  {series.map((s) => (
                    <th scope="col" key={s.key}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {times.map((t, i) => (
                  <tr key={t}>
                    <th scope="row">{formatTime(t)}</th>
                    {series.map((s) => (
                      <td key={s.key}>{formatValue(s.values[i] ?? null, unit)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </figure>
  );
}
