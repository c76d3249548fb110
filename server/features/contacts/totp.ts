/** TOTP (RFC 6238, SHA-1, 6 digits, 30 s) and one-time recovery codes for a contact's two-factor sign-in. */
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Queryable } from '../../db/db.ts';
import { sha256 } from '../../lib/secrets.ts';

export const PERIOD_S = 30;
export const RECOVERY_CODE_COUNT = 10;

function totpOf(secretBase32: string, label = 'account', issuer = 'Portal'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random 160-bit secret, in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads, and the same as a QR code (SVG data URL). */
export async function enrolment(secretBase32: string, label: string, issuer: string) {
  const uri = totpOf(secretBase32, label, issuer).toString();
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { otpauth_url: uri, qr_code: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/**
 * The time step a code matches (one step of clock drift either way), or null. A step at or before
 * lastStep was already used and is refused, so a code works once.
 */
export function matchTotp(
  secretBase32: string,
  code: string,
  lastStep: number | null,
  now = Date.now(),
): number | null {
  const clean = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totpOf(secretBase32).validate({ token: clean, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / PERIOD_S) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** True when the text looks like a recovery code rather than a 6-digit TOTP code. */
export const looksLikeRecoveryCode = (code: string) => /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim());

const normalizeRecovery = (code: string) => code.trim().toLowerCase().replace('-', '');

/** Replaces a contact's recovery codes with 10 new ones; returns them (shown once, stored hashed). */
export async function newRecoveryCodes(
  q: Queryable,
  operatorId: string,
  contactId: string,
): Promise<string[]> {
  await q.query('DELETE FROM contact_recovery_codes WHERE operator_id = $1 AND contact_id = $2', [
    operatorId,
    contactId,
  ]);
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const codes: string[] = [];
  for (let i = 0; i < RECOVERY_CODE_COUNT; i++) {
    let raw = '';
    for (let j = 0; j < 10; j++) raw += alphabet[crypto.randomInt(alphabet.length)];
    codes.push(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  await q.query(
    `INSERT INTO contact_recovery_codes (operator_id, contact_id, code_hash)
     SELECT $1, $2, unnest($3::text[])`,
    [operatorId, contactId, codes.map((c) => sha256(normalizeRecovery(c)))],
  );
  return codes;
}

/** Spends a recovery code; false when unknown or already used. */
export async function spendRecoveryCode(
  q: Queryable,
  operatorId: string,
  contactId: string,
  code: string,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE contact_recovery_codes SET used_at = now()
      WHERE operator_id = $1 AND contact_id = $2 AND code_hash = $3 AND used_at IS NULL
      RETURNING id`,
    [operatorId, contactId, sha256(normalizeRecovery(code))],
  );
  return rows.length > 0;
}

export interface SecondFactorState {
  totp_secret_enc: string | null;
  totp_last_step: string | number | null;
}

/**
 * Checks a second-factor code (TOTP or recovery code) for a contact and records its use.
 * The caller holds the contact row (FOR UPDATE) in the same transaction.
 */
export async function verifySecondFactor(
  q: Queryable,
  decrypt: (sealed: string) => string,
  c: SecondFactorState & { operator_id: string; id: string },
  code: string,
): Promise<boolean> {
  if (!c.totp_secret_enc) return false;
  if (looksLikeRecoveryCode(code)) return spendRecoveryCode(q, c.operator_id, c.id, code);
  const last = c.totp_last_step === null ? null : Number(c.totp_last_step);
  const step = matchTotp(decrypt(c.totp_secret_enc), code, last);
  if (step === null) return false;
  await q.query('UPDATE contacts SET totp_last_step = $3 WHERE operator_id = $1 AND id = $2', [
    c.operator_id,
    c.id,
    step,
  ]);
  return true;
}
