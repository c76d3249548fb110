/**
 * Outbound mail goes through the job queue: queueMail() records it in the caller's transaction and the
 * worker sends it with the brand's SMTP (falling back to the platform's), retrying with backoff. A mail
 * that cannot be delivered ends as a failed `mail.send` job with the server's answer, shown in the console.
 */
import type { Deps } from '../context.ts';
import { type Queryable, withSystem } from '../db/db.ts';
import { enqueue, type Job, PermanentJobError } from '../jobs/queue.ts';
import { publicUrl } from '../lib/hosts.ts';
import { type SmtpConfig, smtpFromUrl } from './mailer.ts';
import { type Brand, renderMail } from './templates.ts';

export const MAIL_KIND = 'mail.send';

export interface QueueMailInput {
  operatorId: string;
  /** The brand the mail speaks for; null for mail to the operator from the platform. */
  domainId: string | null;
  to: string;
  template: string;
  vars?: Record<string, string>;
  /** Makes the mail idempotent: a second queueMail with the same key while the first is unsent is ignored. */
  key?: string;
}

const PROBE_BRAND: Brand = { name: 'Brand', logoUrl: null, footer: '', portalUrl: 'http://brand.invalid' };

/** Queues a mail in the caller's transaction; throws at once on an unknown template or a missing variable. */
export async function queueMail(q: Queryable, input: QueueMailInput): Promise<string | null> {
  renderMail(input.template, PROBE_BRAND, input.vars ?? {});
  return enqueue(q, {
    kind: MAIL_KIND,
    key: input.key ?? null,
    operatorId: input.operatorId,
    maxAttempts: 10,
    payload: { domainId: input.domainId, to: input.to, template: input.template, vars: input.vars ?? {} },
  });
}

interface DomainMailRow {
  brand_name: string;
  domain: string;
  logo_file_id: string | null;
  footer: string;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_security: 'none' | 'starttls' | 'tls';
  smtp_username: string | null;
  smtp_password_enc: string | null;
  smtp_from: string | null;
}

/** The brand's SMTP settings when it has a host, else the platform's SMTP_URL, else null. */
export function smtpForBrand(deps: Deps, row: DomainMailRow | null): SmtpConfig | null {
  if (row?.smtp_host) {
    return {
      host: row.smtp_host,
      port: Number(row.smtp_port ?? (row.smtp_security === 'tls' ? 465 : 587)),
      security: row.smtp_security,
      username: row.smtp_username ?? null,
      password: row.smtp_password_enc ? deps.box.decrypt(row.smtp_password_enc) : null,
      from: row.smtp_from ?? deps.env.smtpFrom,
    };
  }
  return deps.env.smtpUrl ? smtpFromUrl(deps.env.smtpUrl, deps.env.smtpFrom) : null;
}

/** Loads what a brand's mail needs: its layout and its transport. */
export async function loadBrandMail(
  deps: Deps,
  operatorId: string,
  domainId: string | null,
): Promise<{ brand: Brand; smtp: SmtpConfig | null }> {
  return withSystem(deps.db, async (tx) => {
    if (domainId) {
      const [row] = await tx.query<DomainMailRow>(
        `SELECT brand_name, domain, logo_file_id, footer, smtp_host, smtp_port, smtp_security, smtp_username,
                smtp_password_enc, smtp_from
         FROM portal_domains WHERE operator_id = $1 AND id = $2`,
        [operatorId, domainId],
      );
      if (!row) throw new PermanentJobError('the brand of this mail no longer exists');
      const portalUrl = publicUrl(deps.env, row.domain);
      return {
        brand: {
          name: row.brand_name,
          logoUrl: row.logo_file_id ? `${portalUrl}/brand/logo` : null,
          footer: row.footer,
          portalUrl,
        },
        smtp: smtpForBrand(deps, row),
      };
    }
    const [op] = await tx.query<{ name: string }>('SELECT name FROM operators WHERE id = $1', [operatorId]);
    if (!op) throw new PermanentJobError('the operator of this mail no longer exists');
    return {
      brand: {
        name: op.name,
        logoUrl: null,
        footer: '',
        portalUrl: publicUrl(deps.env, deps.env.consoleHost),
      },
      smtp: smtpForBrand(deps, null),
    };
  });
}

/** The worker's handler: renders with the brand as it is now and sends; 5xx answers are final. */
export async function sendQueuedMail(job: Job, deps: Deps): Promise<void> {
  const p = job.payload as {
    domainId: string | null;
    to: string;
    template: string;
    vars: Record<string, string>;
  };
  if (!job.operatorId) throw new PermanentJobError('mail without an operator');
  const { brand, smtp } = await loadBrandMail(deps, job.operatorId, p.domainId);
  if (!smtp) {
    throw new PermanentJobError(
      'No SMTP server configured: set the brand’s SMTP settings or the platform’s SMTP_URL',
    );
  }
  const msg = renderMail(p.template, brand, p.vars);
  const res = await deps.mailer.send(smtp, { to: p.to, ...msg });
  if (!res.ok) {
    if (/^5\d\d\b/.test(res.message)) throw new PermanentJobError(res.message);
    throw new Error(res.message);
  }
}

/** Retry delays for mail: 1 minute doubling, capped at 1 hour (10 attempts ≈ 6 hours). */
export const mailBackoffMs = (attempt: number) => Math.min(60_000 * 2 ** (attempt - 1), 3_600_000);
