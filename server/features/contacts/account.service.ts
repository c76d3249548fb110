/**
 * What a signed-in contact manages about itself: profile, password, TOTP two-factor sign-in and its
 * sessions. A session opened by an operator with "log in as" cannot change the password or 2FA.
 */
import type { ContactPrincipal, Deps } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { hashPassword, verifyPassword } from '../../lib/passwords.ts';
import { checkNewPassword } from './policy.ts';
import { enrolment, matchTotp, newRecoveryCodes, newTotpSecret, verifySecondFactor } from './totp.ts';

const actorOf = (p: ContactPrincipal) => ({ type: 'contact' as const, id: p.userId, label: p.email });

function notImpersonated(p: ContactPrincipal): void {
  if (p.impersonator) {
    throw forbidden(
      'impersonation_forbidden',
      'A session opened with “log in as” cannot change the password or two-factor sign-in',
    );
  }
}

interface ContactRow {
  operator_id: string;
  id: string;
  name: string;
  email: string;
  phone: string | null;
  time_zone: string;
  password_hash: string | null;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
  ip_allow: string[];
}

async function loadSelf(tx: Tx, p: ContactPrincipal, lock = false): Promise<ContactRow> {
  const [c] = await tx.query<ContactRow>(
    `SELECT operator_id, id, name, email, phone, time_zone, password_hash, totp_secret_enc, totp_pending_enc,
            totp_enabled_at, totp_last_step, ip_allow
       FROM contacts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [p.userId],
  );
  if (!c) throw notFound('Contact');
  return c;
}

const presentProfile = (c: ContactRow) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone ?? '',
  time_zone: c.time_zone,
});

export function getProfile(deps: Deps, p: ContactPrincipal) {
  return withTenant(deps.db, p.operatorId, async (tx) => presentProfile(await loadSelf(tx, p)));
}

/** True for an IANA time zone name this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/.test(tz);
  } catch {
    return false;
  }
}

export async function updateProfile(
  deps: Deps,
  p: ContactPrincipal,
  input: { name?: string; phone?: string; time_zone?: string },
) {
  const name = input.name?.trim();
  if (input.name !== undefined && !name) {
    throw badRequest('invalid_name', 'The name cannot be empty', { field: 'name' });
  }
  const phone = input.phone?.trim();
  if (phone && !/^\+?[0-9 ()./-]{3,40}$/.test(phone)) {
    throw badRequest('invalid_phone', 'The phone number may contain digits, spaces and + ( ) - . /', {
      field: 'phone',
    });
  }
  if (input.time_zone !== undefined && !isTimeZone(input.time_zone)) {
    throw badRequest('invalid_time_zone', `“${input.time_zone}” is not a known time zone`, {
      field: 'time_zone',
    });
  }
  return withTenant(deps.db, p.operatorId, async (tx) => {
    const before = presentProfile(await loadSelf(tx, p, true));
    const [row] = await tx.query<ContactRow>(
      `UPDATE contacts SET name = coalesce($2, name), phone = CASE WHEN $3::text IS NULL THEN phone ELSE nullif($3, '') END,
              time_zone = coalesce($4, time_zone)
        WHERE id = $1 RETURNING *`,
      [p.userId, name ?? null, phone ?? null, input.time_zone ?? null],
    );
    const after = presentProfile(row!);
    await audit(tx, p.operatorId, actorOf(p), {
      action: 'contact.update_profile',
      entityType: 'contact',
      entityId: p.userId,
      before,
      after,
    });
    return after;
  });
}

/** Changes the password with the current one; every other session of the contact ends. */
export async function changePassword(
  deps: Deps,
  p: ContactPrincipal,
  current: string,
  next: string,
): Promise<void> {
  notImpersonated(p);
  checkNewPassword(next, p.email, 'new_password');
  const [c] = await deps.db.query<{ password_hash: string | null }>(
    'SELECT password_hash FROM contacts WHERE operator_id = $1 AND id = $2',
    [p.operatorId, p.userId],
  );
  if (!(await verifyPassword(c?.password_hash ?? null, current))) {
    throw badRequest('wrong_password', 'The current password is not correct', { field: 'current_password' });
  }
  const hash = await hashPassword(next);
  await withTenant(deps.db, p.operatorId, async (tx) => {
    await tx.query('UPDATE contacts SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
      p.userId,
      hash,
    ]);
    await tx.query("DELETE FROM sessions WHERE kind = 'contact' AND user_id = $1 AND id <> $2", [
      p.userId,
      p.sessionId,
    ]);
    await tx.query(
      "UPDATE contact_tokens SET used_at = now() WHERE contact_id = $1 AND purpose = 'reset' AND used_at IS NULL",
      [p.userId],
    );
    await audit(tx, p.operatorId, actorOf(p), {
      action: 'contact.change_password',
      entityType: 'contact',
      entityId: p.userId,
    });
  });
}

/** Two-factor state and the IP allow-list (set by the operator), for the security page. */
export function getSecurity(deps: Deps, p: ContactPrincipal) {
  return withTenant(deps.db, p.operatorId, async (tx) => {
    const c = await loadSelf(tx, p);
    const [left] = await tx.query<{ n: number | string }>(
      'SELECT count(*) AS n FROM contact_recovery_codes WHERE contact_id = $1 AND used_at IS NULL',
      [p.userId],
    );
    return {
      totp_enabled: c.totp_secret_enc !== null,
      totp_enabled_at: c.totp_enabled_at ? c.totp_enabled_at.toISOString() : null,
      recovery_codes_left: Number(left?.n ?? 0),
      ip_allow: c.ip_allow,
      impersonated: Boolean(p.impersonator),
    };
  });
}

/** Starts TOTP enrolment: a new secret (kept sealed until confirmed) and its QR code. */
export async function startTotp(deps: Deps, p: ContactPrincipal, issuer: string) {
  notImpersonated(p);
  const secret = newTotpSecret();
  await withTenant(deps.db, p.operatorId, async (tx) => {
    const c = await loadSelf(tx, p, true);
    if (c.totp_secret_enc) {
      throw conflict('totp_enabled', 'Two-factor sign-in is already on. Turn it off first to enrol again.');
    }
    await tx.query('UPDATE contacts SET totp_pending_enc = $2 WHERE id = $1', [
      p.userId,
      deps.box.encrypt(secret),
    ]);
  });
  return { secret, ...(await enrolment(secret, p.email, issuer)) };
}

/** Confirms enrolment with a first code; answers the 10 recovery codes (shown once). */
export async function enableTotp(deps: Deps, p: ContactPrincipal, code: string) {
  notImpersonated(p);
  return withTenant(deps.db, p.operatorId, async (tx) => {
    const c = await loadSelf(tx, p, true);
    if (c.totp_secret_enc) throw conflict('totp_enabled', 'Two-factor sign-in is already on');
    if (!c.totp_pending_enc) {
      throw conflict('totp_not_started', 'Start the set-up first: scan a new QR code');
    }
    const step = matchTotp(deps.box.decrypt(c.totp_pending_enc), code, null);
    if (step === null) {
      throw badRequest('invalid_code', 'That code is not correct. Check your device’s clock and try again.', {
        field: 'code',
      });
    }
    await tx.query(
      `UPDATE contacts SET totp_secret_enc = totp_pending_enc, totp_pending_enc = NULL, totp_enabled_at = now(),
              totp_last_step = $2
        WHERE id = $1`,
      [p.userId, step],
    );
    const codes = await newRecoveryCodes(tx, p.operatorId, p.userId);
    await audit(tx, p.operatorId, actorOf(p), {
      action: 'contact.enable_2fa',
      entityType: 'contact',
      entityId: p.userId,
    });
    return { recovery_codes: codes };
  });
}

async function checkPasswordAndCode(deps: Deps, tx: Tx, p: ContactPrincipal, password: string, code: string) {
  const c = await loadSelf(tx, p, true);
  if (!c.totp_secret_enc) throw conflict('totp_disabled', 'Two-factor sign-in is not on');
  if (!(await verifyPassword(c.password_hash, password))) {
    throw badRequest('wrong_password', 'The password is not correct', { field: 'password' });
  }
  if (!(await verifySecondFactor(tx, (s) => deps.box.decrypt(s), c, code))) {
    throw badRequest('invalid_code', 'That code is not correct', { field: 'code' });
  }
}

/** Turns TOTP off; needs the password and a current code (or a recovery code). */
export async function disableTotp(deps: Deps, p: ContactPrincipal, password: string, code: string) {
  notImpersonated(p);
  await withTenant(deps.db, p.operatorId, async (tx) => {
    await checkPasswordAndCode(deps, tx, p, password, code);
    await tx.query(
      `UPDATE contacts SET totp_secret_enc = NULL, totp_pending_enc = NULL, totp_enabled_at = NULL,
              totp_last_step = NULL WHERE id = $1`,
      [p.userId],
    );
    await tx.query('DELETE FROM contact_recovery_codes WHERE contact_id = $1', [p.userId]);
    await audit(tx, p.operatorId, actorOf(p), {
      action: 'contact.disable_2fa',
      entityType: 'contact',
      entityId: p.userId,
    });
  });
}

/** Replaces the recovery codes; needs the password and a current code. */
export async function regenerateRecoveryCodes(
  deps: Deps,
  p: ContactPrincipal,
  password: string,
  code: string,
) {
  notImpersonated(p);
  return withTenant(deps.db, p.operatorId, async (tx) => {
    await checkPasswordAndCode(deps, tx, p, password, code);
    const codes = await newRecoveryCodes(tx, p.operatorId, p.userId);
    await audit(tx, p.operatorId, actorOf(p), {
      action: 'contact.regenerate_recovery_codes',
      entityType: 'contact',
      entityId: p.userId,
    });
    return { recovery_codes: codes };
  });
}
