import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/db.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildOperator,
  startTestApp,
  type TenantFixture,
  type TestApp,
  unique,
} from '../../test/harness.ts';
import { parseAddress } from './addresses.ts';
import { realmFor } from './sipusers.service.ts';

describe('switch addresses', () => {
  it('parses IP addresses, CIDR ranges and host names', () => {
    expect(parseAddress(' 192.0.2.10 ', { allowFqdn: false })).toEqual({
      kind: 'ip',
      value: '192.0.2.10',
      version: 4,
    });
    expect(parseAddress('2001:DB8::1', { allowFqdn: false })).toMatchObject({
      kind: 'ip',
      value: '2001:db8::1',
    });
    expect(parseAddress('[2001:db8::1]', { allowFqdn: false })).toMatchObject({ value: '2001:db8::1' });
    expect(parseAddress('192.0.2.0/24', { allowFqdn: false })).toMatchObject({ kind: 'cidr', prefix: 24 });
    expect(parseAddress('2001:db8::/32', { allowFqdn: false })).toMatchObject({ kind: 'cidr', version: 6 });
    expect(parseAddress('sip.Example.com', { allowFqdn: true })).toEqual({
      kind: 'fqdn',
      value: 'sip.example.com',
    });
    for (const bad of [
      '192.0.2.0/33',
      '2001:db8::/129',
      '192.0.2.0/',
      '192.0.2.0/-1',
      '192.0.2.0/2a',
      '300.1.1.1',
      'fe80::1%eth0',
      'sip.example.com/24',
      'localhost',
      'a..b.com',
      '-bad.example.com',
      '1.2.3',
      '',
    ]) {
      expect(parseAddress(bad, { allowFqdn: true }), bad).toBeNull();
    }
    expect(parseAddress('sip.example.com', { allowFqdn: false })).toBeNull();
  });
});

let t: TestApp;
let op: TenantFixture;
beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
});
afterAll(() => t.close());

const base = (companyId: string) => `/api/v1/console/companies/${companyId}`;

describe(`IP authentication (${ENGINE})`, () => {
  it('adds, lists, changes and removes entries with protocol-dependent default ports', async () => {
    const co = await buildCompany(op);
    const url = `${base(co.id)}/ip-auth`;
    const a = await op.console.post(url, { address: '198.51.100.10', channels: 30, cps: 5 });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({
      company_id: co.id,
      address: '198.51.100.10',
      direction: 'egress',
      protocol: 'udp',
      port: 5060,
      channels: 30,
      cps: 5,
    });
    const tls = await op.console.post(url, {
      address: 'SBC.Customer.example',
      direction: 'ingress',
      protocol: 'tls',
    });
    expect(tls.statusCode, tls.body).toBe(201);
    expect(tls.json()).toMatchObject({
      address: 'sbc.customer.example',
      port: 5061,
      channels: null,
      cps: null,
    });
    const range = await op.console.post(url, { address: '2001:DB8:10::/48', protocol: 'tcp', port: 5080 });
    expect(range.json()).toMatchObject({ address: '2001:db8:10::/48', port: 5080 });
    // The same address may be listed once per direction.
    const both = await op.console.post(url, { address: '198.51.100.10', direction: 'ingress' });
    expect(both.statusCode, both.body).toBe(201);

    const list = (await op.console.get(url)).json();
    expect(list).toMatchObject({ total: 4, page: 1, page_size: 25 });
    expect((await op.console.get(`${url}?q=2001`)).json().total).toBe(1);
    expect((await op.console.get(`${url}?page_size=3&page=2`)).json().items).toHaveLength(1);

    const id = a.json().id;
    const toTls = await op.console.patch(`${url}/${id}`, { protocol: 'tls', cps: null });
    expect(toTls.json()).toMatchObject({ protocol: 'tls', port: 5061, cps: null, channels: 30 });
    const custom = await op.console.patch(`${url}/${range.json().id}`, { protocol: 'udp', channels: 0 });
    expect(custom.json()).toMatchObject({ port: 5080, channels: 0 });

    expect((await op.console.del(`${url}/${id}`)).statusCode).toBe(204);
    expect((await op.console.del(`${url}/${id}`)).statusCode).toBe(404);
    expect((await op.console.get(url)).json().total).toBe(3);

    const log = (await op.console.get(`/api/v1/console/audit?entity_type=ip_auth&entity_id=${id}`)).json();
    expect(log.items.map((e: { action: string }) => e.action)).toEqual([
      'ip_auth.delete',
      'ip_auth.update',
      'ip_auth.create',
    ]);
    expect(log.items[1]).toMatchObject({
      before: { protocol: 'udp', port: 5060, cps: 5 },
      after: { protocol: 'tls', port: 5061, cps: null },
    });
  });

  it('refuses bad addresses, FQDNs for egress and duplicates, changing nothing', async () => {
    const co = await buildCompany(op);
    const url = `${base(co.id)}/ip-auth`;
    const entry = (await op.console.post(url, { address: '203.0.113.5' })).json();
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ address: 'sbc.customer.example' }, 400, 'fqdn_ingress_only', 'address'],
      [{ address: 'sbc.customer.example', direction: 'egress' }, 400, 'fqdn_ingress_only', 'address'],
      [{ address: '203.0.113.0/33' }, 400, 'invalid_address', 'address'],
      [{ address: '2001:db8::/200' }, 400, 'invalid_address', 'address'],
      [{ address: 'not an address' }, 400, 'invalid_address', 'address'],
      [{ address: '203.0.113.5' }, 409, 'address_taken', 'address'],
      [{ address: '203.0.113.6', port: 70000 }, 400, 'invalid_request', 'port'],
      [{ address: '203.0.113.6', channels: -1 }, 400, 'invalid_request', 'channels'],
      [{ address: '203.0.113.6', protocol: 'sctp' }, 400, 'invalid_request', 'protocol'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await op.console.post(url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json(), JSON.stringify(body)).toMatchObject({ error: code, ...(field ? { field } : {}) });
    }
    const fqdn = (
      await op.console.post(url, { address: 'sbc.customer.example', direction: 'ingress' })
    ).json();
    const flip = await op.console.patch(`${url}/${fqdn.id}`, { direction: 'egress' });
    expect(flip.json()).toMatchObject({ error: 'fqdn_ingress_only' });
    const items = (await op.console.get(url)).json().items;
    expect(items).toHaveLength(2);
    expect(items.find((i: { id: string }) => i.id === entry.id)).toEqual(entry);
    expect(items.find((i: { id: string }) => i.id === fqdn.id)).toEqual(fqdn);

    // An entry belongs to its company: another company's path does not reach it.
    const other = await buildCompany(op);
    expect((await op.console.patch(`${base(other.id)}/ip-auth/${entry.id}`, { cps: 1 })).statusCode).toBe(
      404,
    );
    expect((await op.console.del(`${base(other.id)}/ip-auth/${entry.id}`)).statusCode).toBe(404);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await op.console.get(`${base(missing)}/ip-auth`)).statusCode).toBe(404);
    expect((await op.console.post(`${base(missing)}/ip-auth`, { address: '192.0.2.1' })).statusCode).toBe(
      404,
    );
  });
});

describe(`SIP users (${ENGINE})`, () => {
  const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
  const storedHa1 = async (f: TenantFixture, id: string) => {
    const [row] = await withTenant(t.deps.db, f.operatorId, (tx) =>
      tx.query<{ ha1: string; realm: string }>('SELECT ha1, realm FROM sip_users WHERE id = $1', [id]),
    );
    return row!;
  };

  it('stores only HA1, never returns or logs the password, and needs a new password to rename', async () => {
    const co = await buildCompany(op);
    const url = `${base(co.id)}/sip-users`;
    const password = 'Secret-SIP-pass-1';
    const bodies: string[] = [];
    const res = await op.console.post(url, {
      username: 'acme.trunk1',
      password,
      channels: 10,
      cps: 2,
      protocol: 'tls_srtp',
      ip_whitelist: ['192.0.2.0/24', ' 192.0.2.0/24 ', '2001:DB8::5'],
    });
    bodies.push(res.body);
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json();
    const realm = realmFor(op.operatorId);
    expect(realm).toMatch(/^sip\.[0-9a-f]{8}\.portal$/);
    expect(user).toEqual({
      id: user.id,
      company_id: co.id,
      username: 'acme.trunk1',
      realm,
      password_set: true,
      channels: 10,
      cps: 2,
      protocol: 'tls_srtp',
      ip_whitelist: ['192.0.2.0/24', '2001:db8::5'],
      created_at: user.created_at,
    });
    const first = await storedHa1(op, user.id);
    expect(first).toEqual({ realm, ha1: md5(`acme.trunk1:${realm}:${password}`) });

    const list = await op.console.get(url);
    bodies.push(list.body);
    expect(list.json()).toMatchObject({ total: 1, items: [{ username: 'acme.trunk1', password_set: true }] });

    // Renaming changes the digest input: refused without a new password, nothing changes.
    const rename = await op.console.patch(`${url}/${user.id}`, { username: 'acme.trunk2' });
    bodies.push(rename.body);
    expect(rename.statusCode).toBe(400);
    expect(rename.json()).toMatchObject({ error: 'password_required', field: 'password' });
    const caseOnly = await op.console.patch(`${url}/${user.id}`, { username: 'ACME.trunk1' });
    expect(caseOnly.json().error).toBe('password_required');
    expect(await storedHa1(op, user.id)).toEqual(first);

    const renamed = await op.console.patch(`${url}/${user.id}`, {
      username: 'acme.trunk2',
      password: 'another-pass-22',
    });
    bodies.push(renamed.body);
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ username: 'acme.trunk2', password_set: true });
    expect((await storedHa1(op, user.id)).ha1).toBe(md5(`acme.trunk2:${realm}:another-pass-22`));

    const newPass = await op.console.patch(`${url}/${user.id}`, { password: 'third-password-3' });
    bodies.push(newPass.body);
    expect((await storedHa1(op, user.id)).ha1).toBe(md5(`acme.trunk2:${realm}:third-password-3`));
    const limits = await op.console.patch(`${url}/${user.id}`, { channels: null, ip_whitelist: [] });
    bodies.push(limits.body);
    expect(limits.json()).toMatchObject({ channels: null, cps: 2, ip_whitelist: [] });
    expect((await storedHa1(op, user.id)).ha1).toBe(md5(`acme.trunk2:${realm}:third-password-3`));

    const log = await op.console.get(`/api/v1/console/audit?entity_type=sip_user&entity_id=${user.id}`);
    bodies.push(log.body);
    const actions = log.json().items.map((e: { action: string; after: Record<string, unknown> }) => e.action);
    expect(actions).toEqual(['sip_user.update', 'sip_user.update', 'sip_user.update', 'sip_user.create']);
    expect(log.json().items[1].after).toMatchObject({ password_changed: '(set)' });
    const [rows] = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ all: string }>(
        "SELECT string_agg(coalesce(before::text, '') || after::text, ' ') AS all FROM audit_log",
      ),
    );
    bodies.push(rows!.all);
    expect((await op.console.del(`${url}/${user.id}`)).statusCode).toBe(204);
    expect((await op.console.get(url)).json().total).toBe(0);

    for (const b of bodies) {
      for (const secret of [password, 'another-pass-22', 'third-password-3', first.ha1, '"ha1"']) {
        expect(b).not.toContain(secret);
      }
    }
  });

  it('keeps usernames unique per operator (case-insensitive, across companies), not across operators', async () => {
    const a = await buildCompany(op);
    const b = await buildCompany(op);
    const created = await op.console.post(`${base(a.id)}/sip-users`, {
      username: 'shared_name',
      password: 'password-one-1',
    });
    expect(created.statusCode, created.body).toBe(201);
    for (const [company, username] of [
      [a.id, 'shared_name'],
      [b.id, 'SHARED_NAME'],
    ] as const) {
      const dup = await op.console.post(`${base(company)}/sip-users`, {
        username,
        password: 'password-two-2',
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ error: 'username_taken', field: 'username' });
    }
    const second = (
      await op.console.post(`${base(b.id)}/sip-users`, { username: 'second', password: 'password-two-2' })
    ).json();
    const renameDup = await op.console.patch(`${base(b.id)}/sip-users/${second.id}`, {
      username: 'Shared_Name',
      password: 'password-three-3',
    });
    expect(renameDup.statusCode).toBe(409);
    expect(
      (await op.console.get(`${base(b.id)}/sip-users`))
        .json()
        .items.map((u: { username: string }) => u.username),
    ).toEqual(['second']);

    const other = await buildOperator(t);
    const theirs = await buildCompany(other);
    const res = await other.console.post(`${base(theirs.id)}/sip-users`, {
      username: 'shared_name',
      password: 'password-four-4',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().realm).toBe(realmFor(other.operatorId));
    expect(res.json().realm).not.toBe(realmFor(op.operatorId));
  });

  it('validates usernames, passwords, limits and the IP whitelist', async () => {
    const co = await buildCompany(op);
    const url = `${base(co.id)}/sip-users`;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ username: 'ab', password: 'long-enough-1' }, 'invalid_username', 'username'],
      [{ username: 'with space', password: 'long-enough-1' }, 'invalid_username', 'username'],
      [{ username: 'valid.user', password: 'short' }, 'invalid_password', 'password'],
      [{ username: 'valid.user' }, 'invalid_request', 'password'],
      [
        { username: 'valid.user', password: 'long-enough-1', ip_whitelist: ['host.example.com'] },
        'invalid_ip_whitelist',
        'ip_whitelist',
      ],
      [
        { username: 'valid.user', password: 'long-enough-1', ip_whitelist: ['10.0.0.0/40'] },
        'invalid_ip_whitelist',
        'ip_whitelist',
      ],
      [{ username: 'valid.user', password: 'long-enough-1', cps: -1 }, 'invalid_request', 'cps'],
      [{ username: 'valid.user', password: 'long-enough-1', protocol: 'ws' }, 'invalid_request', 'protocol'],
      [{ username: 'valid.user', password: 'long-enough-1', ha1: '0'.repeat(32) }, 'invalid_request', ''],
    ];
    for (const [body, code, field] of cases) {
      const res = await op.console.post(url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error, JSON.stringify(body)).toBe(code);
      if (field) expect(res.json().field, JSON.stringify(body)).toBe(field);
      expect(res.body).not.toContain('long-enough-1');
    }
    expect((await op.console.get(url)).json().total).toBe(0);
  });
});

describe(`SIP channel budget (${ENGINE})`, () => {
  const sumChannels = async (companyId: string) =>
    (
      await withTenant(t.deps.db, op.operatorId, (tx) =>
        tx.query<{ n: number }>(
          'SELECT coalesce(sum(channels), 0)::int AS n FROM sip_users WHERE company_id = $1',
          [companyId],
        ),
      )
    )[0]!.n;

  it('exposes the company channel limit and flow speed, null meaning unlimited', async () => {
    const co = await buildCompany(op);
    expect(co).toMatchObject({ channels: null, cps: null });
    const url = `/api/v1/console/companies/${co.id}`;
    const set = await op.console.patch(url, { channels: 20, cps: 5 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ channels: 20, cps: 5 });
    expect((await op.console.get(url)).json()).toMatchObject({ channels: 20, cps: 5 });
    const created = await op.console.post('/api/v1/console/companies', {
      type: 'customer',
      name: 'Limited Ltd',
      currency: 'USD',
      channels: 0,
      cps: 0,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ channels: 0, cps: 0 });
    for (const bad of [{ channels: -1 }, { cps: 1.5 }, { channels: '10' }, { channels: 1_000_001 }]) {
      const res = await op.console.patch(url, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const cleared = await op.console.patch(url, { channels: null, cps: null });
    expect(cleared.json()).toMatchObject({ channels: null, cps: null });
    const [entry] = (await op.console.get(`/api/v1/console/audit?entity_id=${co.id}&page_size=10`)).json()
      .items;
    expect(entry).toMatchObject({ action: 'company.update' });
  });

  it('refuses SIP user channels beyond the company limit on create and update, changing nothing', async () => {
    const co = await buildCompany(op, { channels: 10 });
    const url = `${base(co.id)}/sip-users`;
    const a = await op.console.post(url, { username: unique('a'), password: 'long-enough-1', channels: 6 });
    expect(a.statusCode, a.body).toBe(201);
    // A user without its own count reserves nothing: it shares what the company limit leaves.
    const shared = await op.console.post(url, { username: unique('s'), password: 'long-enough-1' });
    expect(shared.statusCode, shared.body).toBe(201);
    const over = await op.console.post(url, {
      username: unique('b'),
      password: 'long-enough-1',
      channels: 5,
    });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({
      error: 'no_channel_capacity',
      field: 'channels',
      limit: 10,
      allocated: 6,
    });
    expect(over.json().message).toMatch(/^No channel capacity available for your account/);
    const b = await op.console.post(url, { username: unique('b'), password: 'long-enough-1', channels: 4 });
    expect(b.statusCode, b.body).toBe(201);
    expect(await sumChannels(co.id)).toBe(10);

    // Raising one user past the budget is refused; lowering and keeping its own share are fine.
    const raise = await op.console.patch(`${url}/${a.json().id}`, { channels: 7 });
    expect(raise.statusCode).toBe(409);
    expect(raise.json()).toMatchObject({ error: 'no_channel_capacity', allocated: 4 });
    const give = await op.console.patch(`${url}/${shared.json().id}`, { channels: 1 });
    expect(give.json().error).toBe('no_channel_capacity');
    expect((await op.console.patch(`${url}/${a.json().id}`, { channels: 6, cps: 3 })).statusCode).toBe(200);
    expect((await op.console.patch(`${url}/${a.json().id}`, { channels: 2 })).statusCode).toBe(200);
    expect((await op.console.patch(`${url}/${b.json().id}`, { channels: 8 })).statusCode).toBe(200);
    expect(await sumChannels(co.id)).toBe(10);
    const list = (await op.console.get(url)).json();
    expect(list.items.map((u: { channels: number | null }) => u.channels).sort()).toEqual([2, 8, null]);

    // A company without a limit takes any allocation; a limit of 0 leaves none.
    const free = await buildCompany(op);
    const big = await op.console.post(`${base(free.id)}/sip-users`, {
      username: unique('big'),
      password: 'long-enough-1',
      channels: 5000,
    });
    expect(big.statusCode, big.body).toBe(201);
    const zero = await buildCompany(op, { channels: 0 });
    const none = await op.console.post(`${base(zero.id)}/sip-users`, {
      username: unique('z'),
      password: 'long-enough-1',
      channels: 1,
    });
    expect(none.json()).toMatchObject({ error: 'no_channel_capacity', limit: 0, allocated: 0 });
  });

  it('refuses lowering the company limit below the channels its SIP users hold', async () => {
    const co = await buildCompany(op);
    const url = `${base(co.id)}/sip-users`;
    for (const channels of [5, 7])
      expect(
        (await op.console.post(url, { username: unique('u'), password: 'long-enough-1', channels }))
          .statusCode,
      ).toBe(201);
    const low = await op.console.patch(base(co.id), { channels: 11, cps: 9, name: 'Renamed' });
    expect(low.statusCode).toBe(409);
    expect(low.json()).toMatchObject({
      error: 'channel_limit_below_allocation',
      field: 'channels',
      allocated: 12,
    });
    // Nothing of the refused change was applied.
    expect((await op.console.get(base(co.id))).json()).toMatchObject({
      channels: null,
      cps: null,
      name: co.name,
    });
    const exact = await op.console.patch(base(co.id), { channels: 12 });
    expect(exact.statusCode, exact.body).toBe(200);
    expect(exact.json().channels).toBe(12);
  });

  it('never lets concurrent creates, changes and a lower limit overshoot the budget together', async () => {
    const co = await buildCompany(op, { channels: 10 });
    const url = `${base(co.id)}/sip-users`;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        op.console.post(url, { username: unique(`c${i}`), password: 'long-enough-1', channels: 3 }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(await sumChannels(co.id)).toBe(9);

    // Raising users and lowering the limit at the same time: whatever the order, the sum fits the limit.
    const users = results.filter((r) => r.statusCode === 201).map((r) => r.json().id as string);
    const mixed = await Promise.all([
      op.console.patch(base(co.id), { channels: 9 }),
      op.console.patch(`${url}/${users[0]}`, { channels: 4 }),
      op.console.post(url, { username: unique('late'), password: 'long-enough-1', channels: 1 }),
      op.console.patch(base(co.id), { channels: 8 }),
    ]);
    for (const r of mixed) expect([200, 201, 409], r.body).toContain(r.statusCode);
    const limit = (await op.console.get(base(co.id))).json().channels as number;
    expect(await sumChannels(co.id)).toBeLessThanOrEqual(limit);
    expect(mixed[3]!.statusCode).toBe(409);
  });
});
