/** Password hashing: argon2id with OWASP parameters (m=19 MiB, t=2, p=1). */
import { hash, verify } from '@node-rs/argon2';

// algorithm 2 is Argon2id (a const enum in the library's types, so written as its value).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Verified against when the account does not exist, so both answers cost the same time.
let dummyHash: Promise<string> | null = null;

/** Checks a password; with a null hash it still spends the same work and returns false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword('not-a-real-password-0000');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
