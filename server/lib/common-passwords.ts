/** The password policy of contacts: at least 10 characters and not one of the most common passwords. */
import fs from 'node:fs';

export const MIN_PASSWORD_LENGTH = 10;

let common: Set<string> | null = null;

/** The bundled list (common-passwords.txt, one a line, '#' lines are notes), loaded once. */
function commonPasswords(): Set<string> {
  if (!common) {
    const text = fs.readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    common = new Set(
      text
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l && !l.startsWith('#')),
    );
  }
  return common;
}

/** Whether the password is in the list of common passwords (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.trim().toLowerCase());
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `The password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (isCommonPassword(password))
    return 'This password is one of the most common passwords and easy to guess: choose another';
  const email = context.email?.trim().toLowerCase();
  if (email && (password.toLowerCase() === email || password.toLowerCase() === email.split('@')[0]))
    return 'The password cannot be your email address';
  return null;
}
