import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/db.ts';
import { purgeOldCallLogs } from '../../telecom/live.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildOperator,
  CONSOLE,
  client,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../../test/harness.ts';

let t: TestApp;
let op: TenantFixture;
let other: TenantFixture;
let acme: string;
let globex: string;
let carrier: string;
let foreign: string;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
  other = await buildOperator(t);
  acme = (await buildCompany(op)).id;
  globex = (await buildCompany(op, { currency: 'EUR' })).id;
  carrier = (await buildCompany(op, { type: 'carrier' })).id;
  foreign = (await buildCompany(other)).id;
  token = (await op.console.post('/api/v1/console/tokens', { name: 'switch' })).json().token;
});
afterAll(() => t.close());

/** A request as the switch sends it: operator API token, no cookie. */
async function api(method: 'POST' | 'DELETE', url: string, body?: unknown) {
  return t.app.inject({
    method,
    url: `/api/v1/console/ingest/${url}`,
    headers: {
      host: CONSOLE,
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

const rows = <T>(operatorId: string, sql: string, params: unknown[] = []) =>
  withTenant(t.deps.db, operatorId, (tx) => tx.query<T>(sql, params));

const soon = () => new Date(Date.now() + 3600_000).toISOString();
const reg = (over: Record<string, unknown>) => ({
  company_id: acme,
  username: 'acme-1001',
  contact: 'sip:acme-1001@192.0.2.10:5060',
  ip: '192.0.2.10',
  protocol: 'udp',
  nat: false,
  user_agent: 'Yealink SIP-T46U',
  expires_at: soon(),
  ...over,
});

describe(`live state ingestion (${ENGINE})`, () => {
  it('needs an operator session or API token, on the console host only', async () => {
    const anon = client(t.app, CONSOLE);
    expect((await anon.post('/api/v1/console/ingest/registrations', { registrations: [] })).statusCode).toBe(
      401,
    );
    const viaSession = await op.console.post('/api/v1/console/ingest/registrations', { registrations: [] });
    expect(viaSession.statusCode).toBe(200);
    expect(viaSession.json()).toEqual({ accepted: 0, errors: [] });
    // No list at all is a bad request, never "replace with nothing".
    const bad = await api('POST', 'registrations', { replace: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request', field: 'registrations' });
  });

  it('upserts registrations, refuses bad rows and other operators’ companies row by row, replaces', async () => {
    const res = await api('POST', 'registrations', {
      registrations: [
        reg({}),
        reg({
          username: 'acme-1002',
          contact: 'sip:acme-1002@192.0.2.11:40001',
          ip: '192.0.2.11',
          nat: true,
        }),
        reg({ username: 'x', company_id: foreign }),
        reg({ username: 'y', ip: 'not-an-ip' }),
        reg({ username: 'z', company_id: '00000000-0000-4000-8000-000000000000' }),
        reg({ username: 'w', expires_at: 'tomorrow' }),
        reg({ username: 'v', company_id: 'abc' }),
        'not an object',
        reg({ username: 'g1', company_id: globex, protocol: 'TLS' }),
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(3);
    expect(body.errors.map((e: { index: number }) => e.index)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(body.errors[0]).toMatchObject({ index: 2, error: 'unknown_company' });
    expect(body.errors[1]).toMatchObject({ index: 3, error: 'invalid_field' });
    expect(body.errors[1].message).toContain('ip');
    expect(JSON.stringify(body)).not.toContain(foreign);

    const stored = await rows<{ username: string; nat: boolean; protocol: string }>(
      op.operatorId,
      'SELECT username, nat, protocol FROM registrations ORDER BY username',
    );
    expect(stored).toEqual([
      { username: 'acme-1001', nat: false, protocol: 'udp' },
      { username: 'acme-1002', nat: true, protocol: 'udp' },
      { username: 'g1', nat: false, protocol: 'tls' },
    ]);
    expect(await rows(other.operatorId, 'SELECT * FROM registrations')).toEqual([]);

    // Upsert: same (username, contact) updates in place.
    const later = new Date(Date.now() + 7200_000).toISOString();
    expect(
      (await api('POST', 'registrations', { registrations: [reg({ expires_at: later })] })).json(),
    ).toEqual({ accepted: 1, errors: [] });
    const [one] = await rows<{ n: number; expires_at: Date }>(
      op.operatorId,
      "SELECT count(*)::int AS n, max(expires_at) AS expires_at FROM registrations WHERE username = 'acme-1001'",
    );
    expect(one!.n).toBe(1);
    expect(new Date(one!.expires_at).toISOString()).toBe(later);

    // replace=true: the list becomes the complete set.
    const replaced = await api('POST', 'registrations', { registrations: [reg({})], replace: true });
    expect(replaced.json()).toEqual({ accepted: 1, errors: [] });
    expect(await rows(op.operatorId, 'SELECT username FROM registrations')).toEqual([
      { username: 'acme-1001' },
    ]);
  });

  it('keeps live calls: upsert, replace, end; another operator’s company or call is refused', async () => {
    const started = new Date(Date.now() - 60_000).toISOString();
    const call = (id: string, over: Record<string, unknown> = {}) => ({
      call_id: id,
      company_id: acme,
      carrier_id: carrier,
      cli: '12025550100',
      dest_number: '447700900123',
      dest_name: 'UK Mobile',
      started_at: started,
      answered_at: new Date(Date.now() - 50_000).toISOString(),
      ...over,
    });
    const res = await api('POST', 'active-calls', {
      calls: [
        call('c1'),
        call('c2', { answered_at: null, carrier_id: undefined }),
        call('c3', { company_id: foreign }),
        call('c4', { carrier_id: foreign }),
        call('c5', { answered_at: new Date(Date.now() - 3600_000).toISOString() }),
        call('c6', { dest_number: undefined }),
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().accepted).toBe(2);
    expect(res.json().errors).toMatchObject([
      { index: 2, error: 'unknown_company' },
      { index: 3, error: 'unknown_company' },
      { index: 4, error: 'invalid_field' },
      { index: 5, error: 'missing_field' },
    ]);
    expect(
      await rows(
        op.operatorId,
        'SELECT call_id, carrier_id, answered_at IS NULL AS ringing FROM active_calls ORDER BY 1',
      ),
    ).toEqual([
      { call_id: 'c1', carrier_id: carrier, ringing: false },
      { call_id: 'c2', carrier_id: null, ringing: true },
    ]);

    // Upsert without replace adds; replace makes the list the whole set.
    await api('POST', 'active-calls', { calls: [call('c7')] });
    expect((await rows(op.operatorId, 'SELECT call_id FROM active_calls')).length).toBe(3);
    const r = await api('POST', 'active-calls', { calls: [call('c2'), call('c8')], replace: true });
    expect(r.json()).toEqual({ accepted: 2, errors: [] });
    expect(
      await rows(
        op.operatorId,
        'SELECT call_id, answered_at IS NULL AS ringing FROM active_calls ORDER BY 1',
      ),
    ).toEqual([
      { call_id: 'c2', ringing: false },
      { call_id: 'c8', ringing: false },
    ]);

    // Ending a call; another operator cannot end it, an unknown one is 404.
    const otherToken = (await other.console.post('/api/v1/console/tokens', { name: 'x' })).json().token;
    const foreignEnd = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/console/ingest/active-calls/c8',
      headers: { host: CONSOLE, authorization: `Bearer ${otherToken}` },
    });
    expect(foreignEnd.statusCode).toBe(404);
    expect((await api('DELETE', 'active-calls/c8')).statusCode).toBe(204);
    expect((await api('DELETE', 'active-calls/c8')).statusCode).toBe(404);
    expect((await api('DELETE', 'active-calls/nope')).json()).toMatchObject({ error: 'not_found' });
    expect(await rows(op.operatorId, 'SELECT call_id FROM active_calls')).toEqual([{ call_id: 'c2' }]);
  });

  it('stores call logs, validates each, and purges those older than 14 days', async () => {
    const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
    const log = (id: string, started: string, over: Record<string, unknown> = {}) => ({
      call_id: id,
      company_id: acme,
      attempts: [
        {
          carrier_id: carrier,
          sip_code: 503,
          sip_reason: 'Service Unavailable',
          started_at: started,
          pdd_ms: 420,
        },
        { carrier_id: null, sip_code: 200, sip_reason: 'OK', started_at: started, pdd_ms: 2100 },
      ],
      sip_messages: [
        {
          at: started,
          from: '12025550100',
          to: '447700900123',
          method_or_status: 'INVITE',
          src: '192.0.2.10:5060',
          dst: '198.51.100.10:5060',
          raw: 'INVITE sip:447700900123@198.51.100.10 SIP/2.0\r\n\r\n',
        },
      ],
      rtcp: { mos: 4.3, jitter_ms: 6.5, packet_loss_pct: 0.1, rtt_ms: 80 },
      ...over,
    });
    const res = await api('POST', 'call-logs', {
      logs: [
        log('l-new', at(60_000)),
        log('l-old', at(15 * 86_400_000)),
        log('l-edge', at(13 * 86_400_000), { company_id: undefined, rtcp: null }),
        log('l-bad1', at(0), { company_id: foreign }),
        log('l-bad2', at(0), { rtcp: { mos: 9, jitter_ms: 1, packet_loss_pct: 0, rtt_ms: 1 } }),
        log('l-bad3', at(0), { sip_messages: [{ at: at(0), method_or_status: 'BYE', src: 'x', dst: 'y' }] }),
        log('l-bad4', at(0), {
          attempts: [{ carrier_id: foreign, sip_code: 200, sip_reason: 'OK', started_at: at(0), pdd_ms: 1 }],
        }),
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().accepted).toBe(3);
    expect(res.json().errors.map((e: { index: number; error: string }) => [e.index, e.error])).toEqual([
      [3, 'unknown_company'],
      [4, 'invalid_field'],
      [5, 'invalid_field'],
      [6, 'unknown_company'],
    ]);
    const [stored] = await rows<{
      attempts: unknown[];
      sip_messages: { raw: string }[];
      rtcp: { mos: number };
    }>(op.operatorId, "SELECT attempts, sip_messages, rtcp FROM call_logs WHERE call_id = 'l-new'");
    expect(stored!.attempts).toHaveLength(2);
    expect(stored!.sip_messages[0]!.raw).toContain('INVITE sip:447700900123');
    expect(stored!.rtcp.mos).toBe(4.3);

    // Another operator's old log is purged too; recent ones stay.
    await withTenant(t.deps.db, other.operatorId, (tx) =>
      tx.query(
        "INSERT INTO call_logs (operator_id, call_id, created_at) VALUES ($1, 'o-old', now() - interval '20 days')",
        [other.operatorId],
      ),
    );
    expect(await purgeOldCallLogs(t.deps)).toBe(2);
    expect(await rows(op.operatorId, 'SELECT call_id FROM call_logs ORDER BY 1')).toEqual([
      { call_id: 'l-edge' },
      { call_id: 'l-new' },
    ]);
    expect(await rows(other.operatorId, 'SELECT call_id FROM call_logs')).toEqual([]);
    expect(await purgeOldCallLogs(t.deps, new Date(Date.now() + 2 * 86_400_000))).toBe(1);
  });
});
