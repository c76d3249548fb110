import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../test/db.ts';
import {
  buildCompany,
  buildDomain,
  buildOperator,
  CONSOLE,
  client,
  startTestApp,
  type TestApp,
} from '../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe(`API tokens (${ENGINE})`, () => {
  it('shows a token once, stores only its hash, authenticates by bearer and stops when revoked', async () => {
    const op = await buildOperator(t);
    const created = await op.console.post('/api/v1/console/tokens', { name: 'billing sync' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^vpp_/);
    const stored = await t.deps.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE id = $1',
      [id],
    );
    expect(stored[0]!.token_hash).not.toContain(token);
    const list = await op.console.get('/api/v1/console/tokens');
    expect(list.body).not.toContain(token);
    expect(list.json().items[0]).toMatchObject({ name: 'billing sync', prefix: token.slice(0, 10) });

    const bearer = (url: string) =>
      t.app.inject({ url, headers: { host: CONSOLE, authorization: `Bearer ${token}` } });
    expect((await bearer('/api/v1/console/companies')).statusCode).toBe(200);
    expect((await op.console.del(`/api/v1/console/tokens/${id}`)).statusCode).toBe(204);
    expect((await bearer('/api/v1/console/companies')).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          url: '/api/v1/console/companies',
          headers: { host: CONSOLE, authorization: 'Bearer vpp_forged' },
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe(`companies (${ENGINE})`, () => {
  it('creates, searches, pages and updates companies; refuses bad input', async () => {
    const op = await buildOperator(t);
    const d = await buildDomain(op);
    for (const name of ['Alpha Voice', 'Beta Telecom', 'Gamma Voice']) {
      const res = await op.console.post('/api/v1/console/companies', {
        type: 'customer',
        name,
        currency: 'usd',
        debit_limit: '10.5',
        domain_id: d.id,
        status: 'active',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const found = (await op.console.get('/api/v1/console/companies?q=voice&page_size=1')).json();
    expect(found).toMatchObject({ total: 2, page: 1, page_size: 1 });
    expect(found.items[0]).toMatchObject({
      name: 'Alpha Voice',
      currency: 'USD',
      debit_limit: '10.5000',
      domain_id: d.id,
    });
    const page2 = (await op.console.get('/api/v1/console/companies?q=voice&page_size=1&page=2')).json();
    expect(page2.items[0].name).toBe('Gamma Voice');

    for (const [body, code] of [
      [{ type: 'customer', name: 'X', currency: 'ABC' }, 'unknown_currency'],
      [{ type: 'customer', name: 'X', currency: 'USD', show: ['teleport'] }, 'unknown_feature'],
      [{ type: 'customer', name: 'X', currency: 'USD', debit_limit: '1e5' }, 'invalid_request'],
      [{ type: 'reseller', name: 'X', currency: 'USD' }, 'invalid_request'],
      [{ type: 'customer', name: 'X'.repeat(201), currency: 'USD' }, 'invalid_request'],
    ] as const) {
      const res = await op.console.post('/api/v1/console/companies', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toBe(code);
    }
    expect((await op.console.get('/api/v1/console/companies')).json().total).toBe(3);
  });

  it('explains each feature’s effective state', async () => {
    const op = await buildOperator(t);
    const d = await buildDomain(op, { features: { cdr: true, did_editable: true, breakout: true } });
    const co = await buildCompany(op, { domain_id: d.id, show: ['voucher'], hide: ['breakout'] });
    const res = (await op.console.get(`/api/v1/console/companies/${co.id}/access`)).json();
    const by = Object.fromEntries(res.features.map((f: { id: string }) => [f.id, f]));
    expect(by.cdr).toMatchObject({ effective: true, reason: 'domain_default', label: 'CDR' });
    expect(by.breakout).toMatchObject({ effective: false, reason: 'hide' });
    expect(by.voucher).toMatchObject({ effective: true, reason: 'show' });
    expect(by.did_editable).toMatchObject({ effective: false, reason: 'parent_off', parent: 'did' });
    expect(by.dialog).toMatchObject({ effective: false, reason: 'domain_default_off' });
    expect(res.features).toHaveLength(49);
  });

  it('contacts: create, duplicate email refused, password reset ends sessions', async () => {
    const op = await buildOperator(t);
    const d = await buildDomain(op);
    const co = await buildCompany(op, { domain_id: d.id });
    const res = await op.console.post(`/api/v1/console/companies/${co.id}/contacts`, {
      name: 'Zoe',
      email: 'Zoe@Example.test',
      password: 'first-password-1',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'zoe@example.test' });
    expect(res.body).not.toContain('password_hash');
    const dup = await op.console.post(`/api/v1/console/companies/${co.id}/contacts`, {
      name: 'Zoe 2',
      email: 'zoe@example.test',
    });
    expect(dup.statusCode).toBe(409);
    const portal = client(t.app, d.domain);
    expect(
      (await portal.post('/api/v1/auth/login', { email: 'zoe@example.test', password: 'first-password-1' }))
        .statusCode,
    ).toBe(200);
    const reset = await op.console.post(
      `/api/v1/console/companies/${co.id}/contacts/${res.json().id}/reset-password`,
      { password: 'second-password-2' },
    );
    expect(reset.statusCode).toBe(204);
    expect((await portal.get('/api/v1/me')).statusCode).toBe(401);
    expect(
      (await portal.post('/api/v1/auth/login', { email: 'zoe@example.test', password: 'second-password-2' }))
        .statusCode,
    ).toBe(200);
    const [hash] = await t.deps.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM contacts WHERE id = $1',
      [res.json().id],
    );
    expect(hash!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe(`OpenAPI (${ENGINE})`, () => {
  it('documents every API route the host serves, each with a schema', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json', headers: { host: CONSOLE } })).json();
    expect(doc.openapi).toMatch(/^3\./);
    const api = t.app.registeredRoutes.filter(
      (r) => r.url.startsWith('/api/v1/') && !r.url.startsWith('/api/v1/portal/'),
    );
    for (const r of api) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.url}`).toBeDefined();
      expect(op.summary, `${r.method} ${r.url}`).toBeTruthy();
    }
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/v1/portal/'))).toBe(false);
    const op = await buildOperator(t);
    const d = await buildDomain(op);
    const portalDoc = (await t.app.inject({ url: '/api/openapi.json', headers: { host: d.domain } })).json();
    expect(portalDoc.paths['/api/v1/portal/balance'].get.summary).toBeTruthy();
    expect(Object.keys(portalDoc.paths).some((p) => p.startsWith('/api/v1/console/'))).toBe(false);
  });
});
