import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_IDS } from '../../../common/features.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildContact,
  buildDomain,
  buildOperator,
  CONSOLE,
  startTestApp,
  type TestApp,
} from '../../test/harness.ts';
import { createPayment } from '../companies/payments.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe(`portal feature guard and balance (${ENGINE})`, () => {
  it('serves the balance when the feature is effective and 403 feature_disabled when hidden', async () => {
    const op = await buildOperator(t);
    const d = await buildDomain(op, { features: { balance: true } });
    const co = await buildCompany(op, { domain_id: d.id, debit_limit: '25.5' });
    await createPayment(op.ctx, co.id, {
      amount: '100.10',
      currency: 'USD',
      method: 'bank',
      status: 'completed',
    });
    await createPayment(op.ctx, co.id, {
      amount: '-0.0001',
      currency: 'USD',
      method: 'charge',
      status: 'completed',
    });
    await createPayment(op.ctx, co.id, { amount: '50', currency: 'USD', method: 'bank', status: 'pending' });
    await createPayment(op.ctx, co.id, {
      amount: '70',
      currency: 'USD',
      method: 'bank',
      status: 'cancelled',
    });
    const c = await buildContact(t, op, co.id, d.domain);
    await c.login();
    const ok = await c.portal.get('/api/v1/portal/balance');
    expect(ok.json()).toEqual({
      balance: '100.0999',
      currency: 'USD',
      debit_limit: '25.5000',
      available: '125.5999',
    });

    await op.console.patch(`/api/v1/console/companies/${co.id}`, { hide: ['balance'] });
    const hidden = await c.portal.get('/api/v1/portal/balance');
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json()).toMatchObject({ error: 'feature_disabled', feature: 'balance' });
    expect((await c.portal.get('/api/v1/me')).json().features).not.toContain('balance');

    await op.console.patch(`/api/v1/console/domains/${d.id}`, { features: { balance: false } });
    await op.console.patch(`/api/v1/console/companies/${co.id}`, { hide: [], show: ['balance'] });
    expect((await c.portal.get('/api/v1/portal/balance')).statusCode).toBe(200);
  });

  it('every portal route declares a registered feature', () => {
    const portal = t.app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/portal/'));
    for (const r of portal)
      expect(r.feature === null || FEATURE_IDS.includes(r.feature as never), r.url).toBe(true);
  });

  it('payments in another currency are refused and change nothing', async () => {
    const op = await buildOperator(t);
    const co = await buildCompany(op, { currency: 'EUR' });
    const res = await op.console.post(`/api/v1/console/companies/${co.id}/payments`, {
      amount: '10',
      currency: 'USD',
      method: 'bank',
      status: 'completed',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('currency_mismatch');
    expect((await op.console.get(`/api/v1/console/companies/${co.id}/balance`)).json().balance).toBe(
      '0.0000',
    );
  });
});

describe(`brand pages (${ENGINE})`, () => {
  it('puts the brand name, its CSS and its script on its own pages only, with a CSP allowing exactly that script', async () => {
    const op = await buildOperator(t);
    const a = await buildDomain(op, {
      brand_name: 'Brand <A>',
      custom_js: 'window.brandA = 1;',
      custom_css: '.portal-header{color:red}',
    });
    const b = await buildDomain(op, {
      brand_name: 'Brand B',
      custom_js: 'https://cdn.brand-b.test/widget.js',
    });
    const pageA = await t.app.inject({ url: '/', headers: { host: a.domain } });
    expect(pageA.body).toContain('<title>Brand &lt;A&gt;</title>');
    expect(pageA.body).toContain('src="/brand/custom.js"');
    expect(pageA.body).toContain('/brand/custom.css');
    expect(pageA.headers['content-security-policy']).toContain("script-src 'self'");
    expect(pageA.headers['content-security-policy']).not.toContain('brand-b');
    const jsA = await t.app.inject({ url: '/brand/custom.js', headers: { host: a.domain } });
    expect(jsA.body).toBe('window.brandA = 1;');

    const pageB = await t.app.inject({ url: '/dashboard', headers: { host: b.domain } });
    expect(pageB.body).toContain('src="https://cdn.brand-b.test/widget.js"');
    expect(pageB.body).not.toContain('/brand/custom.js');
    expect(pageB.headers['content-security-policy']).toContain(
      "script-src 'self' https://cdn.brand-b.test/widget.js",
    );
    expect((await t.app.inject({ url: '/brand/custom.js', headers: { host: b.domain } })).statusCode).toBe(
      404,
    );

    const consolePage = await t.app.inject({ url: '/', headers: { host: CONSOLE } });
    expect(consolePage.body).not.toContain('custom.js');
    expect(consolePage.body).not.toContain('brand-b');
    expect(consolePage.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect((await t.app.inject({ url: '/brand/custom.js', headers: { host: CONSOLE } })).statusCode).toBe(
      404,
    );
  });

  it('unknown hosts get a plain 404 that names nobody; /healthz answers everywhere', async () => {
    const res = await t.app.inject({ url: '/api/v1/brand', headers: { host: 'unknown.example.test' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('Not found');
    expect(
      (await t.app.inject({ url: '/healthz', headers: { host: 'unknown.example.test' } })).statusCode,
    ).toBe(200);
  });

  it('a domain that is not active yet is not served', async () => {
    const op = await buildOperator(t);
    const d = await buildDomain(op, { domain: `pending-${Date.now()}.example.test` });
    expect(d.state).toBe('pending_dns');
    expect((await t.app.inject({ url: '/', headers: { host: d.domain } })).statusCode).toBe(404);
  });
});
