/**
 * The SIP side of simulated calls: call outcomes with their codes, reasons and release reasons, and
 * the call log (carrier attempts, SIP ladder with raw messages, RTCP quality) of one simulated call.
 */
import { clamp, exponential, lognormal, normal, type Rng } from './prng.ts';

export interface Outcome {
  code: number;
  reason: string;
  /** Share of all call attempts. */
  weight: number;
  /** Release reason as the switch records it. */
  release: string;
  /** Whether the far end rang (180/183) before the final answer. */
  rang: boolean;
}

/** Final outcomes of call attempts: about 60 % answered, 40 % failed with realistic codes. */
export const OUTCOMES: readonly Outcome[] = [
  { code: 200, reason: 'OK', weight: 0.6, release: 'Normal call clearing', rang: true },
  { code: 486, reason: 'Busy Here', weight: 0.1, release: 'User busy', rang: false },
  { code: 480, reason: 'Temporarily Unavailable', weight: 0.08, release: 'No answer from user', rang: true },
  { code: 487, reason: 'Request Terminated', weight: 0.08, release: 'Caller cancelled (CANCEL)', rang: true },
  { code: 404, reason: 'Not Found', weight: 0.04, release: 'Unallocated number', rang: false },
  {
    code: 503,
    reason: 'Service Unavailable',
    weight: 0.04,
    release: 'No circuit available (all carriers failed)',
    rang: false,
  },
  {
    code: 408,
    reason: 'Request Timeout',
    weight: 0.03,
    release: 'Carrier timeout (no response)',
    rang: false,
  },
  { code: 603, reason: 'Decline', weight: 0.02, release: 'Call rejected by callee', rang: true },
  { code: 403, reason: 'Forbidden', weight: 0.01, release: 'Rejected by carrier (forbidden)', rang: false },
];

export const SIP_REASONS: Readonly<Record<number, string>> = Object.fromEntries(
  OUTCOMES.map((o) => [o.code, o.reason]),
);

/** Release reasons of answered calls, by who ended them. */
export const RELEASE_CALLER = 'Caller hung up (BYE)';
export const RELEASE_CALLEE = 'Callee hung up (BYE)';
export const RELEASE_MEDIA_TIMEOUT = 'Media timeout (no RTP)';
export const RELEASE_MAX_DURATION = 'Max duration reached';

/** Post-dial delay in ms for a final outcome (INVITE to ringing, or to the final answer when none). */
export function drawPdd(rng: Rng, code: number): number {
  switch (code) {
    case 408:
      return Math.round(clamp(lognormal(rng, 9000, 0.35), 4000, 32000));
    case 404:
    case 403:
      return Math.round(clamp(lognormal(rng, 700, 0.6), 80, 8000));
    case 503:
      return Math.round(clamp(lognormal(rng, 450, 0.6), 50, 6000));
    case 486:
      return Math.round(clamp(lognormal(rng, 1800, 0.5), 200, 12000));
    default:
      return Math.round(clamp(lognormal(rng, 2500, 0.45), 300, 15000));
  }
}

/** Ring duration in whole seconds. */
export function drawRing(rng: Rng, code: number): number {
  switch (code) {
    case 200:
      return Math.round(clamp(lognormal(rng, 7, 0.55), 0, 60));
    case 480:
      return Math.round(clamp(lognormal(rng, 32, 0.25), 15, 120));
    case 487:
      return Math.round(clamp(1 + exponential(rng, 11), 1, 60));
    case 603:
      return Math.floor(rng() * 7);
    default:
      return 0;
  }
}

/** Longest talk time the switch allows (seconds). */
export const MAX_TALK = 7200;

/** Talk seconds of an answered call: short calls, a lognormal body (median ~90 s overall), a long tail. */
export function drawTalk(rng: Rng): number {
  const u = rng();
  let d: number;
  if (u < 0.18) d = 1 + exponential(rng, 15);
  else if (u < 0.93) d = lognormal(rng, 110, 0.85);
  else d = lognormal(rng, 700, 0.7);
  return Math.max(1, Math.min(MAX_TALK, Math.round(d)));
}

// ---- call logs ---------------------------------------------------------------------------------

export interface CallLogAttempt {
  carrier_id: string | null;
  sip_code: number;
  sip_reason: string;
  started_at: string;
  pdd_ms: number | null;
}

export interface SipMessage {
  at: string;
  from: string;
  to: string;
  method_or_status: string;
  src: string;
  dst: string;
  raw: string;
}

export interface Rtcp {
  mos: number;
  jitter_ms: number;
  packet_loss_pct: number;
  rtt_ms: number;
}

export interface CallLogRow {
  call_id: string;
  company_id: string;
  attempts: CallLogAttempt[];
  sip_messages: SipMessage[];
  rtcp: Rtcp | null;
}

/** What the call log builder needs to know about one simulated call. */
export interface CallTimeline {
  callId: string;
  companyId: string;
  cli: string;
  destNumber: string;
  customerIp: string;
  switchIp: string;
  attempts: (CallLogAttempt & { startMs: number; carrierIp: string; rang: boolean; finalMs: number })[];
  answerMs: number | null;
  endMs: number;
  hangupBy: 'caller' | 'callee';
  cancelled: boolean;
}

const round = (v: number, dp: number) => Math.round(v * 10 ** dp) / 10 ** dp;

/** RTCP quality figures of an answered call (mostly good, a few degraded). */
export function drawRtcp(rng: Rng): Rtcp {
  const degraded = rng() < 0.06;
  const loss = degraded ? clamp(lognormal(rng, 3, 0.6), 0.5, 25) : clamp(exponential(rng, 0.25), 0, 3);
  const jitter = degraded ? clamp(lognormal(rng, 35, 0.5), 5, 250) : clamp(lognormal(rng, 7, 0.5), 0.5, 60);
  const rtt = clamp(lognormal(rng, degraded ? 220 : 90, 0.45), 5, 900);
  const mos = clamp(4.35 - loss * 0.12 - jitter * 0.006 - rtt * 0.0008 + normal(rng) * 0.05, 1, 4.5);
  return {
    mos: round(mos, 2),
    jitter_ms: round(jitter, 1),
    packet_loss_pct: round(loss, 2),
    rtt_ms: Math.round(rtt),
  };
}

/** Builds the call log of one call: the carrier attempts, the SIP ladder (with raw text) and RTCP. */
export function buildCallLog(t: CallTimeline, rng: Rng): CallLogRow {
  const msgs: SipMessage[] = [];
  const caller = `${t.customerIp}:5060`;
  const sw = `${t.switchIp}:5060`;
  const branch = () => `z9hG4bK${Math.floor(rng() * 0xffffffff).toString(16)}`;
  const fromTag = Math.floor(rng() * 0xffffffff).toString(16);
  const toTag = Math.floor(rng() * 0xffffffff).toString(16);
  const add = (ms: number, what: string, src: string, dst: string, cseq: string, extra = '') => {
    const isRequest = /^[A-Z]+$/.test(what);
    const [cseqNum, cseqMethod] = cseq.split(' ');
    const start = isRequest
      ? `${what} sip:${t.destNumber}@${dst.split(':')[0]}:5060 SIP/2.0`
      : `SIP/2.0 ${what}`;
    const raw = [
      start,
      `Via: SIP/2.0/UDP ${src};branch=${branch()}`,
      'Max-Forwards: 70',
      `From: <sip:${t.cli}@${src.split(':')[0]}>;tag=${fromTag}`,
      `To: <sip:${t.destNumber}@${dst.split(':')[0]}>${isRequest && what === 'INVITE' ? '' : `;tag=${toTag}`}`,
      `Call-ID: ${t.callId}`,
      `CSeq: ${cseqNum} ${cseqMethod}`,
      ...(extra ? [extra] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    msgs.push({
      at: new Date(ms).toISOString(),
      from: t.cli,
      to: t.destNumber,
      method_or_status: what,
      src,
      dst,
      raw,
    });
  };

  const first = t.attempts[0]!;
  add(first.startMs, 'INVITE', caller, sw, '1 INVITE', `Contact: <sip:${t.cli}@${caller}>`);
  add(first.startMs + 8, '100 Trying', sw, caller, '1 INVITE');
  let forwardedRinging = false;
  for (const a of t.attempts) {
    const carrier = `${a.carrierIp}:5060`;
    add(a.startMs + 12, 'INVITE', sw, carrier, '1 INVITE', `Contact: <sip:${t.cli}@${sw}>`);
    add(a.startMs + 40, '100 Trying', carrier, sw, '1 INVITE');
    if (a.rang && a.pdd_ms !== null) {
      const ringMs = a.startMs + a.pdd_ms;
      add(ringMs, '180 Ringing', carrier, sw, '1 INVITE');
      if (!forwardedRinging) add(ringMs + 3, '180 Ringing', sw, caller, '1 INVITE');
      forwardedRinging = true;
    }
    const final = `${a.sip_code} ${a.sip_reason}`;
    if (a.sip_code === 487 && t.cancelled) {
      add(a.finalMs - 20, 'CANCEL', caller, sw, '1 CANCEL');
      add(a.finalMs - 18, '200 OK', sw, caller, '1 CANCEL');
      add(a.finalMs - 15, 'CANCEL', sw, carrier, '1 CANCEL');
      add(a.finalMs - 10, '200 OK', carrier, sw, '1 CANCEL');
    }
    add(a.finalMs, final, carrier, sw, '1 INVITE');
    add(a.finalMs + 2, 'ACK', sw, carrier, '1 ACK');
    if (a === t.attempts[t.attempts.length - 1]) {
      add(a.finalMs + 4, final, sw, caller, '1 INVITE');
      add(a.finalMs + 30, 'ACK', caller, sw, '1 ACK');
      if (a.sip_code === 200) {
        const [bySrc, byDst, leg2Src, leg2Dst] =
          t.hangupBy === 'caller' ? [caller, sw, sw, carrier] : [carrier, sw, sw, caller];
        add(t.endMs, 'BYE', bySrc, byDst, '2 BYE');
        add(t.endMs + 3, '200 OK', byDst, bySrc, '2 BYE');
        add(t.endMs + 5, 'BYE', leg2Src, leg2Dst, '2 BYE');
        add(t.endMs + 40, '200 OK', leg2Dst, leg2Src, '2 BYE');
      }
    }
  }
  return {
    call_id: t.callId,
    company_id: t.companyId,
    attempts: t.attempts.map(({ carrier_id, sip_code, sip_reason, started_at, pdd_ms }) => ({
      carrier_id,
      sip_code,
      sip_reason,
      started_at,
      pdd_ms,
    })),
    sip_messages: msgs,
    rtcp: t.answerMs !== null ? drawRtcp(rng) : null,
  };
}
