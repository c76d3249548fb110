import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../../demo/png.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildDomain,
  buildOperator,
  startTestApp,
  type TenantFixture,
  type TestApp,
  unique,
} from '../../test/harness.ts';

let t: TestApp;
let op: TenantFixture;
beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
});
afterAll(() => t.close());

const domains = () =>
  op.console.get('/api/v1/console/domains?page_size=200').then((r) => r.json().items as { domain: string }[]);

async function upload(bytes: Buffer, filename: string, contentType: string) {
  const boundary = `----vpp${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/console/files',
    headers: {
      host: op.console.host,
      origin: `http://${op.console.host}`,
      cookie: `sid=${op.console.cookie}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: body,
  });
}

describe(`domain configuration (${ENGINE})`, () => {
  it('creates a domain with every option of SPEC section 4 and reads it back', async () => {
    const template = await buildCompany(op);
    const name = `${unique('full')}.example.test`;
    const res = await op.console.post('/api/v1/console/domains', {
      domain: `HTTPS://${name.toUpperCase()}/login`,
      brand_name: 'Acme <Voice>',
      customer_signup: true,
      carrier_signup: false,
      currencies: ['usd', 'EUR'],
      template_customer_id: template.id,
      features: { cdr: true, breakout: false },
      breakout_columns: { customer: ['attempts', 'asr'], carrier: ['attempts'] },
      cdr_fields: { customer: ['call_id', 'start_time'], carrier: ['call_id', 'carrier_cost'] },
      custom_js: 'console.log("hi")',
      custom_css: '.portal-header { color: red }',
      footer: '© Acme',
      smtp: {
        host: 'smtp.acme.test',
        port: 587,
        security: 'starttls',
        username: 'mailer',
        password: 's3cret-pass',
        from: 'noreply@acme.test',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({
      domain: name,
      brand_name: 'Acme <Voice>',
      customer_signup: true,
      currencies: ['USD', 'EUR'],
      template_customer_id: template.id,
      breakout_columns: { customer: ['attempts', 'asr'], carrier: ['attempts'] },
      state: 'pending_dns',
      smtp: {
        host: 'smtp.acme.test',
        port: 587,
        security: 'starttls',
        username: 'mailer',
        password: null,
        password_set: true,
        from: 'noreply@acme.test',
      },
    });
    expect(d.features.cdr).toBe(true);
    expect(d.features.breakout).toBe(false);
    expect(Object.keys(d.features)).toHaveLength(49);
    expect(res.body).not.toContain('s3cret-pass');
    const [row] = await t.deps.db.query<{ smtp_password_enc: string }>(
      'SELECT smtp_password_enc FROM portal_domains WHERE id = $1',
      [d.id],
    );
    expect(row!.smtp_password_enc).not.toContain('s3cret');
    expect(t.deps.box.decrypt(row!.smtp_password_enc)).toBe('s3cret-pass');
    const got = await op.console.get(`/api/v1/console/domains/${d.id}`);
    expect(got.body).not.toContain('s3cret-pass');

    const patched = await op.console.patch(`/api/v1/console/domains/${d.id}`, {
      smtp: { host: 'smtp2.acme.test' },
      features: { voucher: true },
    });
    expect(patched.json()).toMatchObject({
      smtp: { host: 'smtp2.acme.test', password_set: true },
      features: { cdr: true, voucher: true },
    });
    const cleared = await op.console.patch(`/api/v1/console/domains/${d.id}`, { smtp: { password: '' } });
    expect(cleared.json().smtp.password_set).toBe(false);
  });

  it.each([
    [{ domain: 'not a domain', brand_name: 'x' }, 'invalid_domain'],
    [{ domain: '192.168.1.10', brand_name: 'x' }, 'invalid_domain'],
    [{ domain: 'console.test', brand_name: 'x' }, 'invalid_domain'],
    [{ domain: 'x.portal.example-platform.com', brand_name: 'x' }, 'invalid_domain'],
    [{ domain: 'ok.example.test', brand_name: 'x', currencies: ['USD', 'XYZ'] }, 'unknown_currency'],
    [
      { domain: 'ok.example.test', brand_name: 'x', features: { cdr: true, teleport: true } },
      'unknown_feature',
    ],
    [{ domain: 'ok.example.test', brand_name: 'x', customer_signup: true }, 'currencies_required'],
    [
      { domain: 'ok.example.test', brand_name: 'x', breakout_columns: { customer: ['profit'], carrier: [] } },
      'unknown_breakout_column',
    ],
    [
      { domain: 'ok.example.test', brand_name: 'x', cdr_fields: { customer: ['carrier_cost'], carrier: [] } },
      'carrier_field_for_customer',
    ],
    [{ domain: 'ok.example.test', brand_name: 'x'.repeat(101) }, 'invalid_request'],
    [{ domain: 'ok.example.test', brand_name: 'x', footer: 'f'.repeat(501) }, 'invalid_request'],
    [{ domain: 'ok.example.test', brand_name: 'x', custom_css: 'c'.repeat(65537) }, 'invalid_request'],
    [
      { domain: 'ok.example.test', brand_name: 'x', custom_js: 'http://insecure.example/x.js' },
      'invalid_custom_js',
    ],
    [{ domain: 'ok.example.test', brand_name: 'x', smtp: { from: 'not-an-email' } }, 'invalid_email'],
    [{ domain: 'ok.example.test', brand_name: 'x', smtp: { port: 70000 } }, 'invalid_request'],
    [{ domain: 'ok.example.test', brand_name: 'x', template_customer_id: 'not-a-uuid' }, 'invalid_request'],
  ])('refuses bad input %# with 400 and saves nothing', async (body, code) => {
    const before = (await domains()).length;
    const res = await op.console.post('/api/v1/console/domains', body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: code, message: expect.any(String) });
    expect((await domains()).length).toBe(before);
  });

  it('refuses a duplicate domain, across operators too, without naming the owner', async () => {
    const name = `${unique('dup')}.example.test`;
    expect(
      (await op.console.post('/api/v1/console/domains', { domain: name, brand_name: 'One' })).statusCode,
    ).toBe(201);
    const again = await op.console.post('/api/v1/console/domains', {
      domain: name.toUpperCase(),
      brand_name: 'Two',
    });
    expect(again.statusCode).toBe(409);
    const other = await buildOperator(t);
    const theirs = await other.console.post('/api/v1/console/domains', {
      domain: `${name}.`,
      brand_name: 'Three',
    });
    expect(theirs.statusCode).toBe(409);
    expect(theirs.json().error).toBe('domain_taken');
    expect(theirs.body).not.toContain(op.operatorId);
  });

  it('refuses a template customer of another operator, or a carrier', async () => {
    const other = await buildOperator(t);
    const foreign = await buildCompany(other);
    const d = await buildDomain(op);
    const res = await op.console.patch(`/api/v1/console/domains/${d.id}`, {
      template_customer_id: foreign.id,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_template_customer');
    const carrier = await buildCompany(op, { type: 'carrier' });
    expect(
      (await op.console.patch(`/api/v1/console/domains/${d.id}`, { template_customer_id: carrier.id }))
        .statusCode,
    ).toBe(400);
    expect((await op.console.get(`/api/v1/console/domains/${d.id}`)).json().template_customer_id).toBeNull();
  });

  it('accepts a logo read from its bytes and refuses wide, oversized or non-image files', async () => {
    const ok = await upload(
      png(300, 60, () => [1, 2, 3]),
      'logo.png',
      'image/png',
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ width: 300, height: 60, content_type: 'image/png' });
    const wide = await upload(
      png(351, 20, () => [0, 0, 0]),
      'wide.png',
      'image/png',
    );
    expect(wide.json().error).toBe('image_too_wide');
    const fake = await upload(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
      'logo.png',
      'image/png',
    );
    expect(fake.json().error).toBe('invalid_image');
    const big = await upload(
      Buffer.concat([png(10, 10, () => [0, 0, 0]), Buffer.alloc(600 * 1024)]),
      'big.png',
      'image/png',
    );
    expect(big.json().error).toBe('file_too_large');
    const files = (await op.console.get('/api/v1/console/files')).json().items;
    expect(files).toHaveLength(1);

    const d = await buildDomain(op);
    const set = await op.console.patch(`/api/v1/console/domains/${d.id}`, { logo_file_id: ok.json().id });
    expect(set.json().logo_file_id).toBe(ok.json().id);
    const other = await buildOperator(t);
    const theirDomain = await buildDomain(other);
    const steal = await other.console.patch(`/api/v1/console/domains/${theirDomain.id}`, {
      logo_file_id: ok.json().id,
    });
    expect(steal.statusCode).toBe(400);
  });

  it('sends a test email through the domain’s own SMTP server and reports its answer', async () => {
    const received: { from: string; to: string; user?: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _s, cb) {
        cb(
          auth.username === 'mailer' && auth.password === 'right-pass' ? null : new Error('Bad credentials'),
          { user: auth.username },
        );
      },
      onData(stream, session, cb) {
        stream.resume();
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo[0]!.address,
            user: session.user as string,
          });
          cb(null);
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.server.address() as { port: number }).port;
    try {
      const d = await buildDomain(op, {
        smtp: {
          host: '127.0.0.1',
          port,
          security: 'none',
          username: 'mailer',
          password: 'right-pass',
          from: 'brand@acme.test',
        },
      });
      const res = await op.console.post(`/api/v1/console/domains/${d.id}/test-email`, {
        to: 'ops@example.test',
      });
      expect(res.json()).toMatchObject({ ok: true, message: expect.stringContaining('250') });
      expect(received).toEqual([{ from: 'brand@acme.test', to: 'ops@example.test', user: 'mailer' }]);
      await op.console.patch(`/api/v1/console/domains/${d.id}`, { smtp: { password: 'wrong-pass' } });
      const bad = await op.console.post(`/api/v1/console/domains/${d.id}/test-email`, {
        to: 'ops@example.test',
      });
      expect(bad.json().ok).toBe(false);
      expect(bad.json().message).toMatch(/535|Bad credentials/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('records every change in the audit log with before and after, never the password', async () => {
    const d = await buildDomain(op);
    await op.console.patch(`/api/v1/console/domains/${d.id}`, {
      brand_name: 'Renamed',
      smtp: { password: 'very-secret-1' },
    });
    const log = (await op.console.get(`/api/v1/console/audit?entity_id=${d.id}`)).json();
    const entry = log.items.find((e: { action: string }) => e.action === 'domain.update');
    expect(entry).toMatchObject({
      actor_label: op.email,
      before: { brand_name: 'Test Brand' },
      after: { brand_name: 'Renamed', smtp_login: 'password changed' },
    });
    expect(JSON.stringify(log)).not.toContain('very-secret-1');
    await op.console.del(`/api/v1/console/domains/${d.id}`);
    const after = (await op.console.get(`/api/v1/console/audit?entity_id=${d.id}`)).json();
    expect(after.items[0]).toMatchObject({ action: 'domain.delete', before: { brand_name: 'Renamed' } });
    expect((await op.console.get(`/api/v1/console/domains/${d.id}`)).statusCode).toBe(404);
  });

  it('serves a renamed or deleted brand immediately (host cache invalidated)', async () => {
    const d = await buildDomain(op, { brand_name: 'Before' });
    const host = { host: d.domain };
    expect((await t.app.inject({ url: '/api/v1/brand', headers: host })).json().brand_name).toBe('Before');
    await op.console.patch(`/api/v1/console/domains/${d.id}`, { brand_name: 'After' });
    expect((await t.app.inject({ url: '/api/v1/brand', headers: host })).json().brand_name).toBe('After');
    await op.console.del(`/api/v1/console/domains/${d.id}`);
    const gone = await t.app.inject({ url: '/api/v1/brand', headers: host });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toBe('Not found');
  });
});
