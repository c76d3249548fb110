import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildOperator,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../../test/harness.ts';
import { checkDestination, normalizeNumber, normalizeTags, normalizeUri } from './numbers.validate.ts';

describe('DID number and destination validation', () => {
  it('normalises numbers to E.164 digits without the plus', () => {
    expect(normalizeNumber('+44 20 7123-4567')).toBe('442071234567');
    expect(normalizeNumber(' 1 (555) 010-0001 ')).toBe('15550100001');
    expect(normalizeNumber('12')).toBeNull();
    expect(normalizeNumber('44a2071234567')).toBeNull();
    expect(normalizeNumber('++44')).toBeNull();
    expect(normalizeNumber('1'.repeat(21))).toBeNull();
  });

  it('accepts SIP URIs and host[:port] destinations, refuses the rest', () => {
    for (const [input, out] of [
      ['sip:1000@pbx.example.com', 'sip:1000@pbx.example.com'],
      ['SIP:1000@PBX.Example.com:5080', 'sip:1000@pbx.example.com:5080'],
      ['sips:alice@192.0.2.10;transport=tls', 'sips:alice@192.0.2.10;transport=tls'],
      ['192.0.2.10', '192.0.2.10'],
      ['192.0.2.10:5062', '192.0.2.10:5062'],
      ['+442071234567@trunk.example.net', '+442071234567@trunk.example.net'],
      ['sip:100@[2001:DB8::1]:5060', 'sip:100@[2001:db8::1]:5060'],
      ['2001:db8::1', '[2001:db8::1]'],
    ] as const) {
      expect(normalizeUri(input), input).toBe(out);
    }
    for (const bad of [
      '',
      'pbx',
      'sip:1000@',
      'http://example.com',
      '192.0.2.10:0',
      '192.0.2.10:70000',
      'sip:a b@host.example',
      '999.1.1.1',
      'sip:100@[2001:db8::1',
      'sip:100@host.example;bad param',
    ]) {
      expect(normalizeUri(bad), bad).toBeNull();
    }
  });

  it('checks a destination by its type', () => {
    expect(checkDestination('external', '+1 555 010 0002', true)).toEqual({ ok: true, value: '15550100002' });
    expect(checkDestination('external', 'sip:x@y.example', true)).toMatchObject({ ok: false });
    expect(checkDestination('internal', ' 1001 ', true)).toEqual({ ok: true, value: '1001' });
    expect(checkDestination('internal', '', true)).toMatchObject({ ok: false, code: 'destination_required' });
    expect(checkDestination('uri', '', false)).toEqual({ ok: true, value: '' });
    expect(checkDestination('circuit_test', 'anything', true)).toEqual({ ok: true, value: '' });
    expect(normalizeTags(['Sales', ' sales ', '', 'Support'])).toEqual({
      ok: true,
      value: ['Sales', 'Support'],
    });
    expect(normalizeTags(['a,b'])).toMatchObject({ ok: false });
  });
});

let t: TestApp;
let op: TenantFixture;
beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
});
afterAll(() => t.close());

const DIDS = '/api/v1/console/dids';

describe(`DIDs (${ENGINE})`, () => {
  it('creates, reads, searches, pages, changes and deletes DIDs, auditing each change', async () => {
    const acme = await buildCompany(op, { name: 'Acme Numbers' });
    const res = await op.console.post(DIDS, {
      number: '+44 20 7123-4567',
      company_id: acme.id,
      destination_type: 'uri',
      destination: 'SIP:100@PBX.acme.example',
      destination_locked: true,
      tags: ['London', 'london', 'Sales'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const did = res.json();
    expect(did).toMatchObject({
      number: '442071234567',
      company_id: acme.id,
      company_name: 'Acme Numbers',
      destination: 'sip:100@pbx.acme.example',
      destination_locked: true,
      tags: ['London', 'Sales'],
      enabled: true,
    });
    const stock = await op.console.post(DIDS, { number: '15550100001' });
    expect(stock.statusCode, stock.body).toBe(201);
    expect(stock.json()).toMatchObject({ company_id: null, destination: '', destination_type: 'uri' });
    for (const n of ['15550100002', '15550100003']) {
      const r = await op.console.post(DIDS, {
        number: n,
        company_id: acme.id,
        destination_type: 'external',
        destination: '+1 555 777 0000',
      });
      expect(r.statusCode, r.body).toBe(201);
    }

    expect((await op.console.get(`${DIDS}/${did.id}`)).json()).toEqual(did);
    const all = (await op.console.get(DIDS)).json();
    expect(all).toMatchObject({ total: 4, page: 1, page_size: 25 });
    expect(all.items.map((d: { number: string }) => d.number)).toEqual([
      '15550100001',
      '15550100002',
      '15550100003',
      '442071234567',
    ]);
    const q = (s: string) => op.console.get(`${DIDS}?${s}`).then((r) => r.json());
    expect((await q('q=%2B44%2020')).items.map((d: { id: string }) => d.id)).toEqual([did.id]);
    expect((await q('q=sales')).total).toBe(1);
    expect((await q('q=acme')).total).toBe(3);
    expect((await q('q=100%25')).total).toBe(0);
    expect((await q(`company_id=${acme.id}`)).total).toBe(3);
    expect((await q('company_id=none')).items[0].number).toBe('15550100001');
    expect((await q('tag=LONDON')).total).toBe(1);
    expect((await q('enabled=false')).total).toBe(0);
    const page2 = await q('page_size=3&page=2');
    expect(page2).toMatchObject({ total: 4, page: 2, page_size: 3 });
    expect(page2.items.map((d: { number: string }) => d.number)).toEqual(['442071234567']);

    const patched = await op.console.patch(`${DIDS}/${did.id}`, {
      destination_type: 'internal',
      destination: '2001',
      enabled: false,
      tags: [],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      destination_type: 'internal',
      destination: '2001',
      enabled: false,
      tags: [],
    });
    const unassign = await op.console.patch(`${DIDS}/${did.id}`, { company_id: null });
    expect(unassign.json()).toMatchObject({ company_id: null, company_name: null });
    const circuit = await op.console.patch(`${DIDS}/${did.id}`, { destination_type: 'circuit_test' });
    expect(circuit.json()).toMatchObject({ destination_type: 'circuit_test', destination: '' });

    expect((await op.console.del(`${DIDS}/${did.id}`)).statusCode).toBe(204);
    expect((await op.console.get(`${DIDS}/${did.id}`)).statusCode).toBe(404);
    expect((await op.console.del(`${DIDS}/${did.id}`)).statusCode).toBe(404);
    expect((await op.console.patch(`${DIDS}/${did.id}`, { enabled: true })).statusCode).toBe(404);

    const log = (await op.console.get(`/api/v1/console/audit?entity_type=did&entity_id=${did.id}`)).json();
    expect(log.items.map((e: { action: string }) => e.action)).toEqual([
      'did.delete',
      'did.update',
      'did.update',
      'did.update',
      'did.create',
    ]);
    expect(log.items[3]).toMatchObject({
      before: { destination_type: 'uri', enabled: true },
      after: { destination_type: 'internal', destination: '2001', enabled: false },
    });
    expect(log.items[3].after).not.toHaveProperty('number');
  });

  it('refuses bad input with the field named and changes nothing', async () => {
    const other = await buildOperator(t);
    const co = await buildCompany(other);
    const foreign = await buildCompany(op);
    const good = (
      await other.console.post(DIDS, {
        number: '3312345678',
        company_id: co.id,
        destination: '198.51.100.20',
      })
    ).json();
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ number: 'abc' }, 400, 'invalid_number', 'number'],
      [{ number: '+33 1 23 45 67 8' }, 409, 'number_taken', 'number'],
      [{ number: '3399', company_id: co.id }, 400, 'destination_required', 'destination'],
      [
        { number: '3399', company_id: co.id, destination: 'not a uri' },
        400,
        'invalid_destination',
        'destination',
      ],
      [
        { number: '3399', company_id: co.id, destination_type: 'external', destination: 'pbx.example.com' },
        400,
        'invalid_destination',
        'destination',
      ],
      [
        { number: '3399', company_id: foreign.id, destination: '198.51.100.1' },
        400,
        'invalid_company',
        'company_id',
      ],
      [{ number: '3399', destination_type: 'connexml' }, 400, 'invalid_request', 'destination_type'],
      [{ number: '3399', tags: ['x'.repeat(41)] }, 400, 'invalid_tags', 'tags'],
      [{ number: '3399', colour: 'red' }, 400, 'invalid_request'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await other.console.post(DIDS, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error, JSON.stringify(body)).toBe(code);
      if (field) expect(res.json().field, JSON.stringify(body)).toBe(field);
    }
    for (const body of [
      { destination_type: 'external' },
      { destination: '' },
      { number: '12' },
      { company_id: foreign.id },
    ]) {
      const res = await other.console.patch(`${DIDS}/${good.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const second = (await other.console.post(DIDS, { number: '3400000000' })).json();
    const dup = await other.console.patch(`${DIDS}/${second.id}`, { number: '+33 12345678' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: 'number_taken', field: 'number' });

    const list = (await other.console.get(DIDS)).json();
    expect(list.total).toBe(2);
    expect(list.items.find((d: { id: string }) => d.id === good.id)).toEqual(good);
    const log = (await other.console.get('/api/v1/console/audit?entity_type=did')).json();
    expect(log.total).toBe(2);
  });

  it('bulk-edits DIDs in one transaction: all or nothing, naming the DID that fails', async () => {
    const co = await buildCompany(op);
    const made: { id: string; number: string }[] = [];
    for (const [number, type, destination] of [
      ['4915100000001', 'external', '4930123456'],
      ['4915100000002', 'external', '4930123457'],
      ['4915100000003', 'uri', 'sip:3@pbx.example.de'],
    ] as const) {
      const r = await op.console.post(DIDS, {
        number,
        company_id: co.id,
        destination_type: type,
        destination,
        tags: ['berlin'],
      });
      expect(r.statusCode, r.body).toBe(201);
      made.push(r.json());
    }
    const ids = made.map((d) => d.id);
    const snapshot = async () => (await op.console.get(`${DIDS}?company_id=${co.id}`)).json().items;
    const before = await snapshot();

    // The third DID's SIP URI is not a phone number: nothing changes, and the 400 names it.
    const bad = await op.console.post(`${DIDS}/bulk`, {
      ids,
      patch: { destination_type: 'external', enabled: false },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_destination', field: 'destination', id: made[2]!.id });
    expect(bad.json().message).toContain('4915100000003');
    expect(await snapshot()).toEqual(before);

    const missing = '00000000-0000-4000-8000-000000000000';
    const unknown = await op.console.post(`${DIDS}/bulk`, {
      ids: [ids[0], missing],
      patch: { enabled: false },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'unknown_did', id: missing });
    expect(unknown.json().message).toContain(missing);
    const noCompany = await op.console.post(`${DIDS}/bulk`, { ids, patch: { company_id: missing } });
    expect(noCompany.json()).toMatchObject({ error: 'invalid_company', field: 'company_id' });
    expect(await snapshot()).toEqual(before);

    const ok = await op.console.post(`${DIDS}/bulk`, {
      ids,
      patch: { enabled: false, add_tags: ['Promo'], remove_tags: ['BERLIN'] },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().updated).toBe(3);
    for (const d of await snapshot()) expect(d).toMatchObject({ enabled: false, tags: ['Promo'] });

    const moved = await op.console.post(`${DIDS}/bulk`, {
      ids,
      patch: { destination_type: 'uri', destination: 'sip:all@pbx.example.de', company_id: null, tags: [] },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    for (const d of moved.json().items)
      expect(d).toMatchObject({ company_id: null, destination: 'sip:all@pbx.example.de', tags: [] });

    const log = (await op.console.get(`/api/v1/console/audit?entity_type=did&entity_id=${ids[0]}`)).json();
    expect(log.items.map((e: { action: string }) => e.action)).toEqual([
      'did.bulk_update',
      'did.bulk_update',
      'did.create',
    ]);
    expect(log.items[1]).toMatchObject({
      before: { enabled: true },
      after: { enabled: false, tags: ['Promo'] },
    });
  });
});
