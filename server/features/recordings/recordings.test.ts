import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/db.ts';
import { ingestCdrs } from '../../telecom/ingest.ts';
import { syntheticCallWav } from '../../telecom/simulator/wav.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildContact,
  buildDomain,
  buildOperator,
  type Client,
  CONSOLE,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../../test/harness.ts';
import { MAX_RECORDING_BYTES } from './audio.ts';
import { byteRange } from './byte-range.ts';
import { findRecording, recordingBytes } from './recordings.service.ts';

let t: TestApp;
let op: TenantFixture;
let other: TenantFixture;
let token: string;
let otherToken: string;
let alice: Client; // recording + download_recording
let bob: Client; // same brand, another company
let carol: Client; // cdr only
let dan: Client; // recording without download_recording
const co: Record<string, string> = {};

const WAV = syntheticCallWav('recordings-test', 2.5);
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const START = new Date(Date.UTC(2026, 0, 15, 10, 30, 0));
const SPECIAL = 'a1b2/c3@sbc.example.test';

const cdr = (callId: string, companyId: string, extra: Record<string, unknown> = {}) => ({
  call_id: callId,
  start_time: new Date(START.getTime() + Math.floor(Math.random() * 60_000)).toISOString(),
  company_id: companyId,
  cli: '15550001111',
  dest_number: '447700900123',
  duration: 42,
  billed_duration: 42,
  sip_code: 200,
  charge: '0.0100',
  currency: 'USD',
  ...extra,
});

/** The switch uploading audio with the operator's API token. */
function upload(
  callId: string,
  body: Buffer | Readable | string,
  contentType: string | null = 'audio/wav',
  bearer = token,
) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/v1/console/ingest/recordings/${encodeURIComponent(callId)}`,
    headers: {
      host: CONSOLE,
      authorization: `Bearer ${bearer}`,
      ...(contentType ? { 'content-type': contentType } : {}),
    },
    payload: body,
  });
}

const stored = (operatorId: string, callId: string) =>
  withTenant(t.deps.db, operatorId, (tx) =>
    tx.query<{ sha256: string; size: number }>(
      'SELECT sha256, size FROM call_recordings WHERE call_id = $1',
      [callId],
    ),
  );
const reference = async (callId: string) =>
  (
    await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ recording: string | null }>('SELECT recording FROM cdrs WHERE call_id = $1', [callId]),
    )
  )[0]?.recording;

const range = `from=${encodeURIComponent(new Date(START.getTime() - 3600_000).toISOString())}&to=${encodeURIComponent(new Date(START.getTime() + 3600_000).toISOString())}`;
const play = (c: Client, callId: string, headers: Record<string, string> = {}) =>
  c.request('GET', `/api/v1/portal/recordings/${encodeURIComponent(callId)}`, undefined, headers);

beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
  other = await buildOperator(t);
  const full = await buildDomain(op, { features: { cdr: true, recording: true, download_recording: true } });
  const plain = await buildDomain(op, { features: { cdr: true, recording: false } });
  const listenOnly = await buildDomain(op, { features: { cdr: true, recording: true } });
  co.a = (await buildCompany(op, { domain_id: full.id })).id;
  co.b = (await buildCompany(op, { domain_id: full.id })).id;
  co.c = (await buildCompany(op, { domain_id: plain.id })).id;
  co.d = (await buildCompany(op, { domain_id: listenOnly.id })).id;
  const otherCo = (await buildCompany(other)).id;
  const r = await ingestCdrs(t.deps, op.operatorId, [
    cdr('call-a-1', co.a),
    cdr('call-a-2', co.a),
    cdr('call-a-replace', co.a),
    cdr('call-a-mp3', co.a),
    cdr('call-a-ref', co.a, { recording: 'switch/2026/01/15/call-a-ref.wav' }),
    cdr('call-a-bad', co.a),
    cdr(SPECIAL, co.a),
    cdr('call-b-1', co.b),
    cdr('call-c-1', co.c),
    cdr('call-d-1', co.d),
  ]);
  expect(r.errors).toEqual([]);
  expect((await ingestCdrs(t.deps, other.operatorId, [cdr('call-other-1', otherCo)])).errors).toEqual([]);
  token = (await op.console.post('/api/v1/console/tokens', { name: 'switch' })).json().token;
  otherToken = (await other.console.post('/api/v1/console/tokens', { name: 'switch' })).json().token;
  const login = async (companyId: string, host: string) => {
    const x = await buildContact(t, op, companyId, host);
    expect((await x.login()).statusCode).toBe(200);
    return x.portal;
  };
  alice = await login(co.a, full.domain);
  bob = await login(co.b, full.domain);
  carol = await login(co.c, plain.domain);
  dan = await login(co.d, listenOnly.domain);
  for (const [id, c] of [
    ['call-a-1', co.a],
    ['call-b-1', co.b],
    ['call-c-1', co.c],
    ['call-d-1', co.d],
  ] as const) {
    const res = await upload(id, syntheticCallWav(`${id}-${c}`));
    expect(res.statusCode, res.body).toBe(201);
  }
}, 120_000);
afterAll(() => t.close());

describe(`call recordings (${ENGINE})`, () => {
  it('ingests a WAV against a CDR, sets its reference, and is idempotent by call id', async () => {
    const first = await upload('call-a-2', WAV);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({
      call_id: 'call-a-2',
      content_type: 'audio/wav',
      size: WAV.length,
      sha256: sha(WAV),
      recording: 'recordings/2026/01/15/call-a-2.wav',
      status: 'created',
    });
    expect(await reference('call-a-2')).toBe('recordings/2026/01/15/call-a-2.wav');
    const again = await upload('call-a-2', WAV, 'audio/x-wav; codecs=1');
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('unchanged');
    expect(await stored(op.operatorId, 'call-a-2')).toEqual([{ sha256: sha(WAV), size: WAV.length }]);

    // New bytes for the same call replace the old ones.
    const v2 = syntheticCallWav('replacement', 2);
    expect((await upload('call-a-replace', WAV)).statusCode).toBe(201);
    const replaced = await upload('call-a-replace', v2);
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().status).toBe('replaced');
    const res = await play(alice, 'call-a-replace');
    expect(sha(res.rawPayload)).toBe(sha(v2));
  });

  it('keeps a reference the switch already sent, and stores other audio types under their own type', async () => {
    const res = await upload('call-a-ref', WAV);
    expect(res.statusCode).toBe(201);
    expect(res.json().recording).toBe('switch/2026/01/15/call-a-ref.wav');
    expect(await reference('call-a-ref')).toBe('switch/2026/01/15/call-a-ref.wav');
    const mp3 = Buffer.concat([
      Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'),
      Buffer.alloc(500, 0x55),
    ]);
    const m = await upload('call-a-mp3', mp3, 'audio/mp3');
    expect(m.statusCode, m.body).toBe(201);
    expect(m.json()).toMatchObject({
      content_type: 'audio/mpeg',
      recording: 'recordings/2026/01/15/call-a-mp3.mp3',
    });
    const back = await play(alice, 'call-a-mp3');
    expect(back.headers['content-type']).toBe('audio/mpeg');
    expect(back.headers['content-disposition']).toContain('call-call-a-mp3.mp3');
  });

  it('shows a recording URL in the CDR JSON only for calls with stored audio, and the bytes round-trip', async () => {
    const list = await alice.get(`/api/v1/portal/cdrs?${range}&limit=500`);
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as Record<string, unknown>[];
    const byId = new Map(items.map((i) => [i.call_id, i]));
    expect(byId.get('call-a-1')).toMatchObject({
      recording: 'recordings/2026/01/15/call-a-1.wav',
      recording_url: '/api/v1/portal/recordings/call-a-1',
    });
    expect(byId.get('call-a-bad')).toMatchObject({ recording: null, recording_url: null });
    // Without the recording column there is no URL either.
    const narrow = (await alice.get(`/api/v1/portal/cdrs?${range}&fields=call_id,dest_number`)).json();
    expect(narrow.items[0]).not.toHaveProperty('recording_url');

    const url = byId.get('call-a-1')!.recording_url as string;
    const res = await alice.get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'audio/wav',
      'content-length': String(res.rawPayload.length),
      'accept-ranges': 'bytes',
      'cache-control': expect.stringContaining('private'),
      'content-disposition': expect.stringMatching(/^inline; filename="call-call-a-1\.wav"/),
    });
    const [row] = await stored(op.operatorId, 'call-a-1');
    expect(sha(res.rawPayload)).toBe(row!.sha256);
    expect(res.rawPayload.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(res.rawPayload.subarray(8, 12).toString('latin1')).toBe('WAVE');

    // Revalidation and HEAD.
    const cached = await play(alice, 'call-a-1', { 'if-none-match': String(res.headers.etag) });
    expect(cached.statusCode).toBe(304);
    const head = await alice.request('HEAD', url);
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(row!.size));
    expect(head.rawPayload.length).toBe(0);
  });

  it('answers Range requests with 206 and exactly the requested slice', async () => {
    const full = (await play(alice, 'call-a-2')).rawPayload;
    const size = full.length;
    const cases: [string, number, number][] = [
      ['bytes=100-199', 100, 199],
      ['bytes=0-0', 0, 0],
      ['bytes=1000-', 1000, size - 1],
      ['bytes=-64', size - 64, size - 1],
      [`bytes=${size - 10}-${size + 500}`, size - 10, size - 1],
    ];
    for (const [header, start, end] of cases) {
      const res = await play(alice, 'call-a-2', { range: header });
      expect(res.statusCode, header).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers['content-length']).toBe(String(end - start + 1));
      expect(res.rawPayload.equals(WAV.subarray(start, end + 1)), header).toBe(true);
    }
    const past = await play(alice, 'call-a-2', { range: `bytes=${size}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${size}`);
    // A malformed or multi-part range, or a stale If-Range, gets the whole recording.
    const ignored: Record<string, string>[] = [
      { range: 'bytes=5-1' },
      { range: 'bytes=0-1,5-9' },
      { range: 'bytes=0-9', 'if-range': '"old"' },
    ];
    for (const headers of ignored) {
      const res = await play(alice, 'call-a-2', headers);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.length).toBe(size);
    }
    expect(byteRange('items=0-5', 10)).toEqual({ kind: 'full' });
    expect(byteRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
  });

  it('streams in chunks that add up to the exact slice', async () => {
    const rec = await withTenant(t.deps.db, op.operatorId, (tx) => findRecording(tx, 'call-a-2', co.a!));
    const parts: Buffer[] = [];
    for await (const p of recordingBytes(t.deps, op.operatorId, rec!, 7, WAV.length - 3, 997)) parts.push(p);
    expect(parts.length).toBeGreaterThan(10);
    expect(Buffer.concat(parts).equals(WAV.subarray(7, WAV.length - 2))).toBe(true);
  });

  it('plays call ids with reserved characters through an encoded URL', async () => {
    expect((await upload(SPECIAL, WAV)).statusCode).toBe(201);
    const items = (await alice.get(`/api/v1/portal/cdrs?${range}&limit=500`)).json().items as Record<
      string,
      unknown
    >[];
    const url = items.find((i) => i.call_id === SPECIAL)!.recording_url as string;
    expect(url).toBe(`/api/v1/portal/recordings/${encodeURIComponent(SPECIAL)}`);
    const res = await alice.get(url);
    expect(res.statusCode).toBe(200);
    expect(sha(res.rawPayload)).toBe(sha(WAV));
  });

  it('another company of the same operator gets 404, another operator cannot upload to the call', async () => {
    expect((await play(bob, 'call-a-1')).statusCode).toBe(404);
    expect((await play(bob, 'call-b-1')).statusCode).toBe(200);
    expect((await play(alice, 'call-b-1')).statusCode).toBe(404);
    const bobList = (await bob.get(`/api/v1/portal/cdrs?${range}`)).json().items as { call_id: string }[];
    expect(bobList.map((i) => i.call_id)).toEqual(['call-b-1']);
    const foreign = await upload('call-a-1', syntheticCallWav('attack'), 'audio/wav', otherToken);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error).toBe('unknown_call');
    expect(await stored(other.operatorId, 'call-a-1')).toEqual([]);
    const [kept] = await stored(op.operatorId, 'call-a-1');
    expect(kept!.sha256).toBe(sha(syntheticCallWav(`call-a-1-${co.a}`)));
  });

  it('without the recording feature the endpoint is refused and the field is absent from JSON and CSV', async () => {
    const res = await play(carol, 'call-c-1');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'feature_disabled', feature: 'recording' });
    const list = (await carol.get(`/api/v1/portal/cdrs?${range}`)).json();
    expect(list.available_fields).not.toContain('recording');
    expect(list.items[0].call_id).toBe('call-c-1');
    expect(list.items[0]).not.toHaveProperty('recording');
    expect(list.items[0]).not.toHaveProperty('recording_url');
    expect((await carol.get(`/api/v1/portal/cdrs?${range}&fields=recording`)).json().error).toBe(
      'field_not_allowed',
    );
    const csv = await carol.get(`/api/v1/portal/cdrs.csv?${range}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\n')[0]!.split(',')).not.toContain('recording');
    expect(csv.body).not.toContain('recordings/');
    expect(csv.body).toContain('call-c-1');
    // With the feature the CSV carries the reference column, never a playback URL.
    const own = await alice.get(`/api/v1/portal/cdrs.csv?${range}`);
    expect(own.body.split('\n')[0]!.split(',')).toContain('recording');
    expect(own.body).toContain('recordings/2026/01/15/call-a-1.wav');
    expect(own.body).not.toContain('/api/v1/portal/recordings');
  });

  it('downloads need download_recording as well', async () => {
    const dl = await play(alice, 'call-a-1', {});
    expect(dl.statusCode).toBe(200);
    const attachment = await alice.get('/api/v1/portal/recordings/call-a-1?download=1');
    expect(attachment.statusCode).toBe(200);
    expect(attachment.headers['content-disposition']).toMatch(/^attachment; filename="call-call-a-1\.wav"/);
    expect(sha(attachment.rawPayload)).toBe(sha(dl.rawPayload));
    expect((await play(dan, 'call-d-1')).statusCode).toBe(200);
    const refused = await dan.get('/api/v1/portal/recordings/call-d-1?download=1');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'feature_disabled', feature: 'download_recording' });
  });

  it('refuses bad uploads with clear errors and stores nothing', async () => {
    const cases: [Buffer | string, string | null, number, string][] = [
      ['just text', 'text/plain', 415, 'unsupported_media_type'],
      ['{"audio":true}', 'application/json', 415, 'unsupported_media_type'],
      [WAV, 'video/mp4', 415, 'unsupported_media_type'],
      [WAV, null, 415, 'unsupported_media_type'],
      [Buffer.from('<html>not audio</html>'), 'audio/wav', 400, 'invalid_audio'],
      [WAV, 'audio/mpeg', 400, 'invalid_audio'],
      [Buffer.alloc(0), 'audio/wav', 400, 'empty_recording'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await upload('call-a-bad', body, type);
      expect(res.statusCode, `${type}: ${res.body}`).toBe(status);
      expect(res.json()).toMatchObject({ error: code, message: expect.any(String) });
    }
    const unknown = await upload('no-such-call', WAV);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      error: 'unknown_call',
      message: expect.stringContaining('call id'),
    });

    const oversize = Buffer.alloc(MAX_RECORDING_BYTES + 1);
    WAV.copy(oversize);
    const big = await upload('call-a-bad', oversize);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: 'recording_too_large', limit: MAX_RECORDING_BYTES });
    // Without a Content-Length the limit holds while reading.
    const streamed = await upload('call-a-bad', Readable.from([WAV, Buffer.alloc(MAX_RECORDING_BYTES)]));
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().error).toBe('recording_too_large');

    expect(await stored(op.operatorId, 'call-a-bad')).toEqual([]);
    expect(await reference('call-a-bad')).toBeNull();
    expect((await play(alice, 'call-a-bad')).statusCode).toBe(404);
  });

  it('needs an operator token or session on the console host', async () => {
    const anon = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/console/ingest/recordings/call-a-1',
      headers: { host: CONSOLE, 'content-type': 'audio/wav' },
      payload: WAV,
    });
    expect(anon.statusCode).toBe(401);
    const viaPortal = await alice.request('PUT', '/api/v1/console/ingest/recordings/call-a-1', undefined, {
      'content-type': 'audio/wav',
    });
    expect(viaPortal.statusCode).toBe(404);
  });
});
