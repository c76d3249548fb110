/**
 * Durable job queue in the database (table `jobs`): background work survives restarts, is retried
 * with exponential backoff and is claimed by exactly one node (FOR UPDATE SKIP LOCKED). Works the
 * same on PGlite and on the PostgreSQL server; on the server, NOTIFY wakes the other nodes at once.
 */
import os from 'node:os';
import type { Deps } from '../context.ts';
import type { Queryable } from '../db/db.ts';

export const JOBS_CHANNEL = 'jobs';

export interface Job {
  id: string;
  operatorId: string | null;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
}

export interface EnqueueOptions {
  kind: string;
  /** At most one unfinished job per (kind, key); enqueueing again is a no-op (see `sooner`). */
  key?: string | null;
  operatorId?: string | null;
  payload?: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
  /** When a job with the same key is already queued, move it to this job's run time if that is earlier. */
  sooner?: boolean;
}

/** Thrown by a handler to be run again at a chosen time (its own schedule, outside max_attempts). */
export class RetryAt extends Error {
  constructor(
    readonly at: Date,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown by a handler when retrying cannot help: the job fails at once. */
export class PermanentJobError extends Error {}

export type JobHandler = (job: Job, deps: Deps) => Promise<void>;

export interface HandlerOptions {
  /** Delay before retry n (1-based) after an ordinary error; default 30 s doubling, capped at 1 h, ±20 % jitter. */
  backoffMs?: (attempt: number) => number;
}

export function defaultBackoffMs(attempt: number): number {
  const base = Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Enqueues a job in the caller's transaction (so it exists only if the work that asked for it commits). */
/** Payload flag set on a running job by a `sooner` enqueue; consumed when the job finishes. */
const RERUN = '_rerun';

export async function enqueue(q: Queryable, opts: EnqueueOptions): Promise<string | null> {
  const runAt = opts.runAt ?? null;
  const rows = await q.query<{ id: string }>(
    `INSERT INTO jobs (operator_id, kind, key, payload, run_at, max_attempts)
     VALUES ($1, $2, $3, $4::jsonb, coalesce($5::timestamptz, now()), $6)
     ON CONFLICT (kind, key) WHERE state IN ('queued', 'running') AND key IS NOT NULL DO NOTHING
     RETURNING id::text`,
    [
      opts.operatorId ?? null,
      opts.kind,
      opts.key ?? null,
      JSON.stringify(opts.payload ?? {}),
      runAt,
      opts.maxAttempts ?? 8,
    ],
  );
  if (rows[0]) {
    await q.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, opts.kind]);
    return rows[0].id;
  }
  if (opts.sooner && opts.key != null) {
    const moved = await q.query<{ id: string }>(
      `UPDATE jobs SET run_at = coalesce($3::timestamptz, now())
       WHERE kind = $1 AND key = $2 AND state = 'queued' AND run_at > coalesce($3::timestamptz, now())
       RETURNING id::text`,
      [opts.kind, opts.key, runAt],
    );
    if (moved[0]) {
      await q.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, opts.kind]);
    } else {
      // The job is running right now: ask for one more run as soon as it finishes, whatever it reschedules
      // itself to (otherwise a "check now" pressed during a check would wait for the check's own backoff).
      await q.query(
        `UPDATE jobs SET payload = payload || '{"${RERUN}": true}'::jsonb
          WHERE kind = $1 AND key = $2 AND state = 'running'`,
        [opts.kind, opts.key],
      );
    }
  }
  return null;
}

interface JobRow {
  id: string;
  operator_id: string | null;
  kind: string;
  key: string | null;
  payload: Record<string, unknown> | string;
  attempts: number;
  max_attempts: number;
  run_at: Date | string;
}

function withoutRerun(payload: Record<string, unknown>): Record<string, unknown> {
  if (!(RERUN in payload)) return payload;
  const { [RERUN]: _, ...rest } = payload;
  return rest;
}

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    operatorId: r.operator_id,
    kind: r.kind,
    key: r.key,
    payload: withoutRerun(typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload),
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: new Date(r.run_at),
  };
}

export interface RunnerOptions {
  /** This node's name in locked_by. */
  node?: string;
  /** The clock used for due times and backoff (tests move it forward). */
  now?: () => Date;
  /** Jobs run at the same time by this node. */
  concurrency?: number;
  /** A claimed job whose node has not finished it by then is given to another node. */
  lockMs?: number;
  onError?: (err: unknown, job: Job | null) => void;
}

/** Claims due jobs of the kinds registered on it and runs them. */
export class JobRunner {
  private readonly handlers = new Map<string, { fn: JobHandler; opts: HandlerOptions }>();
  private readonly node: string;
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly lockMs: number;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deps: Deps,
    private readonly opts: RunnerOptions = {},
  ) {
    this.node = opts.node ?? `${os.hostname()}:${process.pid}`;
    this.now = opts.now ?? (() => new Date());
    this.concurrency = opts.concurrency ?? 4;
    this.lockMs = opts.lockMs ?? 5 * 60_000;
  }

  register(kind: string, fn: JobHandler, opts: HandlerOptions = {}): this {
    this.handlers.set(kind, { fn, opts });
    return this;
  }

  /** Runs every job due now (including the retries that become due meanwhile at this clock); returns how many ran. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runDue();
      if (n === 0) return total;
      total += n;
    }
  }

  /** Claims one batch of due jobs and runs it; returns how many ran. */
  async runDue(): Promise<number> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return 0;
    const now = this.now();
    const db = this.deps.db;
    // A node that died holding a job gives it back once its lock has expired.
    await db.query(
      `UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL, run_at = $1
       WHERE state = 'running' AND locked_until < $1 AND kind = ANY($2::text[])`,
      [now, kinds],
    );
    const claimed = await db.query<JobRow>(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $2,
              locked_until = $1::timestamptz + make_interval(secs => $4::double precision / 1000)
       WHERE id IN (SELECT id FROM jobs
                    WHERE state = 'queued' AND run_at <= $1 AND kind = ANY($3::text[])
                    ORDER BY run_at, id LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING id::text, operator_id, kind, key, payload, attempts, max_attempts, run_at`,
      [now, this.node, kinds, this.lockMs, this.concurrency],
    );
    await Promise.all(claimed.map((r) => this.runOne(toJob(r))));
    return claimed.length;
  }

  private async runOne(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    const db = this.deps.db;
    try {
      if (!handler) throw new PermanentJobError(`no handler for ${job.kind}`);
      await handler.fn(job, this.deps);
      await db.query(
        `UPDATE jobs SET state = CASE WHEN payload ? '${RERUN}' THEN 'queued' ELSE 'done' END,
                finished_at = CASE WHEN payload ? '${RERUN}' THEN NULL ELSE $3::timestamptz END,
                run_at = CASE WHEN payload ? '${RERUN}' THEN $3::timestamptz ELSE run_at END,
                attempts = CASE WHEN payload ? '${RERUN}' THEN 0 ELSE attempts END,
                payload = payload - '${RERUN}', locked_by = NULL, locked_until = NULL, last_error = NULL
         WHERE id = $1 AND locked_by = $2`,
        [job.id, this.node, this.now()],
      );
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
      const now = this.now();
      if (err instanceof RetryAt) {
        await db.query(
          `UPDATE jobs SET state = 'queued', last_error = $4, locked_by = NULL, locked_until = NULL,
                  run_at = CASE WHEN payload ? '${RERUN}' THEN least($3::timestamptz, $5::timestamptz) ELSE $3::timestamptz END,
                  payload = payload - '${RERUN}'
           WHERE id = $1 AND locked_by = $2`,
          [job.id, this.node, err.at, message, now],
        );
        return;
      }
      const final = err instanceof PermanentJobError || job.attempts >= job.maxAttempts;
      const backoff = handler?.opts.backoffMs ?? defaultBackoffMs;
      await db.query(
        final
          ? `UPDATE jobs SET state = 'failed', finished_at = $3, last_error = $4, locked_by = NULL, locked_until = NULL
             WHERE id = $1 AND locked_by = $2`
          : `UPDATE jobs SET state = 'queued', last_error = $4, locked_by = NULL, locked_until = NULL,
                    run_at = CASE WHEN payload ? '${RERUN}' THEN $5::timestamptz ELSE $3::timestamptz END,
                    payload = payload - '${RERUN}'
             WHERE id = $1 AND locked_by = $2`,
        final
          ? [job.id, this.node, now, message]
          : [job.id, this.node, new Date(now.getTime() + backoff(job.attempts)), message, now],
      );
      this.opts.onError?.(err, job);
    }
  }

  /** Polls every pollMs and wakes at once on NOTIFY; finished jobs older than a week are deleted hourly. */
  async start(pollMs = 2000): Promise<void> {
    this.stopped = false;
    this.unlisten = await this.deps.db.listen(JOBS_CHANNEL, (kind) => {
      if (this.handlers.has(kind)) this.kick();
    });
    let ticks = 0;
    const everyHour = Math.max(1, Math.round(3_600_000 / pollMs));
    this.timer = setInterval(() => {
      if (ticks++ % everyHour === 0) {
        this.deps.db
          .query(`DELETE FROM jobs WHERE state = 'done' AND finished_at < now() - interval '7 days'`)
          .catch((err) => this.opts.onError?.(err, null));
      }
      this.kick();
    }, pollMs);
    this.kick();
  }

  /** Runs due jobs soon; calls made while a run is in progress cause one more run after it. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().catch((err) => {
      this.opts.onError?.(err, null);
      return 0;
    });
    void this.running.finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Stops polling and waits for the jobs in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unlisten?.();
    this.unlisten = null;
    await this.running;
  }
}
