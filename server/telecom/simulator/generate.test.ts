import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { parseCdr } from '../cdr-input.ts';
import {
  CallFactory,
  type CdrRow,
  generateActiveCalls,
  generateCalls,
  generateRegistrations,
  isoTime,
  simulateCalls,
  trafficIntensity,
} from './generate.ts';
import { createRng, WeightedPicker } from './prng.ts';
import { OUTCOMES } from './sip.ts';

const customers = [
  { id: '6f0c2f9e-5a51-4c39-9a57-000000000001', sipUsers: ['acme-1001', 'acme-1002'] },
  { id: '6f0c2f9e-5a51-4c39-9a57-000000000002' },
  { id: '6f0c2f9e-5a51-4c39-9a57-000000000003', techPrefix: '101' },
  { id: '6f0c2f9e-5a51-4c39-9a57-000000000004', sipUsers: ['umb-sbc'] },
];
const destinations = [
  { prefix: '1', name: 'USA', rate: '0.0090' },
  { prefix: '447', name: 'UK Mobile', rate: '0.0220' },
  { prefix: '1212', name: 'USA New York', rate: '0.0085' },
  { prefix: '91', name: 'India', rate: '0.0280' },
  { prefix: '44', name: 'UK', rate: '0.0120' },
  { prefix: '4915', name: 'Germany Mobile', rate: '0.0450' },
  { prefix: '234', name: 'Nigeria', rate: '0.1350' },
];
const carriers = [
  { id: '6f0c2f9e-5a51-4c39-9a57-0000000000c1', currency: 'USD', rateCardId: null },
  { id: '6f0c2f9e-5a51-4c39-9a57-0000000000c2', currency: 'EUR', rateFactor: 0.74 },
];
const from = new Date('2026-03-02T00:00:00Z'); // a Monday
const to = new Date('2026-03-09T00:00:00Z');
const spec = { customers, destinations, carriers };
const N = 20_000;

const sample = (seed: number | string = 7, count = N, window = { from, to }) => [
  ...simulateCalls({ seed, count, ...window, ...spec }),
];
const calls = sample();
const cdrs = calls.map((c) => c.cdr);
const answered = cdrs.filter((r) => r.sip_code === 200);
const share = <T>(items: T[], pred: (x: T) => boolean) => items.filter(pred).length / items.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('traffic generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(sample(7, 2000).map((c) => c.cdr)).toEqual(sample(7, 2000).map((c) => c.cdr));
    const again = [...generateCalls({ seed: 7, count: N, from, to, ...spec })];
    expect(JSON.stringify(again)).toBe(JSON.stringify(cdrs));
    const other = [...generateCalls({ seed: 8, count: N, from, to, ...spec })];
    expect(other[0]!.call_id).not.toBe(cdrs[0]!.call_id);
    expect(other.map((r) => r.duration)).not.toEqual(cdrs.map((r) => r.duration));
    expect(new Set(cdrs.map((r) => r.call_id)).size).toBe(N);
  });

  it('produces rows the ingestion accepts', () => {
    for (const r of cdrs.slice(0, 3000)) {
      const parsed = parseCdr(r);
      expect('error' in parsed ? parsed : null, JSON.stringify(r)).toBeNull();
    }
  });

  it('keeps start times ascending within the window and no call past its end', () => {
    const bad = calls.filter((c, i) => {
      const r = c.cdr;
      const start = Date.parse(r.start_time);
      const end = start + r.pdd_ms + (r.ring_duration + r.duration) * 1000;
      return (
        (i > 0 && r.start_time < calls[i - 1]!.cdr.start_time) ||
        start < from.getTime() ||
        end !== c.endMs ||
        end > to.getTime()
      );
    });
    expect(bad).toEqual([]);
    // A window too short for most calls: they are shortened or cut, never cross it.
    const tight = sample(3, 500, { from, to: new Date(from.getTime() + 60_000) });
    for (const c of tight) expect(c.endMs).toBeLessThanOrEqual(from.getTime() + 60_000);
  });

  it('fails about 40 % of attempts with realistic SIP codes, reasons and release reasons', () => {
    const failed = share(cdrs, (r) => r.sip_code !== 200);
    expect(failed).toBeGreaterThan(0.35);
    expect(failed).toBeLessThan(0.45);
    const known = new Map(OUTCOMES.map((o) => [o.code, o.reason]));
    const seen = new Set<number>();
    for (const r of cdrs) {
      expect(known.get(r.sip_code)).toBe(r.sip_reason);
      expect(r.release_reason).not.toBe('');
      seen.add(r.sip_code);
    }
    expect([...seen].sort()).toEqual([200, 403, 404, 408, 480, 486, 487, 503, 603]);
    expect(share(cdrs, (r) => r.sip_code === 486)).toBeGreaterThan(0.07);
    for (const r of cdrs.filter((x) => x.sip_code === 486)) expect(r.release_reason).toBe('User busy');
  });

  it('gives failed calls no talk time and answered calls realistic durations', () => {
    for (const r of cdrs) {
      if (r.sip_code !== 200) {
        expect(r.duration).toBe(0);
        expect(r.carrier_cost === null || r.carrier_cost === '0.000000').toBe(true);
        expect(r.dtmf).toBe('');
      } else expect(r.duration).toBeGreaterThan(0);
      if ([486, 404, 403, 503, 408].includes(r.sip_code)) expect(r.ring_duration).toBe(0);
    }
    const talk = answered.map((r) => r.duration);
    expect(median(talk)).toBeGreaterThan(60);
    expect(median(talk)).toBeLessThan(130);
    expect(share(answered, (r) => r.duration > 1200)).toBeGreaterThan(0.01);
    expect(Math.max(...talk)).toBeLessThanOrEqual(7200);
    const pdd = (code: number) => median(cdrs.filter((r) => r.sip_code === code).map((r) => r.pdd_ms));
    expect(pdd(200)).toBeGreaterThan(1500);
    expect(pdd(200)).toBeLessThan(4000);
    expect(pdd(408)).toBeGreaterThan(pdd(200) * 2);
    expect(median(answered.map((r) => r.ring_duration))).toBeGreaterThan(3);
    const dtmf = share(answered, (r) => r.dtmf !== '');
    expect(dtmf).toBeGreaterThan(0.05);
    expect(dtmf).toBeLessThan(0.11);
    for (const r of answered.filter((x) => x.dtmf)) expect(r.dtmf).toMatch(/^[0-9][0-9*#]{0,3}$/);
  });

  it('skews customers and destinations (zipf) and follows the daily curve', () => {
    const byCustomer = customers.map((c) => share(cdrs, (r) => r.company_id === c.id));
    expect(byCustomer[0]).toBe(Math.max(...byCustomer));
    expect(byCustomer[0]).toBeGreaterThan(0.4);
    expect(byCustomer[0]! > byCustomer[1]! && byCustomer[1]! > byCustomer[3]!).toBe(true);
    const usa = share(cdrs, (r) => r.carrier_dest_code === '1' || r.carrier_dest_code === '1212');
    const nigeria = share(cdrs, (r) => r.carrier_dest_code === '234');
    expect(usa).toBeGreaterThan(nigeria * 3);
    const hourShare = (lo: number, hi: number) =>
      share(cdrs, (r) => {
        const h = new Date(r.start_time).getUTCHours();
        return h >= lo && h < hi;
      });
    expect(hourShare(12, 16)).toBeGreaterThan(hourShare(0, 4) * 2.5);
    expect(trafficIntensity(Date.parse('2026-03-04T14:00:00Z'))).toBeGreaterThan(
      trafficIntensity(Date.parse('2026-03-07T14:00:00Z')),
    );
  });

  it('dials realistic numbers under the listed prefixes and rates carriers below the customer', () => {
    const byLength = [...destinations].sort((a, b) => b.prefix.length - a.prefix.length);
    const bad = cdrs.filter((r) => {
      // The destination is the longest listed prefix of the number.
      const longest = byLength.find((d) => r.dest_number.startsWith(d.prefix))!;
      const carrier = carriers.find((c) => c.id === r.carrier_id)!;
      const rate = new Decimal(longest.rate).times(carrier.rateFactor ?? 0.8).toDecimalPlaces(6);
      const cost = rate.times(r.duration).div(60).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
      return (
        !/^\d{10,13}$/.test(r.dest_number) ||
        r.carrier_dest_code !== longest.prefix ||
        r.carrier_dest_name !== longest.name ||
        r.carrier_currency !== carrier.currency ||
        r.carrier_cost !== cost.toFixed(6)
      );
    });
    expect(bad).toEqual([]);
    for (const r of cdrs.filter((x) => x.company_id === customers[2]!.id)) expect(r.tech_prefix).toBe('101');
  });

  it('fails over from a carrier answering 503 to the next one', () => {
    const failovers = calls.filter((c) => c.attempts.length > 1);
    expect(failovers.length / N).toBeGreaterThan(0.04);
    expect(failovers.length / N).toBeLessThan(0.2);
    for (const c of failovers) {
      expect(c.attempts[0]!.code).toBe(503);
      expect(c.attempts[1]!.carrier).not.toBe(c.attempts[0]!.carrier);
      expect(c.cdr.carrier_id).toBe(carriers[c.attempts.at(-1)!.carrier]!.id);
      expect(c.attempts.at(-1)!.code).toBe(c.cdr.sip_code);
    }
    // One carrier: no failover possible.
    const single = [...simulateCalls({ seed: 1, count: 2000, from, to, ...spec, carriers: [carriers[0]!] })];
    expect(single.every((c) => c.attempts.length === 1)).toBe(true);
  });

  it('authenticates by IP or SIP user, with per-customer IPs and caller ids, and STIR/SHAKEN meta', () => {
    const acme = cdrs.filter((r) => r.company_id === customers[0]!.id);
    expect(share(acme, (r) => r.auth_type === 'sip')).toBeGreaterThan(0.3);
    for (const r of acme.filter((x) => x.auth_type === 'sip'))
      expect(['acme-1001', 'acme-1002']).toContain(r.auth_ref);
    const globex = cdrs.filter((r) => r.company_id === customers[1]!.id);
    expect(globex.every((r) => r.auth_type === 'ip' && r.auth_ref === r.source_ip)).toBe(true);
    expect(new Set(globex.map((r) => r.source_ip)).size).toBeLessThanOrEqual(2);
    expect(new Set(globex.map((r) => r.cli)).size).toBeLessThanOrEqual(8);
    expect(new Set(cdrs.map((r) => r.meta.stir_shaken_attest))).toEqual(new Set(['A', 'B', 'C']));
  });

  it('streams: a ten-million-call run yields its first rows at once', () => {
    const started = performance.now();
    const it = generateCalls({ seed: 1, count: 10_000_000, from, to, ...spec })[Symbol.iterator]();
    const first: CdrRow[] = [];
    for (let i = 0; i < 100; i++) first.push(it.next().value as CdrRow);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(first[99]!.start_time >= first[0]!.start_time).toBe(true);
  });

  it('formats times exactly like toISOString', () => {
    const rng = createRng('iso');
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(rng() * 4_102_444_800_000);
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('draws weighted picks in proportion', () => {
    const p = WeightedPicker.zipf(4);
    const rng = createRng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[p.pick(rng)]!++;
    counts.forEach((n, i) => {
      expect(Math.abs(n / 40_000 - p.share(i))).toBeLessThan(0.01);
    });
  });
});

describe('live views', () => {
  const now = new Date('2026-03-04T14:30:00Z');

  it('registers every SIP user with a future expiry, deterministically', () => {
    const regs = generateRegistrations({ now, customers });
    expect(regs.map((r) => r.username)).toEqual(['acme-1001', 'acme-1002', 'umb-sbc']);
    for (const r of regs) {
      expect(Date.parse(r.expires_at)).toBeGreaterThan(now.getTime());
      expect(Date.parse(r.expires_at) - now.getTime()).toBeLessThanOrEqual(3600_000);
      expect(r.contact).toMatch(
        new RegExp(`^sip:${r.username}@${r.ip.replaceAll('.', '\\.')}:\\d+;transport=`),
      );
    }
    expect(generateRegistrations({ now, customers })).toEqual(regs);
  });

  it('lists calls in progress at a moment', () => {
    const active = generateActiveCalls({ seed: 3, now, count: 25, ...spec });
    expect(active).toHaveLength(25);
    expect(new Set(active.map((a) => a.call_id)).size).toBe(25);
    for (const a of active) {
      expect(Date.parse(a.started_at)).toBeLessThanOrEqual(now.getTime());
      if (a.answered_at) {
        expect(a.answered_at >= a.started_at).toBe(true);
        expect(Date.parse(a.answered_at)).toBeLessThanOrEqual(now.getTime());
      }
      expect(customers.map((c) => c.id)).toContain(a.company_id);
      expect(a.dest_name).not.toBe('');
    }
    expect(active.some((a) => a.answered_at)).toBe(true);
    expect(generateActiveCalls({ seed: 3, now, count: 25, ...spec })).toEqual(active);
  });
});

describe('call logs', () => {
  it('builds a SIP ladder with every carrier attempt and RTCP for answered calls', () => {
    const f = new CallFactory(spec);
    const rng = createRng('logs');
    const failover = calls.find((c) => c.attempts.length > 1 && c.cdr.sip_code === 200)!;
    const log = f.callLog(failover, rng);
    expect(log.call_id).toBe(failover.cdr.call_id);
    expect(log.attempts.map((a) => a.sip_code)).toEqual([503, 200]);
    expect(log.attempts[0]!.carrier_id).not.toBe(log.attempts[1]!.carrier_id);
    const ladder = log.sip_messages.map((m) => m.method_or_status);
    expect(ladder[0]).toBe('INVITE');
    expect(ladder).toContain('503 Service Unavailable');
    expect(ladder).toContain('200 OK');
    expect(ladder).toContain('BYE');
    expect(log.sip_messages[0]!.raw).toContain(`Call-ID: ${failover.cdr.call_id}`);
    for (const m of log.sip_messages) {
      expect(m.src).toMatch(/^[\d.]+:\d+$/);
      expect(m.dst).toMatch(/^[\d.]+:\d+$/);
    }
    const times = log.sip_messages.map((m) => m.at);
    expect(times[0]).toBe(failover.cdr.start_time);
    expect(log.rtcp!.mos).toBeGreaterThan(1);
    expect(log.rtcp!.mos).toBeLessThanOrEqual(4.5);

    const cancelled = calls.find((c) => c.cdr.sip_code === 487 && c.attempts.length === 1)!;
    const cl = f.callLog(cancelled, rng);
    expect(cl.rtcp).toBeNull();
    expect(cl.sip_messages.map((m) => m.method_or_status)).toContain('CANCEL');
  });
});
