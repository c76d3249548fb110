/**
 * Deterministic traffic generator: realistic call attempts for an operator's customers, streamed in
 * start-time order with constant memory (the benchmark draws ten million rows from it).
 *
 * Customers and destinations are zipf-skewed (s = 1) by their order, unless a customer has a weight;
 * about 40 % of attempts fail with realistic SIP codes; PDD, ring and talk times follow lognormal
 * mixtures; traffic follows a daily curve peaking at 14:00 UTC, lighter at weekends; some calls fail
 * over from a first carrier answering 503 to the next one. Rows carry no rating keys: the ingestion
 * rates them from the customer's route.
 */
import { createRng, hash32, intBetween, pick, type Rng, WeightedPicker } from './prng.ts';
import {
  buildCallLog,
  type CallLogRow,
  type CallTimeline,
  drawPdd,
  drawRing,
  drawTalk,
  MAX_TALK,
  OUTCOMES,
  RELEASE_CALLEE,
  RELEASE_CALLER,
  RELEASE_MAX_DURATION,
  RELEASE_MEDIA_TIMEOUT,
} from './sip.ts';

export interface SimCustomer {
  id: string;
  /** Relative traffic share; default 1/rank (zipf, s = 1). */
  weight?: number;
  /** Tech prefix(es) the customer dials with (one of its routes); default ''. */
  techPrefix?: string;
  techPrefixes?: string[];
  /** Country code of its caller ids; default derived from the id. */
  cliPrefix?: string;
  clis?: string[];
  /** Source IPs of its equipment; default two documentation-range addresses derived from the id. */
  ips?: string[];
  /** SIP users that register and authenticate calls; none = IP authentication only. */
  sipUsers?: string[];
}

export interface SimDestination {
  prefix: string;
  name: string;
  /** Reference customer rate per minute (decimal string), for carrier costs when a carrier has no rates. */
  rate?: string;
  /** Total digits of a dialled number (E.164 without +); default by country code. */
  length?: number;
}

export interface SimCarrier {
  id: string;
  /** Relative share as first choice; default 1/rank. */
  weight?: number;
  currency?: string;
  rateCardId?: string | null;
  /** The carrier's per-minute rate by prefix; else the destination's rate × rateFactor. */
  rates?: ReadonlyMap<string, string>;
  /** Default 0.8: carriers cost slightly less than the customer pays. */
  rateFactor?: number;
}

export interface TrafficSpec {
  customers: SimCustomer[];
  destinations: SimDestination[];
  carriers: SimCarrier[];
  /** The switch's signalling address (call logs). */
  switchIp?: string;
  rtpServers?: string[];
}

export interface GenerateOptions extends TrafficSpec {
  seed: number | string;
  from: Date;
  to: Date;
  count: number;
  /** Start of every call id (default "sim"). */
  idPrefix?: string;
}

/** One CDR as ingestion takes it (SPEC section 9 field ids, rating keys absent). */
export interface CdrRow {
  call_id: string;
  start_time: string;
  company_id: string;
  cli: string;
  tech_prefix: string;
  dest_number: string;
  direction: 'outbound' | 'inbound';
  auth_type: 'ip' | 'sip';
  auth_ref: string;
  source_ip: string;
  duration: number;
  ring_duration: number;
  pdd_ms: number;
  sip_code: number;
  sip_reason: string;
  release_reason: string;
  dtmf: string;
  carrier_id: string | null;
  carrier_rate_card_id: string | null;
  carrier_dest_code: string | null;
  carrier_dest_name: string | null;
  carrier_cost: string | null;
  carrier_currency: string | null;
  rtp_server: string | null;
  recording: string | null;
  meta: Record<string, string>;
}

interface Attempt {
  carrier: number;
  code: number;
  reason: string;
  startMs: number;
  pddMs: number | null;
  finalMs: number;
  rang: boolean;
}

/** A generated call: its CDR plus what the live views and call logs need. */
export interface SimCall {
  cdr: CdrRow;
  startMs: number;
  /** When the far end answered; null for failed attempts. */
  answerMs: number | null;
  endMs: number;
  destName: string;
  /** Index of the customer in the spec. */
  customer: number;
  attempts: Attempt[];
  hangupBy: 'caller' | 'callee';
  cancelled: boolean;
}

export interface RegistrationRow {
  company_id: string;
  username: string;
  contact: string;
  ip: string;
  protocol: 'udp' | 'tcp' | 'tls';
  nat: boolean;
  user_agent: string;
  expires_at: string;
}

export interface ActiveCallRow {
  call_id: string;
  company_id: string;
  carrier_id: string | null;
  cli: string;
  dest_number: string;
  dest_name: string;
  started_at: string;
  answered_at: string | null;
}

// ---- numbering ---------------------------------------------------------------------------------

/** Total digits of numbers by country code (E.164 without +). */
const NUMBER_LENGTH: Readonly<Record<string, number>> = {
  '1': 11,
  '7': 11,
  '20': 12,
  '27': 11,
  '30': 12,
  '31': 11,
  '32': 11,
  '33': 11,
  '34': 11,
  '39': 12,
  '41': 11,
  '44': 12,
  '46': 11,
  '48': 11,
  '49': 12,
  '51': 11,
  '52': 12,
  '54': 12,
  '55': 13,
  '56': 11,
  '57': 12,
  '61': 11,
  '62': 12,
  '63': 12,
  '64': 11,
  '65': 10,
  '81': 12,
  '82': 12,
  '86': 13,
  '90': 12,
  '91': 12,
  '92': 12,
  '234': 13,
  '254': 12,
  '351': 12,
  '353': 12,
  '852': 11,
  '880': 13,
  '966': 12,
  '971': 12,
  '972': 12,
};

/** The country code a prefix starts with (3, 2 or 1 digits), when known. */
function countryCode(prefix: string): string | null {
  for (const n of [3, 2, 1]) {
    const cc = prefix.slice(0, n);
    if (cc.length === n && NUMBER_LENGTH[cc] !== undefined) return cc;
  }
  return null;
}

function numberLength(prefix: string, explicit?: number): number {
  const cc = countryCode(prefix);
  const len = explicit ?? (cc ? NUMBER_LENGTH[cc]! : 12);
  return Math.max(len, prefix.length + 4);
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** n random digits. */
function digits(rng: Rng, n: number): string {
  let out = '';
  while (n > 0) {
    const k = Math.min(n, 9);
    out += String(Math.floor(rng() * POW10[k]!)).padStart(k, '0');
    n -= k;
  }
  return out;
}

/** prefix + random digits to the total length; the first national digit is 2-9 after a bare country code. */
function makeNumber(rng: Rng, prefix: string, length: number, bareCountry: boolean): string {
  const rest = length - prefix.length;
  if (bareCountry) return prefix + String(2 + Math.floor(rng() * 8)) + digits(rng, rest - 1);
  return prefix + digits(rng, rest);
}

// ---- time --------------------------------------------------------------------------------------

const DAY = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let isoDay = Number.NaN;
let isoPrefix = '';

/** Date.prototype.toISOString for the years 1970-9999, several times faster (the hot path of the generator). */
export function isoTime(ms: number): string {
  const day = Math.floor(ms / DAY);
  if (day !== isoDay) {
    isoDay = day;
    isoPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  let r = ms - day * DAY;
  const milli = r % 1000;
  r = (r - milli) / 1000;
  const sec = r % 60;
  r = (r - sec) / 60;
  const min = r % 60;
  const hour = (r - min) / 60;
  return `${isoPrefix}${PAD2[hour]}:${PAD2[min]}:${PAD2[sec]}.${PAD3[milli]}Z`;
}

// ---- money -------------------------------------------------------------------------------------

/** A decimal string to integer millionths (rates have at most 6 decimals). */
export function toMicros(value: string): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`not a decimal: ${value}`);
  const frac = (m[2] ?? '').padEnd(7, '0');
  return Number(m[1]) * 1e6 + Number(frac.slice(0, 6)) + (Number(frac[6]) >= 5 ? 1 : 0);
}

/** Integer millionths to a 6-decimal string. */
export function fromMicros(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

// ---- per-customer identity ---------------------------------------------------------------------

const DOC_NETS = ['192.0.2', '198.51.100', '203.0.113'];
const CLI_COUNTRIES = ['1', '44', '49', '33', '34', '31'];

interface CustomerPlan {
  id: string;
  techPrefixes: string[];
  clis: string[];
  ips: string[];
  sipUsers: string[];
}

/** A stable address in a documentation range for a key. */
export function docIp(key: string): string {
  const h = hash32(key);
  return `${DOC_NETS[h % 3]}.${1 + ((h >>> 8) % 254)}`;
}

function planCustomer(c: SimCustomer): CustomerPlan {
  const rng = createRng(`customer:${c.id}`);
  const cc = c.cliPrefix ?? CLI_COUNTRIES[hash32(c.id) % CLI_COUNTRIES.length]!;
  const len = numberLength(cc);
  return {
    id: c.id,
    techPrefixes: c.techPrefixes?.length ? c.techPrefixes : [c.techPrefix ?? ''],
    clis: c.clis?.length
      ? c.clis
      : Array.from({ length: 3 + (hash32(c.id) % 5) }, () => makeNumber(rng, cc, len, true)),
    ips: c.ips?.length ? c.ips : [docIp(`${c.id}:1`), docIp(`${c.id}:2`)],
    sipUsers: c.sipUsers ?? [],
  };
}

// ---- daily curve -------------------------------------------------------------------------------

const HOUR = 3_600_000;

/** Relative traffic intensity at a time: a sinusoid peaking at 14:00 UTC, lighter at weekends. */
export function trafficIntensity(ms: number): number {
  const hour = (ms / HOUR) % 24;
  const day = new Date(ms).getUTCDay();
  const weekend = day === 0 || day === 6 ? 0.6 : 1;
  return weekend * (1 + 0.7 * Math.cos((2 * Math.PI * (hour - 14)) / 24));
}

/**
 * Start times of n calls over [from, to), ascending, following trafficIntensity: sequential uniform
 * order statistics mapped through the piecewise-linear cumulative intensity (constant memory in n).
 */
function* startTimes(rng: Rng, fromMs: number, toMs: number, n: number): Generator<number> {
  const span = toMs - fromMs;
  const width = Math.max(60_000, Math.ceil(span / 200_000));
  const buckets = Math.ceil(span / width);
  const cum = new Float64Array(buckets);
  let total = 0;
  for (let k = 0; k < buckets; k++) {
    const lo = fromMs + k * width;
    const w = Math.min(width, toMs - lo);
    total += trafficIntensity(lo + w / 2) * w;
    cum[k] = total;
  }
  let u = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    u = 1 - (1 - u) * Math.exp(Math.log(1 - rng()) / (n - i));
    const x = u * total;
    while (k < buckets - 1 && cum[k]! <= x) k++;
    const before = k > 0 ? cum[k - 1]! : 0;
    const lo = fromMs + k * width;
    const w = Math.min(width, toMs - lo);
    const t = lo + ((x - before) / (cum[k]! - before || 1)) * w;
    yield Math.min(toMs - 1, Math.floor(t));
  }
}

// ---- the call factory --------------------------------------------------------------------------

const FAILOVER_SHARE = 0.08;
const DTMF_SHARE = 0.08;
const RECORDING_SHARE = 0.05;
const DTMF_KEYS = '0123456789*#';
const DEFAULT_RTP = ['rtp-fra1.switch.example', 'rtp-lon1.switch.example', 'rtp-nyc1.switch.example'];
const STIR = ['A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'C', 'C'] as const;

/** Everything derived once from a spec; builds one call at a time. */
export class CallFactory {
  readonly customers: CustomerPlan[];
  private readonly customerPicker: WeightedPicker;
  private readonly destPicker: WeightedPicker;
  private readonly carrierPicker: WeightedPicker | null;
  private readonly outcomePicker = new WeightedPicker(OUTCOMES.map((o) => o.weight));
  private readonly dests: { prefix: string; name: string; length: number; bare: boolean; longer: number[] }[];
  /** Carrier rate in millionths per minute, [carrier][destination]; -1 = unknown. */
  private readonly carrierRates: number[][];
  private readonly carrierIps: string[];
  readonly switchIp: string;
  private readonly rtp: string[];

  constructor(readonly spec: TrafficSpec) {
    if (spec.customers.length === 0) throw new Error('the traffic needs at least one customer');
    if (spec.destinations.length === 0) throw new Error('the traffic needs at least one destination');
    this.customers = spec.customers.map(planCustomer);
    this.customerPicker = new WeightedPicker(spec.customers.map((c, i) => c.weight ?? 1 / (i + 1)));
    this.destPicker = WeightedPicker.zipf(spec.destinations.length, 1);
    this.carrierPicker = spec.carriers.length
      ? new WeightedPicker(spec.carriers.map((c, i) => c.weight ?? 1 / (i + 1)))
      : null;
    const prefixes = spec.destinations.map((d) => d.prefix);
    this.dests = spec.destinations.map((d) => {
      const cc = countryCode(d.prefix);
      const longer = prefixes
        .map((p, i) => [p, i] as const)
        .filter(([p]) => p.length > d.prefix.length && p.startsWith(d.prefix))
        .sort((a, b) => b[0].length - a[0].length)
        .map(([, i]) => i);
      return {
        prefix: d.prefix,
        name: d.name,
        length: numberLength(d.prefix, d.length),
        bare: cc === d.prefix,
        longer,
      };
    });
    this.carrierRates = spec.carriers.map((c) =>
      spec.destinations.map((d) => {
        const own = c.rates?.get(d.prefix);
        if (own !== undefined) return toMicros(own);
        if (d.rate === undefined) return -1;
        return Math.round(toMicros(d.rate) * (c.rateFactor ?? 0.8));
      }),
    );
    this.carrierIps = spec.carriers.map((c) => docIp(`carrier:${c.id}`));
    this.switchIp = spec.switchIp ?? '198.51.100.10';
    this.rtp = spec.rtpServers?.length ? spec.rtpServers : DEFAULT_RTP;
  }

  /** The destination a number is rated on: the longest listed prefix it starts with. */
  private match(di: number, number: string): number {
    for (const j of this.dests[di]!.longer) if (number.startsWith(this.dests[j]!.prefix)) return j;
    return di;
  }

  /** One call starting at startMs that ends no later than limitMs. */
  build(rng: Rng, callId: string, startMs: number, limitMs = Number.POSITIVE_INFINITY): SimCall {
    const ci = this.customerPicker.pick(rng);
    const cust = this.customers[ci]!;
    const di = this.destPicker.pick(rng);
    const dest = this.dests[di]!;
    const number = makeNumber(rng, dest.prefix, dest.length, dest.bare);
    const mi = this.match(di, number);
    const matched = this.dests[mi]!;
    let outcome = OUTCOMES[this.outcomePicker.pick(rng)]!;

    // Carrier attempts: failover from a first carrier answering 503 to the next one.
    const attempts: Attempt[] = [];
    const nCarriers = this.spec.carriers.length;
    let carrier = this.carrierPicker ? this.carrierPicker.pick(rng) : -1;
    let t = startMs;
    const failover = nCarriers >= 2 && (outcome.code === 503 || rng() < FAILOVER_SHARE);
    if (failover) {
      const tries = outcome.code === 503 ? Math.min(nCarriers, 3) - 1 : 1;
      for (let k = 0; k < tries; k++) {
        const pdd = drawPdd(rng, 503);
        if (t + pdd + 20 >= limitMs) break;
        attempts.push({
          carrier,
          code: 503,
          reason: 'Service Unavailable',
          startMs: t,
          pddMs: pdd,
          finalMs: t + pdd,
          rang: false,
        });
        t += pdd + 20;
        carrier = (carrier + 1) % nCarriers;
      }
    }

    let pdd = drawPdd(rng, outcome.code);
    let ring = outcome.rang ? drawRing(rng, outcome.code) : 0;
    let talk = outcome.code === 200 ? drawTalk(rng) : 0;
    // No call crosses the end of the window: shorten it, or turn it into a cancelled attempt.
    if (t + pdd + (ring + talk) * 1000 > limitMs) {
      const room = limitMs - t - pdd - ring * 1000;
      if (outcome.code === 200 && room >= 1000) {
        talk = Math.floor(room / 1000);
      } else {
        if (outcome.code === 200 || outcome.rang) outcome = OUTCOMES.find((o) => o.code === 487)!;
        talk = 0;
        pdd = Math.max(0, Math.min(pdd, limitMs - t));
        ring = outcome.rang ? Math.max(0, Math.floor((limitMs - t - pdd) / 1000)) : 0;
      }
    }
    const finalMs = t + pdd + ring * 1000;
    const answerMs = outcome.code === 200 ? finalMs : null;
    const endMs = finalMs + talk * 1000;
    attempts.push({
      carrier,
      code: outcome.code,
      reason: outcome.reason,
      startMs: t,
      pddMs: pdd,
      finalMs,
      rang: outcome.rang,
    });

    const answered = outcome.code === 200;
    let release = outcome.release;
    let hangupBy: 'caller' | 'callee' = 'caller';
    if (answered) {
      const r = rng();
      hangupBy = r < 0.55 ? 'caller' : 'callee';
      release =
        talk >= MAX_TALK
          ? RELEASE_MAX_DURATION
          : r > 0.99
            ? RELEASE_MEDIA_TIMEOUT
            : hangupBy === 'caller'
              ? RELEASE_CALLER
              : RELEASE_CALLEE;
    }
    const sip = cust.sipUsers.length > 0 && rng() < 0.5;
    const sourceIp = pick(rng, cust.ips);
    let dtmf = '';
    if (answered && rng() < DTMF_SHARE) {
      const n = intBetween(rng, 1, 4);
      for (let k = 0; k < n; k++) dtmf += DTMF_KEYS[Math.floor(rng() * (k === 0 ? 10 : 12))];
    }
    const c = carrier >= 0 ? this.spec.carriers[carrier]! : null;
    const rate = carrier >= 0 ? this.carrierRates[carrier]![mi]! : -1;
    const startIso = isoTime(startMs);
    const cdr: CdrRow = {
      call_id: callId,
      start_time: startIso,
      company_id: cust.id,
      cli: pick(rng, cust.clis),
      tech_prefix: cust.techPrefixes.length === 1 ? cust.techPrefixes[0]! : pick(rng, cust.techPrefixes),
      dest_number: number,
      direction: 'outbound',
      auth_type: sip ? 'sip' : 'ip',
      auth_ref: sip ? pick(rng, cust.sipUsers) : sourceIp,
      source_ip: sourceIp,
      duration: talk,
      ring_duration: ring,
      pdd_ms: t - startMs + pdd,
      sip_code: outcome.code,
      sip_reason: outcome.reason,
      release_reason: release,
      dtmf,
      carrier_id: c?.id ?? null,
      carrier_rate_card_id: c?.rateCardId ?? null,
      carrier_dest_code: c ? matched.prefix : null,
      carrier_dest_name: c ? matched.name : null,
      carrier_cost: rate < 0 ? null : answered ? fromMicros(Math.round((rate * talk) / 60)) : '0.000000',
      carrier_currency: c ? (c.currency ?? 'USD') : null,
      rtp_server: answered || outcome.rang ? pick(rng, this.rtp) : null,
      recording:
        answered && rng() < RECORDING_SHARE
          ? `recordings/${startIso.slice(0, 10).replaceAll('-', '/')}/${callId}.wav`
          : null,
      meta: { stir_shaken_attest: STIR[Math.floor(rng() * STIR.length)]! },
    };
    return {
      cdr,
      startMs,
      answerMs,
      endMs,
      destName: matched.name,
      customer: ci,
      attempts,
      hangupBy,
      cancelled: outcome.code === 487,
    };
  }

  /** The call log of a generated call (attempts, SIP ladder, RTCP). */
  callLog(call: SimCall, rng: Rng): CallLogRow {
    const timeline: CallTimeline = {
      callId: call.cdr.call_id,
      companyId: call.cdr.company_id,
      cli: call.cdr.cli,
      destNumber: call.cdr.dest_number,
      customerIp: call.cdr.source_ip,
      switchIp: this.switchIp,
      attempts: call.attempts.map((a) => ({
        carrier_id: a.carrier >= 0 ? this.spec.carriers[a.carrier]!.id : null,
        sip_code: a.code,
        sip_reason: a.reason,
        started_at: new Date(a.startMs).toISOString(),
        pdd_ms: a.pddMs,
        startMs: a.startMs,
        carrierIp: a.carrier >= 0 ? this.carrierIps[a.carrier]! : '203.0.113.250',
        rang: a.rang,
        finalMs: a.finalMs,
      })),
      answerMs: call.answerMs,
      endMs: call.endMs,
      hangupBy: call.hangupBy,
      cancelled: call.cancelled,
    };
    return buildCallLog(timeline, rng);
  }

  /** The live view of a call at a moment during it. */
  activeCall(call: SimCall, nowMs: number): ActiveCallRow {
    const a = call.attempts.findLast((x) => x.startMs <= nowMs) ?? call.attempts[0]!;
    return {
      call_id: call.cdr.call_id,
      company_id: call.cdr.company_id,
      carrier_id: a.carrier >= 0 ? this.spec.carriers[a.carrier]!.id : null,
      cli: call.cdr.cli,
      dest_number: call.cdr.dest_number,
      dest_name: call.destName,
      started_at: new Date(call.startMs).toISOString(),
      answered_at:
        call.answerMs !== null && call.answerMs <= nowMs ? new Date(call.answerMs).toISOString() : null,
    };
  }
}

/** A short stable tag for call ids, from everything that determines a run. */
function runTag(opts: GenerateOptions): string {
  return hash32(`${opts.seed}|${opts.from.getTime()}|${opts.to.getTime()}|${opts.count}`)
    .toString(16)
    .padStart(8, '0');
}

/** Generated calls with everything known about them, in start-time order. */
export function* simulateCalls(opts: GenerateOptions): Generator<SimCall> {
  const fromMs = opts.from.getTime();
  const toMs = opts.to.getTime();
  if (!(toMs > fromMs)) throw new Error('generateCalls: `to` must be after `from`');
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error('generateCalls: bad count');
  const factory = new CallFactory(opts);
  const rng = createRng(opts.seed);
  const idBase = `${opts.idPrefix ?? 'sim'}-${runTag(opts)}-`;
  let i = 0;
  for (const startMs of startTimes(rng, fromMs, toMs, opts.count)) {
    yield factory.build(rng, idBase + (i++).toString(36).padStart(6, '0'), startMs, toMs);
  }
}

/**
 * CDR rows of `count` calls over [from, to): deterministic for a seed, in start-time order, no call
 * ending after `to`. Streams: memory does not grow with count.
 */
export function* generateCalls(opts: GenerateOptions): Generator<CdrRow> {
  for (const call of simulateCalls(opts)) yield call.cdr;
}

const USER_AGENTS = [
  'Yealink SIP-T46U 108.86.0.90',
  'Grandstream GXP2170 1.0.11.79',
  'Zoiper rv2.10.20.3',
  'MicroSIP/3.21.4',
  'Asterisk PBX 20.5.2',
  'FreeSWITCH-mod_sofia/1.10.11-release',
  'Cisco-SIPGateway/IOS-15.9.3',
  'Linphone-Desktop/5.2.4',
  'Polycom/7.1.2 PolycomVVX-VVX_450-UA/7.1.2',
] as const;

/** Live SIP registrations of the customers' SIP users at `now` (each refreshing on its own cycle). */
export function generateRegistrations(opts: { now: Date; customers: SimCustomer[] }): RegistrationRow[] {
  const now = opts.now.getTime();
  const out: RegistrationRow[] = [];
  for (const c of opts.customers) {
    const plan = planCustomer(c);
    plan.sipUsers.forEach((user, k) => {
      const rng = createRng(`registration:${c.id}:${user}`);
      const period = [300, 600, 1800, 3600][Math.floor(rng() * 4)]! * 1000;
      const phase = Math.floor(rng() * period);
      const refreshed = now - ((((now - phase) % period) + period) % period);
      const nat = rng() < 0.35;
      const protocol = (['udp', 'udp', 'udp', 'tcp', 'tls'] as const)[Math.floor(rng() * 5)]!;
      const ip = plan.ips[k % plan.ips.length]!;
      const port = nat ? 1024 + Math.floor(rng() * 64000) : protocol === 'tls' ? 5061 : 5060;
      out.push({
        company_id: c.id,
        username: user,
        contact: `sip:${user}@${ip}:${port};transport=${protocol}`,
        ip,
        protocol,
        nat,
        user_agent: pick(rng, USER_AGENTS),
        expires_at: new Date(refreshed + period).toISOString(),
      });
    });
  }
  return out;
}

/**
 * `count` calls in progress at `now` (answered or still ringing), as the live view shows them;
 * deterministic for a seed and a moment.
 */
export function generateActiveCalls(
  opts: TrafficSpec & { seed: number | string; now: Date; count: number; idPrefix?: string },
): ActiveCallRow[] {
  const factory = new CallFactory(opts);
  const rng = createRng(`${opts.seed}|active|${opts.now.getTime()}`);
  const now = opts.now.getTime();
  const out: ActiveCallRow[] = [];
  const base = `${opts.idPrefix ?? 'live'}-${hash32(`${opts.seed}|${now}`).toString(16).padStart(8, '0')}-`;
  for (let i = 0; out.length < opts.count && i < opts.count * 20; i++) {
    const call = factory.build(rng, base + out.length.toString(36), 0);
    if (call.answerMs === null && !call.attempts.at(-1)!.rang) continue;
    const age = Math.floor(rng() * call.endMs);
    const shift = now - age;
    const moved: SimCall = {
      ...call,
      startMs: call.startMs + shift,
      answerMs: call.answerMs === null ? null : call.answerMs + shift,
      endMs: call.endMs + shift,
      attempts: call.attempts.map((a) => ({ ...a, startMs: a.startMs + shift, finalMs: a.finalMs + shift })),
    };
    out.push(factory.activeCall(moved, now));
  }
  return out;
}
