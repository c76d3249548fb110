import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/db.ts';
import { buildOperator, startTestApp, type TestApp } from '../test/harness.ts';
import { enqueue, type Job, JobRunner, PermanentJobError, RetryAt } from './queue.ts';

let t: TestApp;
let clock = new Date('2026-01-01T00:00:00Z');
const now = () => clock;
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const state = async (id: string) => {
  const [row] = await t.deps.db.query<{
    state: string;
    attempts: number;
    last_error: string | null;
    run_at: Date;
  }>('SELECT state, attempts, last_error, run_at FROM jobs WHERE id = $1', [id]);
  if (!row) throw new Error(`no job ${id}`);
  return row;
};

describe('job queue', () => {
  it('runs a due job once and marks it done; a future job waits for its time', async () => {
    const seen: Job[] = [];
    const runner = new JobRunner(t.deps, { now }).register('test.once', async (job) => {
      seen.push(job);
    });
    const a = await enqueue(t.deps.db, { kind: 'test.once', payload: { n: 1 }, runAt: clock });
    const b = await enqueue(t.deps.db, {
      kind: 'test.once',
      payload: { n: 2 },
      runAt: new Date(clock.getTime() + 60_000),
    });
    expect(await runner.drain()).toBe(1);
    expect(seen.map((j) => j.payload)).toEqual([{ n: 1 }]);
    expect((await state(a as string)).state).toBe('done');
    expect((await state(b as string)).state).toBe('queued');
    advance(60_000);
    expect(await runner.drain()).toBe(1);
    expect(seen.map((j) => j.payload.n)).toEqual([1, 2]);
    expect(await runner.drain()).toBe(0);
  });

  it('keeps one unfinished job per key and can bring it sooner', async () => {
    const later = new Date(clock.getTime() + 3_600_000);
    const first = await enqueue(t.deps.db, { kind: 'test.keyed', key: 'k1', runAt: later });
    expect(first).not.toBeNull();
    expect(await enqueue(t.deps.db, { kind: 'test.keyed', key: 'k1', runAt: later })).toBeNull();
    expect(
      await enqueue(t.deps.db, { kind: 'test.keyed', key: 'k1', runAt: clock, sooner: true }),
    ).toBeNull();
    expect(new Date((await state(first as string)).run_at).getTime()).toBe(clock.getTime());
    const runner = new JobRunner(t.deps, { now }).register('test.keyed', async () => undefined);
    expect(await runner.drain()).toBe(1);
    // Once finished, the same key may be queued again.
    expect(await enqueue(t.deps.db, { kind: 'test.keyed', key: 'k1', runAt: clock })).not.toBeNull();
  });

  it('"sooner" while the job is running runs it once more right after, whatever it rescheduled itself to', async () => {
    let calls = 0;
    const payloads: Record<string, unknown>[] = [];
    let release: () => void = () => undefined;
    const runner = new JobRunner(t.deps, { now }).register('test.busy', async (job) => {
      calls++;
      payloads.push(job.payload);
      if (calls === 1) await new Promise<void>((r) => (release = r));
      // A check that found nothing new backs off for hours.
      throw new RetryAt(new Date(clock.getTime() + 4 * 3_600_000), 'pending');
    });
    const id = (await enqueue(t.deps.db, {
      kind: 'test.busy',
      key: 'd1',
      payload: { domain: 'd1' },
      runAt: clock,
    })) as string;
    const draining = runner.drain();
    while ((await state(id)).state !== 'running') await new Promise((r) => setTimeout(r, 5));
    expect(await enqueue(t.deps.db, { kind: 'test.busy', key: 'd1', runAt: clock, sooner: true })).toBeNull();
    release();
    await draining;
    // drain() ran it again at once (rescheduled to now, not 4 hours later); the flag never reaches the handler.
    expect(calls).toBe(2);
    expect(payloads).toEqual([{ domain: 'd1' }, { domain: 'd1' }]);
    // Without a new request, the backoff applies again.
    const s = await state(id);
    expect(s.state).toBe('queued');
    expect(new Date(s.run_at).getTime()).toBe(clock.getTime() + 4 * 3_600_000);
    expect(await runner.drain()).toBe(0);
    // The same request against a job that then finishes as done queues exactly one more run.
    let done = 0;
    let releaseDone: () => void = () => undefined;
    const finisher = new JobRunner(t.deps, { now }).register('test.finish', async () => {
      done++;
      if (done === 1) await new Promise<void>((r) => (releaseDone = r));
    });
    const f = (await enqueue(t.deps.db, { kind: 'test.finish', key: 'x', runAt: clock })) as string;
    const d2 = finisher.drain();
    while ((await state(f)).state !== 'running') await new Promise((r) => setTimeout(r, 5));
    await enqueue(t.deps.db, { kind: 'test.finish', key: 'x', runAt: clock, sooner: true });
    releaseDone();
    await d2;
    expect(done).toBe(2);
    expect((await state(f)).state).toBe('done');
    expect(await finisher.drain()).toBe(0);
  });

  it('retries with backoff, then fails after max attempts with the last error kept', async () => {
    let calls = 0;
    const runner = new JobRunner(t.deps, { now }).register(
      'test.flaky',
      async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
      { backoffMs: (n) => n * 1000 },
    );
    const id = (await enqueue(t.deps.db, { kind: 'test.flaky', maxAttempts: 3, runAt: clock })) as string;
    expect(await runner.drain()).toBe(1);
    let s = await state(id);
    expect(s).toMatchObject({ state: 'queued', attempts: 1, last_error: 'boom 1' });
    expect(new Date(s.run_at).getTime()).toBe(clock.getTime() + 1000);
    expect(await runner.drain()).toBe(0); // not due yet
    advance(1000);
    await runner.drain();
    advance(2000);
    await runner.drain();
    s = await state(id);
    expect(s).toMatchObject({ state: 'failed', attempts: 3, last_error: 'boom 3' });
    advance(3_600_000);
    expect(await runner.drain()).toBe(0);
  });

  it('a permanent error fails at once; RetryAt reschedules outside max attempts', async () => {
    const runner = new JobRunner(t.deps, { now })
      .register('test.perm', async () => {
        throw new PermanentJobError('bad payload');
      })
      .register('test.later', async (job) => {
        if (job.attempts < 5) throw new RetryAt(new Date(clock.getTime() + 10_000), 'not yet');
      });
    const p = (await enqueue(t.deps.db, { kind: 'test.perm', runAt: clock })) as string;
    const l = (await enqueue(t.deps.db, { kind: 'test.later', maxAttempts: 2, runAt: clock })) as string;
    await runner.drain();
    expect(await state(p)).toMatchObject({ state: 'failed', attempts: 1, last_error: 'bad payload' });
    for (let i = 0; i < 5; i++) {
      advance(10_000);
      await runner.drain();
    }
    expect(await state(l)).toMatchObject({ state: 'done', attempts: 5 });
  });

  it('gives a job whose node died back after its lock expires', async () => {
    const id = (await enqueue(t.deps.db, { kind: 'test.crash', runAt: clock })) as string;
    await t.deps.db.query(
      `UPDATE jobs SET state = 'running', attempts = 1, locked_by = 'dead', locked_until = $2 WHERE id = $1`,
      [id, new Date(clock.getTime() + 1000)],
    );
    let ran = 0;
    const runner = new JobRunner(t.deps, { now }).register('test.crash', async () => {
      ran++;
    });
    expect(await runner.drain()).toBe(0);
    advance(2000);
    expect(await runner.drain()).toBe(1);
    expect(ran).toBe(1);
    expect(await state(id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('two runners never run the same job twice', async () => {
    const runs: string[] = [];
    const handler = async (job: Job) => {
      runs.push(job.id);
      await new Promise((r) => setTimeout(r, 2));
    };
    const ids: string[] = [];
    for (let i = 0; i < 40; i++)
      ids.push((await enqueue(t.deps.db, { kind: 'test.race', runAt: clock })) as string);
    const a = new JobRunner(t.deps, { now, node: 'a', concurrency: 3 }).register('test.race', handler);
    const b = new JobRunner(t.deps, { now, node: 'b', concurrency: 3 }).register('test.race', handler);
    await Promise.all([a.drain(), b.drain()]);
    expect(runs.sort()).toEqual(ids.sort());
  });

  it('a job enqueued in a rolled-back transaction never exists; tenants see only their own jobs', async () => {
    const op1 = await buildOperator(t);
    const op2 = await buildOperator(t);
    await expect(
      withTenant(t.deps.db, op1.operatorId, async (tx) => {
        await enqueue(tx, { kind: 'test.rollback', operatorId: op1.operatorId });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await t.deps.db.query(`SELECT 1 FROM jobs WHERE kind = 'test.rollback'`)).toHaveLength(0);
    await withTenant(t.deps.db, op1.operatorId, (tx) =>
      enqueue(tx, { kind: 'test.mine', operatorId: op1.operatorId }),
    );
    const seenBy2 = await withTenant(t.deps.db, op2.operatorId, (tx) =>
      tx.query(`SELECT 1 FROM jobs WHERE kind = 'test.mine'`),
    );
    expect(seenBy2).toHaveLength(0);
    await expect(
      withTenant(t.deps.db, op2.operatorId, (tx) =>
        enqueue(tx, { kind: 'test.mine', operatorId: op1.operatorId }),
      ),
    ).rejects.toThrow();
  });

  it('start() wakes on enqueue without waiting for the poll', async () => {
    let wake: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const runner = new JobRunner(t.deps).register('test.wake', async () => wake());
    await runner.start(3_600_000);
    await enqueue(t.deps.db, { kind: 'test.wake' });
    await woken;
    await runner.stop();
  });
});
