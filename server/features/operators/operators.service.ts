/** Creating an operator (tenant) with its first operator user: platform-level, so through withSystem. */
import type { Deps } from '../../context.ts';
import { withSystem } from '../../db/db.ts';
import { badRequest, conflict } from '../../lib/errors.ts';
import { hashPassword } from '../../lib/passwords.ts';

export interface NewOperator {
  name: string;
  email: string;
  password: string;
  userName?: string;
}

/** Returns the new operator's id and its user's id. */
export async function createOperator(
  deps: Deps,
  input: NewOperator,
): Promise<{ operatorId: string; userId: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw badRequest('invalid_email', `“${input.email}” is not an email address`);
  if (input.password.length < 10)
    throw badRequest('weak_password', 'The password needs at least 10 characters');
  if (!input.name.trim()) throw badRequest('invalid_name', 'The operator needs a name');
  const hash = await hashPassword(input.password);
  return withSystem(deps.db, async (tx) => {
    const taken = await tx.query('SELECT 1 FROM operator_users WHERE lower(email) = $1', [email]);
    if (taken[0]) throw conflict('email_taken', `An operator user with the email ${email} already exists`);
    const [op] = await tx.query<{ id: string }>('INSERT INTO operators (name) VALUES ($1) RETURNING id', [
      input.name.trim(),
    ]);
    const [user] = await tx.query<{ id: string }>(
      'INSERT INTO operator_users (operator_id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING id',
      [op!.id, email, input.userName ?? email.split('@')[0], hash],
    );
    await tx.query(
      `INSERT INTO audit_log (operator_id, actor_type, actor_label, action, entity_type, entity_id, after)
       VALUES ($1, 'system', 'admin command', 'operator.create', 'operator', $1, $2)`,
      [op!.id, JSON.stringify({ name: input.name.trim(), first_user: email })],
    );
    return { operatorId: op!.id, userId: user!.id };
  });
}
