/**
 * The operator's outgoing mail as the job queue sees it: state, recipient, template, attempts, the
 * SMTP server's last answer and the next attempt, with "retry now". Row-level security scopes `jobs`
 * to the operator.
 */
import type { TenantCtx } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { MAIL_KIND } from '../../emails/outbox.ts';
import { JOBS_CHANNEL } from '../../jobs/queue.ts';
import { audit } from '../../lib/audit.ts';
import { conflict, notFound } from '../../lib/errors.ts';

export type MailState = 'queued' | 'running' | 'done' | 'failed';

export interface MailJobQuery {
  state?: MailState;
  q?: string;
  page: number;
  page_size: number;
}

interface JobRow {
  id: string;
  state: MailState;
  payload: { to?: string; template?: string; domainId?: string | null } | string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_at: Date;
  created_at: Date;
  finished_at: Date | null;
  brand_name: string | null;
}

function present(r: JobRow) {
  const p = typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload;
  return {
    id: String(r.id),
    state: r.state,
    to: String(p.to ?? ''),
    template: String(p.template ?? ''),
    domain_id: p.domainId ?? null,
    brand_name: r.brand_name,
    attempts: r.attempts,
    max_attempts: r.max_attempts,
    last_error: r.last_error,
    next_attempt_at: r.state === 'queued' ? r.run_at.toISOString() : null,
    created_at: r.created_at.toISOString(),
    finished_at: r.finished_at ? r.finished_at.toISOString() : null,
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const SELECT = `SELECT j.id::text AS id, j.state, j.payload, j.attempts, j.max_attempts, j.last_error, j.run_at,
       j.created_at, j.finished_at, d.brand_name
  FROM jobs j LEFT JOIN portal_domains d ON d.operator_id = j.operator_id AND d.id::text = j.payload->>'domainId'`;

/** Mail jobs, newest first, filtered by state and by recipient or template text. */
export async function listMailJobs(ctx: TenantCtx, query: MailJobQuery) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const where = ['j.kind = $1'];
    const params: unknown[] = [MAIL_KIND];
    if (query.state) {
      params.push(query.state);
      where.push(`j.state = $${params.length}`);
    }
    const q = query.q?.trim();
    if (q) {
      params.push(`%${escapeLike(q.toLowerCase())}%`);
      where.push(
        `(lower(j.payload->>'to') LIKE $${params.length} OR lower(j.payload->>'template') LIKE $${params.length})`,
      );
    }
    const [count] = await tx.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM jobs j WHERE ${where.join(' AND ')}`,
      params,
    );
    const [states] = await tx.query<{ failed: number | string; queued: number | string }>(
      `SELECT count(*) FILTER (WHERE state = 'failed') AS failed, count(*) FILTER (WHERE state = 'queued') AS queued
         FROM jobs WHERE kind = $1`,
      [MAIL_KIND],
    );
    const rows = await tx.query<JobRow>(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY j.created_at DESC, j.id DESC
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.page_size, (query.page - 1) * query.page_size],
    );
    return {
      items: rows.map(present),
      total: Number(count?.n ?? 0),
      page: query.page,
      page_size: query.page_size,
      counts: { failed: Number(states?.failed ?? 0), queued: Number(states?.queued ?? 0) },
    };
  });
}

/**
 * Runs a failed or waiting mail again now. A failed mail gets one more attempt beyond those it used.
 * Sent mail and mail being sent right now are left alone.
 */
export async function retryMailJob(ctx: TenantCtx, id: string) {
  return withTenant(ctx.deps.db, ctx.operatorId, async (tx) => {
    const [job] = await tx.query<{ state: MailState; key: string | null }>(
      'SELECT state, key FROM jobs WHERE id = $1::bigint AND kind = $2 FOR UPDATE',
      [id, MAIL_KIND],
    );
    if (!job) throw notFound('Mail');
    if (job.state === 'done') throw conflict('already_sent', 'This mail was already sent');
    if (job.state === 'running') throw conflict('mail_sending', 'This mail is being sent right now');
    if (job.key !== null && job.state === 'failed') {
      const [twin] = await tx.query(
        "SELECT 1 FROM jobs WHERE kind = $1 AND key = $2 AND state IN ('queued', 'running') AND id <> $3::bigint",
        [MAIL_KIND, job.key, id],
      );
      if (twin) throw conflict('mail_requeued', 'The same mail is already waiting to be sent again');
    }
    await tx.query(
      `UPDATE jobs SET state = 'queued', run_at = now(), finished_at = NULL, locked_by = NULL, locked_until = NULL,
              max_attempts = CASE WHEN state = 'failed' THEN greatest(max_attempts, attempts + 1) ELSE max_attempts END
        WHERE id = $1::bigint`,
      [id],
    );
    await tx.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, MAIL_KIND]);
    await audit(tx, ctx.operatorId, ctx.actor, {
      action: 'mail.retry',
      entityType: 'mail',
      entityId: null,
      after: { job_id: id, previous_state: job.state },
    });
    const [row] = await tx.query<JobRow>(`${SELECT} WHERE j.id = $1::bigint`, [id]);
    return present(row!);
  });
}
