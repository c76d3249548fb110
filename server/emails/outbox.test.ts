import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/db.ts';
import { registerJobHandlers } from '../jobs/handlers.ts';
import { JobRunner } from '../jobs/queue.ts';
import {
  buildDomain,
  buildOperator,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../test/harness.ts';
import { type SmtpCatcher, startSmtpCatcher } from '../test/smtp.ts';
import { queueMail } from './outbox.ts';

let t: TestApp;
let op: TenantFixture;
let acmeSmtp: SmtpCatcher;
let globexSmtp: SmtpCatcher;
let platformSmtp: SmtpCatcher;
// The runner's clock runs ahead of real time by `ahead` ms (retries become due without waiting).
let ahead = 0;
let runner: JobRunner;

beforeAll(async () => {
  platformSmtp = await startSmtpCatcher();
  t = await startTestApp({
    SMTP_URL: `smtp://127.0.0.1:${platformSmtp.port}`,
    SMTP_FROM: 'platform@example.test',
  });
  op = await buildOperator(t);
  acmeSmtp = await startSmtpCatcher({ username: 'acme', password: 'acme-pass' });
  globexSmtp = await startSmtpCatcher();
  runner = registerJobHandlers(new JobRunner(t.deps, { now: () => new Date(Date.now() + ahead) }));
});
afterAll(async () => {
  await t.close();
  for (const s of [acmeSmtp, globexSmtp, platformSmtp]) await s.close();
});

const queue = (input: Parameters<typeof queueMail>[1]) =>
  withTenant(t.deps.db, op.operatorId, (tx) => queueMail(tx, input));

const jobOf = async (id: string) =>
  (
    await t.deps.db.query<{ state: string; attempts: number; last_error: string | null }>(
      'SELECT state, attempts, last_error FROM jobs WHERE id = $1',
      [id],
    )
  )[0];

describe('brand mail through the job queue', () => {
  it('sends each brand’s mail through its own SMTP server with its own From, name, logo and footer', async () => {
    const acme = await buildDomain(op, {
      brand_name: 'Acme <Voice>',
      footer: 'Acme Voice Ltd · 1 Main St',
      smtp: {
        host: '127.0.0.1',
        port: acmeSmtp.port,
        security: 'none',
        username: 'acme',
        password: 'acme-pass',
        from: 'support@acme.test',
      },
    });
    const globex = await buildDomain(op, {
      brand_name: 'Globex Telecom',
      smtp: { host: '127.0.0.1', port: globexSmtp.port, security: 'none', from: 'noc@globex.test' },
    });
    const plain = await buildDomain(op, { brand_name: 'No SMTP Brand' });
    await queue({
      operatorId: op.operatorId,
      domainId: acme.id,
      to: 'a@cust.test',
      template: 'notice',
      vars: { title: 'Hello', message: 'Line one', url: 'http://x.test/a?b=1&c=2' },
    });
    await queue({ operatorId: op.operatorId, domainId: globex.id, to: 'g@cust.test', template: 'test' });
    await queue({ operatorId: op.operatorId, domainId: plain.id, to: 'p@cust.test', template: 'test' });
    expect(await runner.drain()).toBe(3);

    const a = await acmeSmtp.waitFor((m) => m.to === 'a@cust.test');
    expect(a).toMatchObject({ from: 'support@acme.test', user: 'acme', subject: 'Acme <Voice>: Hello' });
    expect(a.html).toContain('Acme &lt;Voice&gt;');
    expect(a.html).not.toContain('Acme <Voice>');
    expect(a.html).toContain('Acme Voice Ltd · 1 Main St');
    expect(a.html).toContain('href="http://x.test/a?b=1&amp;c=2"');
    expect(a.text).toContain('Open: http://x.test/a?b=1&c=2');
    expect(a.text).toContain('Acme Voice Ltd · 1 Main St');
    const g = await globexSmtp.waitFor((m) => m.to === 'g@cust.test');
    expect(g).toMatchObject({ from: 'noc@globex.test', subject: 'Globex Telecom: test email' });
    expect(acmeSmtp.messages.some((m) => m.to === 'g@cust.test')).toBe(false);
    const p = await platformSmtp.waitFor((m) => m.to === 'p@cust.test');
    expect(p).toMatchObject({ from: 'platform@example.test', subject: 'No SMTP Brand: test email' });
  });

  it('keeps the mail when the SMTP server is down and delivers it after it comes back', async () => {
    const d = await buildDomain(op, {
      brand_name: 'Flaky',
      smtp: { host: '127.0.0.1', port: globexSmtp.port, security: 'none', from: 'flaky@globex.test' },
    });
    await globexSmtp.stop();
    const id = (await queue({
      operatorId: op.operatorId,
      domainId: d.id,
      to: 'later@cust.test',
      template: 'test',
    })) as string;
    await runner.drain();
    const failed = await jobOf(id);
    expect(failed?.state).toBe('queued');
    expect(failed?.attempts).toBe(1);
    expect(failed?.last_error).toMatch(/ECONNREFUSED|connect/i);
    await globexSmtp.start();
    ahead += 61_000;
    await runner.drain();
    expect(await jobOf(id)).toMatchObject({ state: 'done', attempts: 2 });
    expect((await globexSmtp.waitFor((m) => m.to === 'later@cust.test')).from).toBe('flaky@globex.test');
  });

  it('a permanent refusal (5xx) fails at once with the server’s answer', async () => {
    const refusing = await startSmtpCatcher({
      refuse: (to) => (to.startsWith('nobody') ? 'No such mailbox' : null),
    });
    try {
      const d = await buildDomain(op, {
        brand_name: 'Strict',
        smtp: { host: '127.0.0.1', port: refusing.port, security: 'none', from: 's@strict.test' },
      });
      const id = (await queue({
        operatorId: op.operatorId,
        domainId: d.id,
        to: 'nobody@cust.test',
        template: 'test',
      })) as string;
      await runner.drain();
      const job = await jobOf(id);
      expect(job?.state).toBe('failed');
      expect(job?.last_error).toMatch(/^550.*No such mailbox/);
    } finally {
      await refusing.close();
    }
  });

  it('refuses an unknown template or a missing variable before anything is queued', async () => {
    await expect(
      queue({ operatorId: op.operatorId, domainId: null, to: 'x@y.test', template: 'nope' }),
    ).rejects.toThrow(/unknown mail template/);
    await expect(
      queue({
        operatorId: op.operatorId,
        domainId: null,
        to: 'x@y.test',
        template: 'notice',
        vars: { title: 't' },
      }),
    ).rejects.toThrow(/message missing/);
  });
});
