import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildContact,
  buildDomain,
  buildOperator,
  CONSOLE,
  client,
  startTestApp,
  type TestApp,
} from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe(`login rules (${ENGINE})`, () => {
  it('operator users sign in on the console host only; contacts on their domain only', async () => {
    const op = await buildOperator(t);
    const brandA = await buildDomain(op, { features: { balance: true } });
    const brandB = await buildDomain(op, { features: { balance: true } });
    const company = await buildCompany(op, { domain_id: brandA.id });
    const c = await buildContact(t, op, company.id, brandA.domain);

    expect((await c.login()).statusCode).toBe(200);
    const me = await c.portal.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { email: c.email },
      company: { id: company.id },
      brand: { brand_name: 'Test Brand' },
    });

    const onB = client(t.app, brandB.domain);
    const res = await onB.post('/api/v1/auth/login', { email: c.email, password: c.password });
    expect(res.statusCode).toBe(401);

    const onConsole = await client(t.app, CONSOLE).post('/api/v1/auth/login', {
      email: c.email,
      password: c.password,
    });
    expect(onConsole.statusCode).toBe(401);
    const opOnPortal = await client(t.app, brandA.domain).post('/api/v1/auth/login', {
      email: op.email,
      password: op.password,
    });
    expect(opOnPortal.statusCode).toBe(401);
  });

  it('a company with no domain may sign in on any of its operator’s domains, not another operator’s', async () => {
    const op = await buildOperator(t);
    const other = await buildOperator(t);
    const d1 = await buildDomain(op);
    const d2 = await buildDomain(op);
    const foreign = await buildDomain(other);
    const company = await buildCompany(op, { domain_id: null });
    const c = await buildContact(t, op, company.id, d1.domain);
    expect((await c.login()).statusCode).toBe(200);
    expect(
      (await client(t.app, d2.domain).post('/api/v1/auth/login', { email: c.email, password: c.password }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await client(t.app, foreign.domain).post('/api/v1/auth/login', {
          email: c.email,
          password: c.password,
        })
      ).statusCode,
    ).toBe(401);
  });

  it('portal access off refuses login and ends existing sessions at once', async () => {
    const op = await buildOperator(t);
    const d = await buildDomain(op);
    const company = await buildCompany(op, { domain_id: d.id });
    const c = await buildContact(t, op, company.id, d.domain);
    expect((await c.login()).statusCode).toBe(200);
    expect(
      (await op.console.patch(`/api/v1/console/companies/${company.id}`, { portal_access: false }))
        .statusCode,
    ).toBe(200);
    expect((await c.portal.get('/api/v1/me')).statusCode).toBe(401);
    const again = await c.login();
    expect(again.statusCode).toBe(401);
  });

  it('unknown email and wrong password get the same answer', async () => {
    const op = await buildOperator(t);
    const d = await buildDomain(op);
    const company = await buildCompany(op, { domain_id: d.id });
    const c = await buildContact(t, op, company.id, d.domain);
    const wrong = await client(t.app, d.domain).post('/api/v1/auth/login', {
      email: c.email,
      password: 'not-the-password',
    });
    const unknown = await client(t.app, d.domain).post('/api/v1/auth/login', {
      email: 'nobody@example.test',
      password: 'not-the-password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('carriers sign in only where the carrier portal is effective', async () => {
    const op = await buildOperator(t);
    const off = await buildDomain(op, { features: { carrier_portal: false, cdr: true } });
    const carrier = await buildCompany(op, { type: 'carrier', domain_id: off.id });
    const c = await buildContact(t, op, carrier.id, off.domain);
    expect((await c.login()).statusCode).toBe(401);
    await op.console.patch(`/api/v1/console/companies/${carrier.id}`, { show: ['carrier_portal'] });
    expect((await c.login()).statusCode).toBe(200);
    const me = (await c.portal.get('/api/v1/me')).json();
    expect(me.features).toContain('cdr');
  });

  it('sessions are HttpOnly, SameSite=Lax, host-only cookies; logout ends them', async () => {
    const op = await buildOperator(t);
    const res = await client(t.app, CONSOLE).post('/api/v1/auth/login', {
      email: op.email,
      password: op.password,
    });
    const cookie = res.cookies.find((k) => k.name === 'sid')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.domain).toBeUndefined();
    expect(cookie.secure).toBeFalsy();
    expect((await op.console.get('/api/v1/me')).json()).toMatchObject({ operator: { id: op.operatorId } });
    const token = op.console.cookie;
    expect((await op.console.post('/api/v1/auth/logout')).statusCode).toBe(204);
    op.console.cookie = token;
    expect((await op.console.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('a session stops working after its idle time and after its absolute lifetime', async () => {
    const op = await buildOperator(t);
    await t.deps.db.query(
      "UPDATE sessions SET last_seen_at = now() - interval '2 hours' WHERE operator_id = $1",
      [op.operatorId],
    );
    expect((await op.console.get('/api/v1/me')).statusCode).toBe(401);
    const op2 = await buildOperator(t);
    await t.deps.db.query(
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE operator_id = $1",
      [op2.operatorId],
    );
    expect((await op2.console.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('a session cookie from one brand is not accepted on another brand of the same operator', async () => {
    const op = await buildOperator(t);
    const d1 = await buildDomain(op);
    const d2 = await buildDomain(op);
    const company = await buildCompany(op, { domain_id: null });
    const c = await buildContact(t, op, company.id, d1.domain);
    await c.login();
    const replay = client(t.app, d2.domain);
    replay.cookie = c.portal.cookie;
    expect((await replay.get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe(`cross-site request protection (${ENGINE})`, () => {
  it('refuses cookie-authenticated changes without a same-origin Origin, accepts bearer tokens', async () => {
    const op = await buildOperator(t);
    const noOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/console/companies',
      headers: { host: CONSOLE, cookie: `sid=${op.console.cookie}`, 'content-type': 'application/json' },
      payload: { type: 'customer', name: 'X', currency: 'USD' },
    });
    expect(noOrigin.statusCode).toBe(403);
    expect(noOrigin.json().error).toBe('cross_origin_request');
    const evil = await op.console.request(
      'POST',
      '/api/v1/console/companies',
      { type: 'customer', name: 'X', currency: 'USD' },
      { origin: 'http://evil.test' },
    );
    expect(evil.statusCode).toBe(403);
    const viaReferer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/console/companies',
      headers: {
        host: CONSOLE,
        cookie: `sid=${op.console.cookie}`,
        referer: `http://${CONSOLE}/companies`,
        'content-type': 'application/json',
      },
      payload: { type: 'customer', name: 'Via referer', currency: 'USD' },
    });
    expect(viaReferer.statusCode).toBe(201);
    const list = (await op.console.get('/api/v1/console/companies')).json();
    expect(list.items.map((c: { name: string }) => c.name)).toEqual(['Via referer']);

    const token = (await op.console.post('/api/v1/console/tokens', { name: 'ci' })).json().token;
    const bearer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/console/companies',
      headers: { host: CONSOLE, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: { type: 'customer', name: 'Via token', currency: 'USD' },
    });
    expect(bearer.statusCode).toBe(201);
  });
});

describe(`login rate limit (${ENGINE})`, () => {
  it('locks an account after repeated failures, with the same 429 for a correct password', async () => {
    const op = await buildOperator(t);
    const con = client(t.app, CONSOLE);
    const codes: number[] = [];
    for (let i = 0; i < 9; i++) {
      codes.push(
        (
          await con.request(
            'POST',
            '/api/v1/auth/login',
            { email: op.email, password: 'wrong-password' },
            { 'x-forwarded-for': `10.0.0.${i}` },
          )
        ).statusCode,
      );
    }
    expect(codes.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(codes[8]).toBe(429);
    const right = await con.post('/api/v1/auth/login', { email: op.email, password: op.password });
    expect(right.statusCode).toBe(429);
    expect(right.headers['retry-after']).toBeDefined();
    expect(right.json().error).toBe('rate_limited');
  });

  it('limits one address trying many accounts', async () => {
    const con = client(t.app, CONSOLE);
    const ip = '198.51.100.7';
    let last = 0;
    for (let i = 0; i < 31; i++) {
      last = (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: ip,
          headers: { host: CONSOLE, 'content-type': 'application/json' },
          payload: { email: `guess${i}@example.test`, password: 'whatever-1' },
        })
      ).statusCode;
    }
    expect(last).toBe(429);
    void con;
  });
});
