/** Axis helpers for the charts: "nice" tick values and time labels in the reader's time zone. */

/** Tick values from 0 to a rounded maximum (1, 2 or 5 × a power of ten per step). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(+v.toPrecision(12));
  if (ticks[ticks.length - 1]! < max) ticks.push(+(ticks[ticks.length - 1]! + step).toPrecision(12));
  return ticks;
}

/** A bucket's start time, short: the time of day for buckets under a day, the date otherwise. */
export function formatTick(iso: string, step: number, spanSeconds: number): string {
  const d = new Date(iso);
  if (step >= 86_400) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  if (spanSeconds > 86_400)
    return d.toLocaleString(undefined, {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** A full bucket time for tables and tooltips. */
export const formatTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  const n = v.toLocaleString(undefined, { maximumFractionDigits: 2 });
  return unit === '%' ? `${n} %` : unit === 's' ? `${n} s` : n;
}
