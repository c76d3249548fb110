/**
 * Every background job kind and its handler, in one table: the worker registers them all. A feature
 * adds one line here for each job kind it enqueues.
 */
import type { HandlerOptions, JobHandler, JobRunner } from './queue.ts';

export const jobHandlers: Array<{ kind: string; fn: JobHandler; opts?: HandlerOptions }> = [];

/** Registers every handler in the table on the runner. */
export function registerJobHandlers(runner: JobRunner): JobRunner {
  for (const h of jobHandlers) runner.register(h.kind, h.fn, h.opts);
  return runner;
}
