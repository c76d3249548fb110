/** The audit log: every configuration change with who, when, and the values before and after. */
import type { Actor } from '../context.ts';
import type { Queryable } from '../db/db.ts';

const SECRET_KEY = /password|secret|token_hash|_enc$/i;

/** Replaces secret values by a marker so the log never holds them. */
export function redact(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!value) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k)) out[k] = v ? '(set)' : null;
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = redact(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/** Keeps only the keys whose value changed, so a log entry shows exactly the change. */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Writes one entry inside the caller's tenant transaction. */
export async function audit(tx: Queryable, operatorId: string, actor: Actor, e: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (operator_id, actor_type, actor_id, actor_label, action, entity_type, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      operatorId,
      actor.type,
      actor.id,
      actor.label,
      e.action,
      e.entityType,
      e.entityId,
      e.before ? JSON.stringify(redact(e.before)) : null,
      e.after ? JSON.stringify(redact(e.after)) : null,
    ],
  );
}
