/**
 * Every background job kind and its handler, in one table: the worker registers them all. A feature
 * adds one line here for each job kind it enqueues.
 */
import { MAIL_KIND, mailBackoffMs, sendQueuedMail } from '../emails/outbox.ts';
import { runCheck, runIssue } from '../tls/jobs.ts';
import { CHECK_KIND, ISSUE_KIND } from '../tls/lifecycle.ts';
import type { HandlerOptions, JobHandler, JobRunner } from './queue.ts';

export const jobHandlers: Array<{ kind: string; fn: JobHandler; opts?: HandlerOptions }> = [
  { kind: MAIL_KIND, fn: sendQueuedMail, opts: { backoffMs: mailBackoffMs } },
  { kind: CHECK_KIND, fn: runCheck, opts: { backoffMs: (n) => Math.min(60_000 * 2 ** n, 3_600_000) } },
  { kind: ISSUE_KIND, fn: runIssue, opts: { backoffMs: (n) => Math.min(60_000 * 2 ** n, 3_600_000) } },
];

/** Registers every handler in the table on the runner. */
export function registerJobHandlers(runner: JobRunner): JobRunner {
  for (const h of jobHandlers) runner.register(h.kind, h.fn, h.opts);
  return runner;
}
