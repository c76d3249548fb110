/** A breakout or summary table: filterable and paged in the page, totals (weighted by calls) in the footer. */
import { useId, useState } from 'react';
import { Pager } from '../../components/Pager.tsx';
import { COLUMN_LABELS, formatMeasure, formatPeriod, NUMERIC_COLUMNS, type ReportTable } from './common.tsx';

const PAGE = 50;

function cellText(col: string, row: Record<string, unknown>, group: string): string {
  if (col === 'period') return formatPeriod((row.period as string | null) ?? null, group);
  return formatMeasure(col, row[col]);
}

export function ReportTableView({
  table,
  caption,
  filterLabel,
}: {
  table: ReportTable;
  caption: string;
  /** Shown when rows can be filtered by their label (destinations). */
  filterLabel?: string;
}) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const needle = filter.trim().toLowerCase();
  const rows = needle
    ? table.rows.filter((r) =>
        [r.dest_name, r.dest_code].some((v) =>
          String(v ?? '')
            .toLowerCase()
            .includes(needle),
        ),
      )
    : table.rows;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const current = Math.min(page, pages - 1);
  const visible = rows.slice(current * PAGE, current * PAGE + PAGE);
  const first = table.columns[0];

  return (
    <>
      {filterLabel ? (
        <div className="portal-field portal-table-filter">
          <label className="portal-label" htmlFor={`${id}-filter`}>
            {filterLabel}
          </label>
          <input
            id={`${id}-filter`}
            className="portal-input"
            type="search"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setPage(0);
            }}
          />
        </div>
      ) : null}
      {rows.length === 0 ? (
        <div className="portal-card portal-empty portal-report-empty">
          <p>{table.rows.length ? 'No rows match this filter.' : 'No traffic in this period.'}</p>
        </div>
      ) : (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
          <section className="portal-table-wrap" aria-label={`${caption} table`} tabIndex={0}>
            <table className="portal-table portal-report-table">
              <caption>{caption}</caption>
              <thead>
                <tr>
                  {table.columns.map((c) => (
                    <th key={c} scope="col" className={NUMERIC_COLUMNS.has(c) ? 'portal-num' : undefined}>
                      {COLUMN_LABELS[c] ?? c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {visible.map((row) => (
                  <tr key={`${String(row.period ?? row.dest_code ?? '')}|${String(row.dest_name ?? '')}`}>
                    {table.columns.map((c, j) =>
                      j === 0 ? (
                        <th key={c} scope="row">
                          {cellText(c, row, table.group)}
                        </th>
                      ) : (
                        <td key={c} className={NUMERIC_COLUMNS.has(c) ? 'portal-num' : undefined}>
                          {cellText(c, row, table.group)}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
              {table.totals.length && !needle ? (
                <tfoot>
                  {table.totals.map((row, i) => (
                    <tr key={String(i)}>
                      {table.columns.map((c, j) =>
                        j === 0 ? (
                          <th key={c} scope="row">
                            Total
                          </th>
                        ) : (
                          <td key={c} className={NUMERIC_COLUMNS.has(c) ? 'portal-num' : undefined}>
                            {c === 'dest_name' && first === 'dest_code' ? '' : cellText(c, row, table.group)}
                          </td>
                        ),
                      )}
                    </tr>
                  ))}
                </tfoot>
              ) : null}
            </table>
          </section>
          <Pager page={current + 1} pages={pages} onPage={(p) => setPage(p - 1)} label={`${caption} pages`} />
        </>
      )}
    </>
  );
}
