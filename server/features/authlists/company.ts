/** Helpers of the company-scoped telecom lists (IP auth, SIP users, CLI rules). */
import type { Tx } from '../../db/db.ts';
import { notFound } from '../../lib/errors.ts';

/**
 * 404 unless the company exists for the current tenant. Runs inside withTenant, so another operator's
 * company is invisible (row-level security) and answers exactly like a missing one.
 */
export async function requireCompany(tx: Tx, companyId: string): Promise<void> {
  const rows = await tx.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
  if (!rows[0]) throw notFound('Company');
}

/** Escapes LIKE wildcards in user text (backslash is PostgreSQL's default LIKE escape). */
export const likePattern = (q: string | undefined): string | null =>
  q?.trim()
    ? `%${q
        .trim()
        .toLowerCase()
        .replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    : null;
