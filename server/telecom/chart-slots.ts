/**
 * Chart slots (table cdr_chart_slots, migration 013): per 5 minutes, a customer's or a carrier's attempts,
 * connected calls, talk seconds, DTMF calls, busiest second and concurrent-call levels, so that charts over days
 * read thousands of slot rows instead of hundreds of thousands of calls.
 *
 * Slots are never adjusted by arithmetic: a sweep recomputes every slot of a time window from the CDRs (the
 * calls starting in the window, and those started up to CHANNEL_LOOKBACK_SECONDS before it that are still up),
 * so a fold, a rebuild and a read of the raw CDRs can never disagree. The fold sweeps, per customer and per
 * carrier, the window its newly folded calls span (marked dirty by the fold, swept half a day at a time); the
 * rebuild sweeps every key day by day.
 */
import type { Tx } from '../db/db.ts';

export const SLOT_SECONDS = 300;
/**
 * Calls are taken to occupy a channel from their start (INVITE) until hang-up: start + PDD + ring + talk.
 * Calls that started before a window still count while they last; switches cap calls well under this.
 */
export const CHANNEL_LOOKBACK_SECONDS = 4 * 3600;
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** When a CDR's call hung up, from its columns (of `c`). */
export const callEnd = (c: string) =>
  `${c}.start_time + make_interval(secs => coalesce(${c}.pdd_ms, 0) / 1000.0 + ${c}.ring_duration + ${c}.duration)`;

/** The 5-minute slot (UTC) holding a time. */
export const slotOf = (t: string) => `date_bin('5 minutes', ${t}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

/** A window to sweep: every slot of [w, e) of one key (w and e on slot boundaries). */
export interface SweepWindow {
  scope: 'c' | 'r';
  id: string;
  w: string;
  e: string;
}

/**
 * The calls of the windows given as JSON in $1 ({k, scope, id, w, e}): a customer's calls (index on company and
 * time, index-only) or a carrier's, from w − lookback to e, with start and hang-up as exact microseconds since the
 * epoch (int8: exact in a double until the year 2255).
 */
const CALLS_SQL = `WITH win AS (
  -- lw: from when calls are read. Computed here so that the join on cdrs compares columns only: row-level
  -- security lets only leakproof quals (a comparison, not timestamp arithmetic) into the index scan.
  SELECT k, scope, id, w, e, w - make_interval(secs => ${CHANNEL_LOOKBACK_SECONDS}) AS lw
    FROM jsonb_to_recordset($1::jsonb) AS x(k int, scope text, id uuid, w timestamptz, e timestamptz)
), calls AS (
  SELECT win.k, c.carrier_id, c.start_time AS s, ${callEnd('c')} AS en, c.duration, c.dtmf <> '' AS dtmf
    FROM win JOIN cdrs c ON c.company_id = win.id AND c.start_time >= win.lw AND c.start_time < win.e
   WHERE win.scope = 'c'
  UNION ALL
  SELECT win.k, c.carrier_id, c.start_time, ${callEnd('c')}, c.duration, c.dtmf <> ''
    FROM win JOIN cdrs c ON c.carrier_id = win.id AND c.start_time >= win.lw AND c.start_time < win.e
   WHERE win.scope = 'r'
)
SELECT k, carrier_id, (extract(epoch FROM s) * 1000000)::int8 AS s, (extract(epoch FROM en) * 1000000)::int8 AS en,
       duration, dtmf
  FROM calls`;

/**
 * The stored slots of the lines in $1 ({scope, id, carrier, w, e}), each with its figures as one comparable
 * string. One index range scan per line (OFFSET 0 keeps the subquery from being flattened into a join that would
 * read the whole table): a line's stored slots in [w, e) can only be of carriers among the calls just read, since
 * calls are never taken back.
 */
const STORED_SQL = `SELECT s.*
  FROM jsonb_to_recordset($1::jsonb) AS x(scope text, id uuid, carrier uuid, w timestamptz, e timestamptz),
       LATERAL (SELECT s.scope, s.scope_id, s.carrier_id, (extract(epoch FROM s.slot) * 1000000)::int8 AS slot,
                       concat_ws(',', s.attempts, s.connected, s.duration, s.dtmf_calls, s.cps_peak, s.chan_peak,
                                 s.chan_close) AS v
                  FROM cdr_chart_slots s
                 WHERE s.scope = x.scope AND s.scope_id = x.id AND s.carrier_id = x.carrier AND s.slot >= x.w
                   AND s.slot < x.e
                OFFSET 0) s`;

const SLOT_ARRAYS = `unnest($1::text[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::int[], $6::int[], $7::int8[], $8::int[],
                            $9::int[], $10::int[], $11::int[])
         AS u(scope, scope_id, carrier_id, slot, attempts, connected, duration, dtmf_calls, cps_peak, chan_peak, chan_close)`;

// Slots not stored yet are COPYed into a session staging table, then moved with a plain INSERT (no speculative
// insertion: the sweeper holds the fold lock, so nothing else writes this tenant's slots meanwhile); slots whose
// figures changed are updated from arrays.
const SLOT_STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS slot_stage (scope text COLLATE "C", scope_id uuid, carrier_id uuid,
  slot timestamptz, attempts int, connected int, duration int8, dtmf_calls int, cps_peak int, chan_peak int,
  chan_close int) ON COMMIT DELETE ROWS`;
const INSERT_SLOTS_SQL = `INSERT INTO cdr_chart_slots (operator_id, scope, scope_id, carrier_id, slot, attempts, connected, duration,
                             dtmf_calls, cps_peak, chan_peak, chan_close)
SELECT app_operator_id(), * FROM slot_stage`;
const UPDATE_SLOTS_SQL = `UPDATE cdr_chart_slots t
   SET attempts = u.attempts, connected = u.connected, duration = u.duration, dtmf_calls = u.dtmf_calls,
       cps_peak = u.cps_peak, chan_peak = u.chan_peak, chan_close = u.chan_close
  FROM ${SLOT_ARRAYS}
 WHERE t.operator_id = app_operator_id() AND t.scope = u.scope AND t.scope_id = u.scope_id
   AND t.carrier_id = u.carrier_id AND t.slot = u.slot`;

const SLOT_MICROS = SLOT_SECONDS * 1_000_000;
/** The slot holding a time (µs since the epoch): date_bin from 2000-01-01, a multiple of 5 minutes since 1970. */
const slotStart = (t: number) => Math.floor(t / SLOT_MICROS) * SLOT_MICROS;

/** One line of one key: its calls' channel events, starts by second, and the level its window opens with. */
class Line {
  lvl0 = 0;
  /** Event times (µs), a start as +1 and an end as −1, flattened: [t, d, t, d, …]. */
  readonly events: number[] = [];
  /** Per start second (µs): attempts, connected, talk seconds, DTMF calls. */
  readonly seconds = new Map<number, [number, number, number, number]>();

  add(w: number, e: number, s: number, en: number, duration: number, dtmf: boolean): void {
    if (s < w && en > w) this.lvl0++;
    if (en > s) {
      if (s >= w && s < e) this.events.push(s, 1);
      if (en > w && en < e) this.events.push(en, -1);
    }
    if (s >= w && s < e) {
      const sec = Math.floor(s / 1_000_000) * 1_000_000;
      let a = this.seconds.get(sec);
      if (!a) {
        a = [0, 0, 0, 0];
        this.seconds.set(sec, a);
      }
      a[0]++;
      a[2] += duration;
      if (duration > 0) {
        a[1]++;
        if (dtmf) a[3]++;
      }
    }
  }

  /**
   * The line's slots in time order: attempts, connected, talk, DTMF and the busiest second of the calls starting in
   * each; the channel level's peak (the level the slot opens with included) and the level it closes with, from a
   * running sum over the events (ends first at equal times: intervals are half-open). Only slots with a start or an
   * end get a row; between rows the level carries.
   */
  slots(): {
    slot: number;
    attempts: number;
    connected: number;
    duration: number;
    dtmf: number;
    cps: number;
    peak: number;
    close: number;
  }[] {
    const order = Array.from({ length: this.events.length / 2 }, (_, i) => i * 2);
    const ev = this.events;
    order.sort((a, b) => ev[a]! - ev[b]! || ev[a + 1]! - ev[b + 1]!);
    const bySlot = new Map<
      number,
      {
        attempts: number;
        connected: number;
        duration: number;
        dtmf: number;
        cps: number;
        peakRel: number | null;
        net: number;
      }
    >();
    const at = (slot: number) => {
      let x = bySlot.get(slot);
      if (!x) {
        x = { attempts: 0, connected: 0, duration: 0, dtmf: 0, cps: 0, peakRel: null, net: 0 };
        bySlot.set(slot, x);
      }
      return x;
    };
    let lvl = 0;
    for (const i of order) {
      lvl += ev[i + 1]!;
      const x = at(slotStart(ev[i]!));
      x.peakRel = x.peakRel === null ? lvl : Math.max(x.peakRel, lvl);
      x.net += ev[i + 1]!;
    }
    for (const [sec, [n, connected, duration, dtmf]] of this.seconds) {
      const x = at(slotStart(sec));
      x.attempts += n;
      x.connected += connected;
      x.duration += duration;
      x.dtmf += dtmf;
      x.cps = Math.max(x.cps, n);
    }
    let close = this.lvl0;
    return [...bySlot.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([slot, x]) => {
        close += x.net;
        const peak = Math.max(close - x.net, x.peakRel === null ? 0 : this.lvl0 + x.peakRel);
        return {
          slot,
          attempts: x.attempts,
          connected: x.connected,
          duration: x.duration,
          dtmf: x.dtmf,
          cps: x.cps,
          peak,
          close,
        };
      });
  }
}

/** Windows read per statement: bounds the calls held in memory at once. */
const WINDOWS_PER_READ = 64;
/** Slot rows written per statement. */
const ROWS_PER_WRITE = 20_000;

/**
 * Re-sweeps the slots of the windows (the fold: the windows its calls span, per customer and carrier); the caller
 * holds the tenant's fold lock. The calls of a group of windows are read by one statement and their events summed
 * here, one sorted event stream per line; the slots stored for those windows are read too, and only the slots
 * that are new or whose figures changed are written (plain inserts, updates), in primary-key order. Writing slot
 * rows is what a sweep costs: an upsert that finds its row costs about four times a plain insert, and most slots
 * of a re-swept window have not changed.
 */
export async function sweepWindows(tx: Tx, windows: SweepWindow[]): Promise<void> {
  const ordered = [...windows].sort((a, b) =>
    a.scope !== b.scope ? (a.scope < b.scope ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const fresh = new SlotCopy(tx);
  const changed = new SlotUpdates(tx);
  for (let i = 0; i < ordered.length; i += WINDOWS_PER_READ) {
    const group = ordered.slice(i, i + WINDOWS_PER_READ);
    const rows = await tx.query<{
      k: number;
      carrier_id: string | null;
      s: number;
      en: number;
      duration: number;
      dtmf: boolean;
    }>(CALLS_SQL, [JSON.stringify(group.map((w, k) => ({ ...w, k })))]);
    const bounds = group.map((w) => ({ w: Date.parse(w.w) * 1000, e: Date.parse(w.e) * 1000 }));
    // Per window: its total line, and for a customer one line per carrier.
    const lines = group.map(() => ({ total: new Line(), carriers: new Map<string, Line>() }));
    for (const r of rows) {
      const { w, e } = bounds[r.k]!;
      const l = lines[r.k]!;
      l.total.add(w, e, r.s, r.en, r.duration, r.dtmf);
      if (group[r.k]!.scope === 'c' && r.carrier_id) {
        let c = l.carriers.get(r.carrier_id);
        if (!c) {
          c = new Line();
          l.carriers.set(r.carrier_id, c);
        }
        c.add(w, e, r.s, r.en, r.duration, r.dtmf);
      }
    }
    const stored = new Map<string, string>();
    for (const x of await tx.query<{
      scope: string;
      scope_id: string;
      carrier_id: string;
      slot: number;
      v: string;
    }>(STORED_SQL, [
      JSON.stringify(
        group.flatMap((win, k) =>
          [NIL_UUID, ...lines[k]!.carriers.keys()].map((carrier) => ({ ...win, carrier })),
        ),
      ),
    ]))
      stored.set(`${x.scope} ${x.scope_id} ${x.carrier_id} ${x.slot}`, x.v);
    for (const [k, win] of group.entries()) {
      const keyed: [string, Line][] = [
        [NIL_UUID, lines[k]!.total],
        ...[...lines[k]!.carriers.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      ];
      for (const [carrier, line] of keyed) {
        for (const x of line.slots()) {
          const v = `${x.attempts},${x.connected},${x.duration},${x.dtmf},${x.cps},${x.peak},${x.close}`;
          const was = stored.get(`${win.scope} ${win.id} ${carrier} ${x.slot}`);
          if (was === v) continue;
          const row = [
            win.scope,
            win.id,
            carrier,
            new Date(x.slot / 1000).toISOString(),
            x.attempts,
            x.connected,
            x.duration,
            x.dtmf,
            x.cps,
            x.peak,
            x.close,
          ];
          await (was === undefined ? fresh : changed).push(row);
        }
      }
    }
    await fresh.flush();
    await changed.flush();
  }
}

/** New slot rows as COPY text, written ROWS_PER_WRITE at a time through the staging table. */
class SlotCopy {
  private lines: string[] = [];
  private staged = false;
  constructor(private readonly tx: Tx) {}

  async push(row: (string | number)[]): Promise<void> {
    this.lines.push(row.join('\t'));
    if (this.lines.length >= ROWS_PER_WRITE) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.lines.length) return;
    if (!this.staged) await this.tx.query(SLOT_STAGE_SQL);
    this.staged = true;
    await this.tx.copyFrom('COPY slot_stage FROM STDIN', `${this.lines.join('\n')}\n`);
    await this.tx.query(INSERT_SLOTS_SQL);
    await this.tx.query('TRUNCATE slot_stage');
    this.lines = [];
  }
}

/** Changed slot rows gathered column by column and updated ROWS_PER_WRITE at a time from arrays. */
class SlotUpdates {
  private readonly cols: unknown[][] = Array.from({ length: 11 }, () => []);
  constructor(private readonly tx: Tx) {}

  async push(row: (string | number)[]): Promise<void> {
    for (let j = 0; j < row.length; j++) this.cols[j]!.push(row[j]);
    if (this.cols[0]!.length >= ROWS_PER_WRITE) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.cols[0]!.length) return;
    await this.tx.query(UPDATE_SLOTS_SQL, this.cols);
    for (const c of this.cols) c.length = 0;
  }
}

/**
 * Rebuilds the tenant's chart slots from its CDRs, one day of every key at a time (a day of calls in memory, not
 * the whole table). Runs inside the caller's transaction, which holds the fold lock.
 */
export async function rebuildChartSlots(tx: Tx): Promise<{ slots: number; days: number }> {
  await tx.query('DELETE FROM cdr_chart_slots');
  await tx.query('DELETE FROM cdr_chart_dirty');
  const [span] = await tx.query<{ first: string | null; last: string | null }>(
    `SELECT date_trunc('day', min(start_time), 'UTC') AS first, max(start_time) AS last FROM cdrs`,
  );
  if (!span?.first || !span.last) return { slots: 0, days: 0 };
  const keys = await tx.query<{ scope: 'c' | 'r'; id: string }>(
    `SELECT 'c' AS scope, id FROM companies
     UNION ALL SELECT 'r', id FROM companies WHERE type = 'carrier'`,
  );
  const last = new Date(span.last).getTime();
  let days = 0;
  // The last window reaches past the last start by the longest call, so every end is swept.
  for (let d = new Date(span.first).getTime(); d <= last + CHANNEL_LOOKBACK_SECONDS * 1000; d += 86_400_000) {
    const w = new Date(d).toISOString();
    const e = new Date(d + 86_400_000).toISOString();
    await sweepWindows(
      tx,
      keys.map((k) => ({ ...k, w, e })),
    );
    days++;
  }
  const [n] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM cdr_chart_slots');
  return { slots: n?.n ?? 0, days };
}

/** Marks dirty the windows that newly folded calls span (inside the fold, over queue-shaped rows `q`). */
export function markDirtySql(q: string): string {
  const end = `${q}.start_time + make_interval(secs => coalesce(${q}.pdd_ms, 0) / 1000.0 + ${q}.ring_duration + ${q}.duration)`;
  return `INSERT INTO cdr_chart_dirty (operator_id, scope, scope_id, w, e)
  SELECT operator_id, scope, id, ${slotOf('w')}, ${slotOf('e')} + interval '5 minutes'
    FROM (SELECT operator_id, 'c' AS scope, company_id AS id, min(start_time) AS w, max(${end}) AS e
            FROM ${q} GROUP BY operator_id, company_id
          UNION ALL
          SELECT operator_id, 'r', carrier_id, min(start_time), max(${end}) FROM ${q}
           WHERE carrier_id <> '${NIL_UUID}' GROUP BY operator_id, carrier_id) win
   ORDER BY 1, 2, 3
  ON CONFLICT (operator_id, scope, scope_id) DO UPDATE SET
    w = least(cdr_chart_dirty.w, excluded.w), e = greatest(cdr_chart_dirty.e, excluded.e)`;
}

/** How much of the dirty time one sweep transaction takes on at first: the oldest half-day of every dirty key. */
export const SWEEP_PIECE_SECONDS = 12 * 3600;

/** A share of an operator's keys: those whose id's last byte is `index` modulo `count`. */
export interface SweepPart {
  index: number;
  count: number;
}

/**
 * Sweeps the oldest dirty piece of the tenant's keys in `part`: every such key dirty before the piece's end gets
 * its slots of [w, min(e, piece end)) recomputed, then its dirty window starts at the piece's end or is gone. The
 * caller holds the sweep lock (shared by the parts, exclusive of folds), so no fold widens a window meanwhile, and
 * parts touch disjoint keys. Returns the keys swept (0: nothing was dirty).
 */
export async function sweepDirtyPiece(
  tx: Tx,
  pieceSeconds = SWEEP_PIECE_SECONDS,
  part: SweepPart = { index: 0, count: 1 },
): Promise<number> {
  const dirty = await tx.query<{ scope: 'c' | 'r'; id: string; w: Date | string; e: Date | string }>(
    `SELECT scope, scope_id AS id, w, e FROM cdr_chart_dirty
      WHERE get_byte(uuid_send(scope_id), 15) % $1 = $2`,
    [part.count, part.index],
  );
  if (!dirty.length) return 0;
  const ms = (v: Date | string) => new Date(v).getTime();
  const start = Math.min(...dirty.map((d) => ms(d.w)));
  const end = start + pieceSeconds * 1000;
  const windows: SweepWindow[] = dirty
    .filter((d) => ms(d.w) < end)
    .map((d) => ({
      scope: d.scope,
      id: d.id,
      w: new Date(ms(d.w)).toISOString(),
      e: new Date(Math.min(ms(d.e), end)).toISOString(),
    }));
  await sweepWindows(tx, windows);
  const pieceEnd = new Date(end).toISOString();
  const keys = [windows.map((x) => x.scope), windows.map((x) => x.id)];
  const mine = '(scope, scope_id) IN (SELECT * FROM unnest($2::text[], $3::uuid[]))';
  await tx.query(`DELETE FROM cdr_chart_dirty WHERE w < $1 AND e <= $1 AND ${mine}`, [pieceEnd, ...keys]);
  await tx.query(`UPDATE cdr_chart_dirty SET w = $1 WHERE w < $1 AND ${mine}`, [pieceEnd, ...keys]);
  return windows.length;
}
