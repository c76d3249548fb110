/**
 * CDR fields of the reports: which ones a reader may see, and the SQL that reads each one as JSON or as a
 * CSV cell. Only fields in the allowed list are ever selected, so a hidden field cannot reach an answer.
 */
import { CARRIER_SIDE_CDR_FIELDS, CDR_FIELDS } from '../../../common/features.ts';
import { badRequest } from '../../lib/errors.ts';

export type CdrField = (typeof CDR_FIELDS)[number];

const NUMERIC = new Set(['rate', 'connect_cost', 'charge', 'carrier_cost']);
const UUIDS = new Set(['company_id', 'route_id', 'rate_card_id', 'carrier_id', 'carrier_rate_card_id']);
const INTEGERS = new Set(['duration', 'billed_duration', 'ring_duration', 'pdd_ms', 'sip_code']);

/** SQL of one field for a JSON answer (numbers stay numbers, decimals travel as strings). */
export function jsonSql(f: CdrField): string {
  if (NUMERIC.has(f) || UUIDS.has(f)) return `c.${f}::text AS ${f}`;
  return `c.${f}`;
}

/**
 * SQL of one field as the text of a CSV cell, written exactly as PostgreSQL's COPY … CSV writes it (so both export
 * paths give the same bytes): quoted when it holds a comma, quote or line break, an empty text as "" and NULL as
 * nothing. Times are UTC.
 */
export function csvCellSql(f: CdrField): string {
  if (f === 'start_time') return `to_char(c.start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  if (NUMERIC.has(f) || UUIDS.has(f) || INTEGERS.has(f)) return `coalesce(c.${f}::text, '')`;
  const text = f === 'meta' ? `c.meta::text` : `c.${f}`;
  return `CASE WHEN ${text} IS NULL THEN '' WHEN ${text} = '' THEN '""' WHEN ${text} ~ '[",\\r\\n]' THEN '"' || replace(${text}, '"', '""') || '"' ELSE ${text} END`;
}

/** The SELECT list of a COPY … CSV export: the same cells, formatted by COPY itself. */
export function copyColumnsSql(fields: readonly CdrField[]): string {
  return fields.map((f) => (f === 'start_time' ? `${csvCellSql(f)} AS start_time` : `c.${f}`)).join(', ');
}

/** One CSV line per row, built by the database so Node only forwards text. */
export function csvLineSql(fields: readonly CdrField[]): string {
  return fields.map(csvCellSql).join(` || ',' || `);
}

/**
 * The fields a portal reader may see: the brand's list for the user type, in registry order; customers
 * never see supplier-side fields whatever the list says, and `recording` needs the recording feature.
 */
export function allowedFields(
  brandFields: Record<string, string[]> | undefined,
  userType: 'customer' | 'carrier',
  features: readonly string[],
): CdrField[] {
  const listed = new Set(brandFields?.[userType] ?? []);
  return CDR_FIELDS.filter(
    (f) =>
      listed.has(f) &&
      !(userType === 'customer' && CARRIER_SIDE_CDR_FIELDS.includes(f)) &&
      (f !== 'recording' || features.includes('recording')),
  );
}

/** The columns asked for (comma list), each one allowed; all allowed when none are asked for. */
export function chooseFields(requested: string | undefined, allowed: readonly CdrField[]): CdrField[] {
  if (!requested?.trim()) return [...allowed];
  const want = new Set(
    requested
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const f of want) {
    if (!(allowed as readonly string[]).includes(f)) {
      throw badRequest('field_not_allowed', `The field "${f.slice(0, 40)}" is not available`, {
        field: 'fields',
      });
    }
  }
  return allowed.filter((f) => want.has(f));
}
