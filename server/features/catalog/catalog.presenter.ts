/** Row → API shapes for alerts, packages, contracts and their assignments. */
import { isoOrNull } from '../../lib/format.ts';

type Row = Record<string, unknown>;
const numOrNull = (v: unknown) => (v == null ? null : Number(v));
const strOrNull = (v: unknown) => (v == null ? null : String(v));

export function presentAlert(r: Row) {
  return {
    id: String(r.id),
    company_id: String(r.company_id),
    title: String(r.title),
    recipient: strOrNull(r.recipient),
    area: String(r.area),
    comparator: String(r.comparator),
    threshold: String(r.threshold),
    reset_threshold: strOrNull(r.reset_threshold),
    sample_minutes: numOrNull(r.sample_minutes),
    penalty_minutes: numOrNull(r.penalty_minutes),
    repeat_minutes: numOrNull(r.repeat_minutes),
    notice_level: String(r.notice_level),
    enabled: Boolean(r.enabled),
    created_at: isoOrNull(r.created_at)!,
  };
}

export function presentPackage(r: Row) {
  return {
    id: String(r.id),
    name: String(r.name),
    description: String(r.description),
    type: String(r.type),
    currency: String(r.currency),
    cost: String(r.cost),
    retail: String(r.retail),
    setup_cost: String(r.setup_cost),
    setup_retail: String(r.setup_retail),
    frequency: String(r.frequency),
    frequency_match: ((r.frequency_match as number[] | null) ?? []).map(Number),
    minimum_days: Number(r.minimum_days),
    destination_regex: strOrNull(r.destination_regex),
    free_minutes: numOrNull(r.free_minutes),
    minimum_spend: strOrNull(r.minimum_spend),
    created_at: isoOrNull(r.created_at)!,
  };
}

/** Package assignments are selected with start_date/end_date as text (no time-zone shifts of a date). */
export function presentPackageAssignment(r: Row) {
  return {
    id: String(r.id),
    company_id: String(r.company_id),
    company_name: strOrNull(r.company_name),
    package_id: String(r.package_id),
    package_name: strOrNull(r.package_name),
    quantity: Number(r.quantity),
    start_date: String(r.start_date),
    end_date: strOrNull(r.end_date),
    auto_decrement: Boolean(r.auto_decrement),
    created_at: isoOrNull(r.created_at)!,
  };
}

export function presentContract(r: Row) {
  return {
    id: String(r.id),
    name: String(r.name),
    latest_revision: numOrNull(r.latest_revision),
    assignments: numOrNull(r.assignments) ?? 0,
    created_at: isoOrNull(r.created_at)!,
    updated_at: isoOrNull(r.updated_at)!,
  };
}

export function presentRevision(r: Row) {
  return {
    id: String(r.id),
    contract_id: String(r.contract_id),
    revision: Number(r.revision),
    body: String(r.body),
    created_at: isoOrNull(r.created_at)!,
  };
}

export function presentContractAssignment(r: Row) {
  return {
    id: String(r.id),
    company_id: String(r.company_id),
    company_name: strOrNull(r.company_name),
    contract_id: String(r.contract_id),
    contract_name: strOrNull(r.contract_name),
    revision_id: String(r.revision_id),
    revision: numOrNull(r.revision),
    latest_revision: numOrNull(r.latest_revision),
    grace_date: isoOrNull(r.grace_date),
    required: Boolean(r.required),
    assigned_at: isoOrNull(r.assigned_at)!,
    approved_at: isoOrNull(r.approved_at),
    approved_by_name: strOrNull(r.approved_by_name),
    approved_by_contact_id: strOrNull(r.approved_by_contact_id),
  };
}
