/** Dialog: the company's calls in progress, with the server's clock so durations can tick in the browser. */
import type { Tx } from '../../db/db.ts';
import { likePattern } from '../authlists/company.ts';

export async function liveCalls(
  tx: Tx,
  companyId: string,
  q: { q?: string; page: number; page_size: number },
) {
  const params: unknown[] = [companyId];
  let filter = '';
  const like = likePattern(q.q);
  if (like) {
    params.push(like);
    filter = ` AND (dest_number LIKE $2 OR cli LIKE $2 OR lower(dest_name) LIKE $2)`;
  }
  const [count] = await tx.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM active_calls WHERE company_id = $1${filter}`,
    params,
  );
  const rows = await tx.query<Record<string, unknown>>(
    `SELECT call_id, cli, dest_number, dest_name, started_at, answered_at FROM active_calls
      WHERE company_id = $1${filter} ORDER BY started_at, call_id
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.page_size, (q.page - 1) * q.page_size],
  );
  const iso = (v: unknown) => (v === null ? null : new Date(v as string).toISOString());
  return {
    items: rows.map((r) => ({
      call_id: String(r.call_id),
      cli: String(r.cli),
      dest_number: String(r.dest_number),
      dest_name: String(r.dest_name),
      started_at: iso(r.started_at)!,
      answered_at: iso(r.answered_at),
      state: r.answered_at ? ('answered' as const) : ('ringing' as const),
    })),
    total: Number(count?.n ?? 0),
    page: q.page,
    page_size: q.page_size,
    server_time: new Date().toISOString(),
  };
}
