/**
 * Rollup upkeep: the fold (queued CDR projections into one row per key of the hourly and daily stores, and
 * a re-sweep of the chart slots the folded calls span),
 * compaction of the per-company usage counters, and the full rebuild from the raw CDRs (repair and audit).
 * Readers never wait for any of it: the cdr_hourly and cdr_daily views include the rows still queued.
 */
import type { Deps } from '../context.ts';
import { type Tx, withSystem, withTenant } from '../db/db.ts';
import { markDirtySql, rebuildChartSlots, SWEEP_PIECE_SECONDS, sweepDirtyPiece } from './chart-slots.ts';
import { dailyUpsertSql, hourlyUpsertSql, QUEUE_COLUMNS, queueProjection, usageSql } from './rollup-sql.ts';

/** NOTIFY channel: ingestion names the operator whose queue received rows. */
export const ROLLUP_CHANNEL = 'rollups';
const FOLD_LOCK = 727_002;
export const FOLD_CHUNK = 50_000;

const FOLD_SQL = `
WITH q AS (
  DELETE FROM cdr_rollup_queue
   WHERE ctid = ANY (ARRAY(SELECT ctid FROM cdr_rollup_queue LIMIT $1))
  RETURNING ${QUEUE_COLUMNS}
), h AS (
  ${hourlyUpsertSql('q')}
), d AS (
  ${dailyUpsertSql('q')}
), dirty AS (
  ${markDirtySql('q')}
)
SELECT count(*)::int AS n FROM q`;

/**
 * Folds at most `chunk` of one operator's queued rows into the stores in one transaction and marks the time
 * they span dirty for the chart slots; returns the rows folded, or -1 when another node holds this operator's
 * fold lock right now (one folder per operator).
 */
export async function foldChunk(deps: Deps, operatorId: string, chunk = FOLD_CHUNK): Promise<number> {
  return withTenant(deps.db, operatorId, async (tx) => {
    if (!(await foldLock(tx, operatorId))) return -1;
    // A full chunk's two sorts by key (hourly, daily) take about 8 MB each: sort in memory, not on disk.
    await tx.query("SELECT set_config('work_mem', '32MB', true)");
    const [out] = await tx.query<{ n: number }>(FOLD_SQL, [chunk]);
    return out?.n ?? 0;
  });
}

/** The operator's fold lock, taken without waiting: exclusive for a fold, shared by the parts of a sweep. */
const foldLock = async (tx: Tx, operatorId: string, shared = false): Promise<boolean> => {
  const [lock] = await tx.query<{ ok: boolean }>(
    `SELECT pg_try_advisory_xact_lock${shared ? '_shared' : ''}($1, hashtext($2)) AS ok`,
    [FOLD_LOCK, operatorId],
  );
  return lock?.ok === true;
};

/**
 * Parts a sweep is split into, each a transaction of its own on its own connection: a sweep alternates between
 * Node (summing the calls' events) and PostgreSQL (reading calls, writing slots), so one part alone keeps about
 * one core busy.
 */
export const SWEEP_PARTS = 2;

/** Each operator's sweep piece, in seconds: sized so that one sweep transaction takes about a second or two. */
const pieces = new Map<string, number>();
const PIECE_MIN = 3600;
const PIECE_MAX = 14 * 86_400;

/**
 * Recomputes the chart slots of the oldest dirty piece of one operator, its keys split into SWEEP_PARTS parts swept
 * side by side, each in one transaction under the shared fold lock; returns the keys swept, 0 when nothing is
 * dirty, -1 when a fold (here or on another node) holds the lock. The piece starts at half a day and doubles while
 * sweeps are quick (sparse traffic) or halves while they are slow (dense traffic), so a fold never waits long for
 * the lock and a sparse backlog is not swept in many small pieces.
 */
export async function sweepChunk(deps: Deps, operatorId: string): Promise<number> {
  const piece = pieces.get(operatorId) ?? SWEEP_PIECE_SECONDS;
  const started = performance.now();
  const parts = await Promise.all(
    Array.from({ length: SWEEP_PARTS }, (_, index) =>
      withTenant(deps.db, operatorId, async (tx) =>
        (await foldLock(tx, operatorId, true))
          ? sweepDirtyPiece(tx, piece, { index, count: SWEEP_PARTS })
          : -1,
      ),
    ),
  );
  const ms = performance.now() - started;
  const swept = parts.every((n) => n < 0) ? -1 : parts.reduce((sum, n) => sum + Math.max(n, 0), 0);
  if (swept > 0) {
    const next = ms < 500 ? piece * 2 : ms > 2000 ? piece / 2 : piece;
    pieces.set(operatorId, Math.min(PIECE_MAX, Math.max(PIECE_MIN, next)));
  }
  return swept;
}

/**
 * Folds one operator's queue into the stores, in transactions of at most `chunk` rows, and sweeps the chart
 * slots it made dirty, until both are done; returns the rows folded (stops early when another node is folding
 * this operator right now). The queue comes first: every report reads it, while dirty slots only make charts
 * read more CDRs. So while full chunks keep coming (a bulk load) nothing is swept; once the queue is drained, a
 * piece is swept after each fold, and the backlog of dirty time goes in wide pieces. `sweep` is asked before each
 * piece: when it says no, the dirty time is left for later.
 */
export async function foldRollups(
  deps: Deps,
  operatorId: string,
  chunk = FOLD_CHUNK,
  vacuumAfter = VACUUM_AFTER_ROWS,
  sweep: () => boolean = () => true,
): Promise<number> {
  const total = await foldAndSweep(deps, operatorId, chunk, sweep);
  foldedSinceVacuum += total;
  if (foldedSinceVacuum >= vacuumAfter) {
    foldedSinceVacuum = 0;
    await reclaimQueue(deps);
  }
  return total;
}

async function foldAndSweep(
  deps: Deps,
  operatorId: string,
  chunk: number,
  sweep: () => boolean,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await foldChunk(deps, operatorId, chunk);
    if (n < 0) return total;
    total += n;
    if (n === chunk) continue;
    if (!sweep()) return total;
    const swept = await sweepChunk(deps, operatorId);
    if (swept <= 0) return total;
  }
}

/**
 * Every fold deletes what it folded, and the next one finds the queue's live rows by reading the heap from its
 * first page: without a vacuum, a fold after ten million rows read 1.2 GB of dead rows to find the new ones. The
 * folder therefore reclaims the queue (and the dirty-window table) itself after every VACUUM_AFTER_ROWS folded
 * rows on this node, instead of relying on autovacuum, which may be off or far behind for a table that churns a
 * million rows a minute. VACUUM runs outside any transaction and never blocks ingestion or folds.
 */
export const VACUUM_AFTER_ROWS = 200_000;
let foldedSinceVacuum = 0;

async function reclaimQueue(deps: Deps): Promise<void> {
  await deps.db.exec('VACUUM cdr_rollup_queue, cdr_chart_dirty');
}

/** Rebuilds one operator's rollups from its CDRs in one transaction; ingestion for that operator waits meanwhile. */
export async function rebuildRollups(
  deps: Deps,
  operatorId: string,
): Promise<{ hourly_rows: number; companies: number; chart_slots: number }> {
  return withTenant(deps.db, operatorId, async (tx) => {
    // SHARE blocks concurrent inserts until the rebuilt figures are committed; the advisory lock waits for a fold.
    await tx.query('LOCK TABLE cdrs IN SHARE MODE');
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [FOLD_LOCK, operatorId]);
    await tx.query('DELETE FROM cdr_rollup_queue');
    await tx.query('DELETE FROM cdr_hourly_store');
    await tx.query('DELETE FROM cdr_daily_store');
    const all = `all_cdrs AS (${queueProjection('cdrs')})`;
    const hourly = await tx.query(`WITH ${all} ${hourlyUpsertSql('all_cdrs')} RETURNING 1`);
    await tx.query(`WITH ${all} ${dailyUpsertSql('all_cdrs')}`);
    await tx.query('DELETE FROM company_usage');
    const usage = await tx.query(`${usageSql('cdrs', true)} RETURNING 1`);
    const charts = await rebuildChartSlots(tx);
    return { hourly_rows: hourly.length, companies: usage.length, chart_slots: charts.slots };
  });
}

/** Every operator's id, for a platform-wide rebuild. */
export async function allOperatorIds(deps: Deps): Promise<string[]> {
  return (
    await withSystem(deps.db, (tx) =>
      tx.query<{ id: string }>('SELECT id FROM operators ORDER BY created_at'),
    )
  ).map((r) => r.id);
}

/**
 * Brings one operator's rollups to their compact form: folds the queue (unless `fold` is false) and merges the
 * usage rows appended by ingestion into one row per company. Safe next to ingestion: rows committed later wait
 * for the next round.
 */
export async function compactRollups(
  deps: Deps,
  operatorId: string,
  fold = true,
): Promise<{ folded: number; usage: number }> {
  const folded = fold ? await foldRollups(deps, operatorId) : 0;
  const usage = await withTenant(deps.db, operatorId, (tx) =>
    tx.query(
      `WITH keys AS (SELECT DISTINCT company_id FROM company_usage WHERE NOT compacted),
       gone AS (DELETE FROM company_usage u USING keys k WHERE u.company_id = k.company_id RETURNING u.*)
       INSERT INTO company_usage (operator_id, company_id, call_charges, compacted)
       SELECT operator_id, company_id, sum(call_charges), true FROM gone GROUP BY 1, 2
       RETURNING 1`,
    ),
  );
  return { folded, usage: usage.length };
}

/**
 * Compacts every operator's rollups; the worker runs this every 30 seconds as a safety net behind the folder.
 * Operators named by `holdFold` (those whose upkeep the folder is holding back while their batches arrive) only
 * get their usage rows merged.
 */
export async function compactAll(
  deps: Deps,
  holdFold: (operatorId: string) => boolean = () => false,
): Promise<void> {
  for (const id of await allOperatorIds(deps)) await compactRollups(deps, id, !holdFold(id));
}

/** How the folder paces an operator's upkeep against its ingestion (see RollupFolder). */
export interface FolderPace {
  /** How long ingestion must have been quiet before the upkeep runs (default: the folder's delay). */
  quietMs?: number;
  /** The longest the fold waits for quiet (default 15 s). */
  maxDeferMs?: number;
  /** The longest the chart sweep waits for quiet (default 60 s). */
  maxSweepDeferMs?: number;
  /** The clock, in ms (tests). */
  now?: () => number;
}

/**
 * The worker's folder: folds an operator's queue a second after ingestion announces rows for it (on any node,
 * through NOTIFY), so the stores stay compact and the views' queued part stays small. Waiting that second lets a
 * stream of small batches fold together: each fold re-sweeps the chart slots of its calls with a lookback of
 * the longest call, a cost per fold rather than per call.
 *
 * Ingestion comes first. Folding and sweeping cost about as much CPU per call as storing it, and nothing a reader
 * sees waits for them (the rollup views add the queued calls, charts read the CDRs of the dirty time), so while
 * an operator's batches keep arriving (its last announcement less than `quietMs` ago) its upkeep waits: the fold
 * up to `maxDeferMs` at a time, the chart sweep up to `maxSweepDeferMs` (a bulk load spread over a month dirties
 * the whole month again with every fold, so sweeping during it mostly redoes work). A burst is stored at full
 * speed and its upkeep done right after it.
 */
export class RollupFolder {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  /** Per operator: when ingestion last announced rows, and since when its fold and its sweep have been put off. */
  private readonly announced = new Map<string, number>();
  private readonly foldWaiting = new Map<string, number>();
  private readonly sweepWaiting = new Map<string, number>();

  constructor(
    private readonly deps: Deps,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly delayMs = 1000,
    private readonly pace: FolderPace = {},
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.deps.db.listen(ROLLUP_CHANNEL, (operatorId) => this.request(operatorId));
  }

  /** Ingestion announced rows for the operator (or a caller wants its queue folded). */
  request(operatorId: string): void {
    this.announced.set(operatorId, this.now());
    this.pending.add(operatorId);
    if (!this.timer && !this.running) this.timer = setTimeout(() => this.run(), this.delayMs);
  }

  /** Whether the operator's ingestion has been quiet for `quietMs`. */
  private quiet(operatorId: string): boolean {
    const last = this.announced.get(operatorId) ?? Number.NEGATIVE_INFINITY;
    return this.now() - last >= (this.pace.quietMs ?? this.delayMs);
  }

  /** What the operator's upkeep does now: nothing, fold only, or fold and sweep; a wait is remembered. */
  private due(operatorId: string): 'wait' | 'fold' | 'all' {
    const now = this.now();
    const foldSince = this.foldWaiting.get(operatorId) ?? now;
    const sweepSince = this.sweepWaiting.get(operatorId) ?? now;
    if (this.quiet(operatorId) || now - sweepSince >= (this.pace.maxSweepDeferMs ?? 60_000)) {
      this.foldWaiting.delete(operatorId);
      this.sweepWaiting.delete(operatorId);
      return 'all';
    }
    this.sweepWaiting.set(operatorId, sweepSince);
    if (now - foldSince >= (this.pace.maxDeferMs ?? 15_000)) {
      this.foldWaiting.delete(operatorId);
      return 'fold';
    }
    this.foldWaiting.set(operatorId, foldSince);
    return 'wait';
  }

  /** Whether part of the operator's upkeep is waiting for its ingestion to pause. */
  waiting(operatorId: string): boolean {
    return this.foldWaiting.has(operatorId) || this.sweepWaiting.has(operatorId);
  }

  private now(): number {
    return this.pace.now ? this.pace.now() : performance.now();
  }

  private run(): void {
    this.timer = null;
    const ids = [...this.pending];
    this.pending.clear();
    this.running = (async () => {
      for (const id of ids) {
        const due = this.due(id);
        // A sweep forced by a long wait takes one piece; a quiet operator's goes on while it stays quiet.
        let pieces = 0;
        const sweep = () => due === 'all' && (pieces++ === 0 || this.quiet(id));
        if (due !== 'wait')
          await foldRollups(this.deps, id, FOLD_CHUNK, VACUUM_AFTER_ROWS, sweep).catch(this.onError);
        if (this.waiting(id)) this.pending.add(id);
      }
    })().finally(() => {
      this.running = null;
      if (this.pending.size) this.timer = setTimeout(() => this.run(), this.delayMs);
    });
  }

  /** Resolves when nothing is pending or running. */
  async idle(): Promise<void> {
    while (this.running || this.timer) {
      if (this.running) await this.running;
      else await new Promise((r) => setTimeout(r, this.delayMs));
    }
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
