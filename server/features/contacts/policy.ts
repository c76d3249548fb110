/** Password rules for contacts, and the portal domain a contact's mail and links go through. */
import type { Queryable } from '../../db/db.ts';
import { passwordProblem } from '../../lib/common-passwords.ts';
import { badRequest } from '../../lib/errors.ts';

/** Refuses passwords the contact password policy refuses (length, common passwords, the email). */
export function checkNewPassword(password: string, email: string, field = 'password'): void {
  if (password.length > 1024) throw badRequest('weak_password', 'The password is too long', { field });
  const problem = passwordProblem(password, { email });
  if (problem) throw badRequest('weak_password', problem, { field });
}

/**
 * The brand a company's contacts use: the company's own domain, else the operator's first serving
 * domain (contacts of a company without a domain may sign in on any of them). Null when there is none.
 */
export async function companyPortal(
  tx: Queryable,
  companyId: string,
): Promise<{ id: string; domain: string } | null> {
  const rows = await tx.query<{ id: string; domain: string }>(
    `SELECT d.id, d.domain FROM companies c JOIN portal_domains d ON d.operator_id = c.operator_id
      WHERE c.id = $1 AND (c.domain_id = d.id OR c.domain_id IS NULL)
      ORDER BY (c.domain_id = d.id) DESC NULLS LAST, (d.state IN ('active', 'renewing')) DESC, d.created_at, d.id
      LIMIT 1`,
    [companyId],
  );
  return rows[0] ?? null;
}
