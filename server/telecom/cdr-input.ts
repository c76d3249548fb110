/** Validation of one incoming CDR (SPEC section 9 field ids) into a typed record, or a per-row error. */
import { CDR_FIELDS } from '../../common/features.ts';

export const RATING_KEYS = [
  'route_id',
  'rate_card_id',
  'dest_code',
  'dest_name',
  'rate',
  'connect_cost',
  'billed_duration',
  'charge',
  'currency',
] as const;

export interface CdrRecord {
  call_id: string;
  start_time: Date;
  company_id: string;
  route_id: string | null;
  rate_card_id: string | null;
  cli: string;
  tech_prefix: string;
  dest_number: string;
  lrn: string | null;
  direction: 'outbound' | 'inbound';
  auth_type: 'ip' | 'sip' | null;
  auth_ref: string | null;
  source_ip: string | null;
  duration: number;
  billed_duration: number;
  ring_duration: number;
  pdd_ms: number | null;
  sip_code: number;
  sip_reason: string;
  release_reason: string;
  dtmf: string;
  dest_code: string | null;
  dest_name: string | null;
  rate: string | null;
  connect_cost: string | null;
  charge: string;
  currency: string;
  carrier_id: string | null;
  carrier_rate_card_id: string | null;
  carrier_dest_code: string | null;
  carrier_dest_name: string | null;
  carrier_cost: string | null;
  carrier_currency: string | null;
  rtp_server: string | null;
  recording: string | null;
  meta: Record<string, unknown>;
  /** True when the switch sent no rating keys: the platform rates it. */
  needsRating: boolean;
}

export interface RowError {
  error: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d{1,12}(\.\d{1,6})?$/;
const KNOWN = new Set<string>(CDR_FIELDS);

class Bad extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

function str(row: Record<string, unknown>, key: string, max: number, required = false): string | null {
  const v = row[key];
  if (!present(v)) {
    if (required) throw new Bad('missing_field', `${key} is required`);
    return null;
  }
  const s = String(v);
  if (s.length > max) throw new Bad('invalid_field', `${key} is longer than ${max} characters`);
  return s;
}

function int(
  row: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  required = false,
): number | null {
  const v = row[key];
  if (!present(v)) {
    if (required) throw new Bad('missing_field', `${key} is required`);
    return null;
  }
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Bad('invalid_field', `${key} must be a whole number`);
  if (n < min || n > max)
    throw new Bad(
      n < 0 && min >= 0 ? 'negative_value' : 'invalid_field',
      `${key} must be between ${min} and ${max}`,
    );
  return n;
}

function uuid(row: Record<string, unknown>, key: string, required = false): string | null {
  const s = str(row, key, 36, required);
  if (s !== null && !UUID.test(s)) throw new Bad('invalid_field', `${key} must be a UUID`);
  return s?.toLowerCase() ?? null;
}

function dec(row: Record<string, unknown>, key: string): string | null {
  const s = str(row, key, 24);
  if (s !== null && !DECIMAL.test(s))
    throw new Bad('invalid_field', `${key} must be a decimal with at most 6 places`);
  return s;
}

function currency(row: Record<string, unknown>, key: string): string | null {
  const s = str(row, key, 3);
  if (s !== null && !/^[A-Z]{3}$/.test(s.toUpperCase()))
    throw new Bad('invalid_field', `${key} must be an ISO 4217 code`);
  return s?.toUpperCase() ?? null;
}

/** A typed record, or the reason the row is refused. */
export function parseCdr(row: unknown): CdrRecord | RowError {
  try {
    if (!row || typeof row !== 'object' || Array.isArray(row))
      throw new Bad('invalid_row', 'Each CDR must be an object');
    const r = row as Record<string, unknown>;
    if ('__unreadable' in r) throw new Bad('invalid_json', 'This line is not valid JSON');
    for (const k in r) if (!KNOWN.has(k)) throw new Bad('unknown_field', `Unknown CDR field “${k}”`);
    const start = new Date(String(r.start_time ?? ''));
    if (!present(r.start_time) || Number.isNaN(start.getTime()))
      throw new Bad('invalid_field', 'start_time must be an ISO 8601 time');
    const dest = str(r, 'dest_number', 40, true)!.replace(/^\+/, '');
    if (!/^[0-9*#]{1,40}$/.test(dest)) throw new Bad('invalid_field', 'dest_number must contain digits only');
    const direction = str(r, 'direction', 8) ?? 'outbound';
    if (direction !== 'outbound' && direction !== 'inbound')
      throw new Bad('invalid_field', 'direction must be outbound or inbound');
    const authType = str(r, 'auth_type', 3);
    if (authType !== null && authType !== 'ip' && authType !== 'sip')
      throw new Bad('invalid_field', 'auth_type must be ip or sip');
    const meta = r.meta ?? {};
    if (typeof meta !== 'object' || Array.isArray(meta))
      throw new Bad('invalid_field', 'meta must be an object of key/value pairs');
    let needsRating = true;
    for (const k of RATING_KEYS) if (present(r[k])) needsRating = false;
    const duration = int(r, 'duration', 0, 172_800, true)!;
    const rec: CdrRecord = {
      call_id: str(r, 'call_id', 200, true)!,
      start_time: start,
      company_id: uuid(r, 'company_id', true)!,
      route_id: uuid(r, 'route_id'),
      rate_card_id: uuid(r, 'rate_card_id'),
      cli: str(r, 'cli', 40) ?? '',
      tech_prefix: str(r, 'tech_prefix', 20) ?? '',
      dest_number: dest,
      lrn: str(r, 'lrn', 40),
      direction,
      auth_type: authType as 'ip' | 'sip' | null,
      auth_ref: str(r, 'auth_ref', 255),
      source_ip: str(r, 'source_ip', 64),
      duration,
      billed_duration: int(r, 'billed_duration', 0, 172_800) ?? 0,
      ring_duration: int(r, 'ring_duration', 0, 3600) ?? 0,
      pdd_ms: int(r, 'pdd_ms', 0, 600_000),
      sip_code: int(r, 'sip_code', 100, 699, true)!,
      sip_reason: str(r, 'sip_reason', 100) ?? '',
      release_reason: str(r, 'release_reason', 200) ?? '',
      dtmf: str(r, 'dtmf', 100) ?? '',
      dest_code: str(r, 'dest_code', 20),
      dest_name: str(r, 'dest_name', 100),
      rate: dec(r, 'rate'),
      connect_cost: dec(r, 'connect_cost'),
      charge: dec(r, 'charge') ?? '0',
      currency: currency(r, 'currency') ?? '',
      carrier_id: uuid(r, 'carrier_id'),
      carrier_rate_card_id: uuid(r, 'carrier_rate_card_id'),
      carrier_dest_code: str(r, 'carrier_dest_code', 20),
      carrier_dest_name: str(r, 'carrier_dest_name', 100),
      carrier_cost: dec(r, 'carrier_cost'),
      carrier_currency: currency(r, 'carrier_currency'),
      rtp_server: str(r, 'rtp_server', 255),
      recording: str(r, 'recording', 500),
      meta: meta as Record<string, unknown>,
      needsRating,
    };
    if (!needsRating && (!present(r.charge) || !rec.currency)) {
      throw new Bad(
        'incomplete_rating',
        'A rated CDR needs at least charge and currency (or send no rating keys to have it rated)',
      );
    }
    if (rec.sip_code !== 200 && rec.duration > 0)
      throw new Bad('invalid_field', 'Only answered calls (SIP 200) can have a duration');
    return rec;
  } catch (err) {
    if (err instanceof Bad) return { error: err.code, message: err.message };
    throw err;
  }
}
