/**
 * Self sign-up on a brand (SPEC section 5): one transaction creates the company and its first contact,
 * associates it with the domain, clones the template customer, records the sign-up and queues the mails.
 * The answer is the same whether or not the email is already registered; the address's owner gets a notice
 * instead. The password becomes the contact's only when the emailed link proves the address.
 */
import { isCountry } from '../../../common/countries.ts';
import { isCurrency } from '../../../common/currencies.ts';
import type { Deps } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { queueMail } from '../../emails/outbox.ts';
import { audit } from '../../lib/audit.ts';
import { passwordProblem } from '../../lib/common-passwords.ts';
import { badRequest, HttpError, notFound } from '../../lib/errors.ts';
import { isEmail } from '../../lib/format.ts';
import { publicUrl } from '../../lib/hosts.ts';
import { hashPassword } from '../../lib/passwords.ts';
import { randomToken, sha256 } from '../../lib/secrets.ts';
import type { Brand } from '../../plugins/sites.ts';
import { cloneTemplate, templateFields } from './clone.ts';

/** How long a verification link works. */
export const VERIFY_HOURS = 48;

export interface SignupInput {
  type?: 'customer' | 'carrier';
  company_name: string;
  contact_name: string;
  email: string;
  password: string;
  phone: string;
  country: string;
  currency: string;
}

export interface SignupSettings {
  customer_signup: boolean;
  carrier_signup: boolean;
  currencies: string[];
  template_customer_id: string | null;
}

/** The brand's sign-up settings as stored now (not the host cache), or 404 when no sign-up is on. */
export async function signupSettings(deps: Deps, brand: Brand): Promise<SignupSettings> {
  const [row] = await withTenant(deps.db, brand.operatorId, (tx) =>
    tx.query<SignupSettings>(
      'SELECT customer_signup, carrier_signup, currencies, template_customer_id FROM portal_domains WHERE id = $1',
      [brand.domainId],
    ),
  );
  if (!row || (!row.customer_signup && !row.carrier_signup)) throw signupOff();
  return row;
}

const signupOff = () => new HttpError(404, 'signup_disabled', 'Sign-up is not available on this site');

const field = (name: string, code: string, message: string) => badRequest(code, message, { field: name });

/** Validates and normalises the form; throws a 400 naming the field. Never looks at existing accounts. */
export function validateSignup(input: SignupInput, settings: SignupSettings) {
  const type = input.type ?? 'customer';
  if (type === 'customer' ? !settings.customer_signup : !settings.carrier_signup) throw signupOff();
  const companyName = input.company_name.trim();
  if (!companyName) throw field('company_name', 'invalid_name', 'Enter your company’s name');
  const contactName = input.contact_name.trim();
  if (!contactName) throw field('contact_name', 'invalid_name', 'Enter your name');
  const email = input.email.trim().toLowerCase();
  if (!isEmail(email)) throw field('email', 'invalid_email', 'Enter a valid email address');
  const problem = passwordProblem(input.password, { email });
  if (problem) throw field('password', 'weak_password', problem);
  const phone = input.phone.replace(/[\s().-]/g, '');
  if (!/^\+?[0-9]{6,15}$/.test(phone))
    throw field(
      'phone',
      'invalid_phone',
      'Enter a phone number in international format, e.g. +44 20 7946 0000',
    );
  const country = input.country.trim().toUpperCase();
  if (!isCountry(country)) throw field('country', 'invalid_country', 'Choose your country');
  const currency = input.currency.trim().toUpperCase();
  if (!isCurrency(currency) || !settings.currencies.includes(currency))
    throw field('currency', 'invalid_currency', `Choose one of: ${settings.currencies.join(', ')}`);
  return {
    type,
    companyName,
    contactName,
    email,
    phone: phone.startsWith('+') ? phone : `+${phone}`,
    country,
    currency,
  };
}

type Clean = ReturnType<typeof validateSignup>;

/** Tells the owner of an already registered address that someone tried to sign up with it. */
async function noticeExisting(deps: Deps, brand: Brand, email: string): Promise<void> {
  await withTenant(deps.db, brand.operatorId, async (tx) => {
    const [existing] = await tx.query<{ id: string }>('SELECT id FROM contacts WHERE lower(email) = $1', [
      email,
    ]);
    if (!existing) return;
    await queueMail(tx, {
      operatorId: brand.operatorId,
      domainId: brand.domainId,
      to: email,
      template: 'notice',
      key: `signup-exists:${existing.id}`,
      vars: {
        title: 'Someone tried to sign up with your email address',
        message:
          `Someone just tried to create a new ${brand.brandName} account with this email address, which already ` +
          'has an account. If it was you, sign in instead (use “Forgot password” if you need a new password). ' +
          'If it was not you, you can ignore this email: nothing was changed.',
        url: `${publicUrl(deps.env, brand.domain)}/login`,
        action: 'Sign in',
      },
    });
  });
}

async function notifyOperator(
  tx: Tx,
  deps: Deps,
  brand: Brand,
  s: {
    signupId: string;
    companyName: string;
    contactName: string;
    email: string;
    type: string;
    status: string;
  },
) {
  const users = await tx.query<{ id: string; email: string }>('SELECT id, email FROM operator_users');
  for (const u of users) {
    await queueMail(tx, {
      operatorId: brand.operatorId,
      domainId: null,
      to: u.email,
      template: 'signup_notice',
      key: `signup-notice:${s.signupId}:${u.id}`,
      vars: {
        brand: brand.brandName,
        company: s.companyName,
        contact: s.contactName,
        email: s.email,
        type: s.type,
        status: s.status,
        url: `${publicUrl(deps.env, deps.env.consoleHost)}/signups`,
      },
    });
  }
}

/** Creates a verification link for a contact and queues the mail carrying it. */
export async function sendVerification(
  tx: Tx,
  deps: Deps,
  brand: Brand,
  c: { contactId: string; name: string; email: string; passwordHash: string | null },
) {
  const token = randomToken();
  await tx.query(
    `INSERT INTO email_verifications (operator_id, contact_id, token_hash, password_hash, expires_at)
     VALUES ($1, $2, $3, $4, now() + $5::interval)`,
    [brand.operatorId, c.contactId, sha256(token), c.passwordHash, `${VERIFY_HOURS} hours`],
  );
  await queueMail(tx, {
    operatorId: brand.operatorId,
    domainId: brand.domainId,
    to: c.email,
    template: 'verify_email',
    vars: {
      name: c.name,
      url: `${publicUrl(deps.env, brand.domain)}/signup/verify?token=${encodeURIComponent(token)}`,
      hours: String(VERIFY_HOURS),
    },
  });
}

async function createAccount(
  deps: Deps,
  brand: Brand,
  settings: SignupSettings,
  v: Clean,
  passwordHash: string,
  ip: string,
) {
  return withTenant(deps.db, brand.operatorId, async (tx) => {
    const template =
      v.type === 'customer' && settings.template_customer_id
        ? await templateFields(tx, settings.template_customer_id)
        : null;
    const status = template?.status === 'active' ? 'active' : 'pending_approval';
    const [company] = await tx.query<{ id: string }>(
      `INSERT INTO companies (operator_id, type, name, status, currency, domain_id, debit_limit, channels, cps, show, hide)
       VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::numeric, 0), $8, $9, COALESCE($10::text[], '{}'), COALESCE($11::text[], '{}'))
       RETURNING id`,
      [
        brand.operatorId,
        v.type,
        v.companyName,
        status,
        v.currency,
        brand.domainId,
        template?.debit_limit ?? null,
        template?.channels ?? null,
        template?.cps ?? null,
        template?.show ?? null,
        template?.hide ?? null,
      ],
    );
    const companyId = company!.id;
    // The unique (operator, lower(email)) index makes a concurrent sign-up with the same address fail here.
    const [contact] = await tx.query<{ id: string }>(
      `INSERT INTO contacts (operator_id, company_id, name, email, phone) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [brand.operatorId, companyId, v.contactName, v.email, v.phone],
    );
    const contactId = contact!.id;
    const cloned =
      template && settings.template_customer_id
        ? await cloneTemplate(tx, brand.operatorId, settings.template_customer_id, {
            companyId,
            currency: v.currency,
            contactEmail: v.email,
          })
        : null;
    const [signup] = await tx.query<{ id: string }>(
      `INSERT INTO signups (operator_id, company_id, contact_id, domain_id, type, country, ip, template_company_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        brand.operatorId,
        companyId,
        contactId,
        brand.domainId,
        v.type,
        v.country,
        ip,
        template ? settings.template_customer_id : null,
      ],
    );
    await audit(
      tx,
      brand.operatorId,
      { type: 'contact', id: contactId, label: v.email },
      {
        action: 'company.signup',
        entityType: 'company',
        entityId: companyId,
        after: {
          type: v.type,
          name: v.companyName,
          status,
          currency: v.currency,
          domain: brand.domain,
          cloned,
        },
      },
    );
    await sendVerification(tx, deps, brand, { contactId, name: v.contactName, email: v.email, passwordHash });
    await notifyOperator(tx, deps, brand, {
      signupId: signup!.id,
      companyName: v.companyName,
      contactName: v.contactName,
      email: v.email,
      type: v.type,
      status,
    });
    return { companyId, contactId, status, cloned };
  });
}

/**
 * Runs one sign-up. Returns the new company (for tests and logs) or null when the address was already
 * registered; callers answer both the same way.
 */
export async function signUp(
  deps: Deps,
  brand: Brand,
  settings: SignupSettings,
  v: Clean,
  password: string,
  ip: string,
) {
  const passwordHash = await hashPassword(password);
  const [taken] = await withTenant(deps.db, brand.operatorId, (tx) =>
    tx.query('SELECT 1 FROM contacts WHERE lower(email) = $1', [v.email]),
  );
  if (!taken) {
    try {
      return await createAccount(deps, brand, settings, v, passwordHash, ip);
    } catch (e) {
      // Lost the race against a concurrent sign-up with the same address: that one made the account.
      if ((e as { code?: string }).code !== '23505') throw e;
    }
  }
  await noticeExisting(deps, brand, v.email);
  return null;
}

/**
 * Uses a verification link: single use, before it expires. Gives the contact the password chosen at sign-up
 * and sends the welcome mail when the company is already active.
 */
export async function verifyEmail(deps: Deps, brand: Brand, token: string) {
  return withTenant(deps.db, brand.operatorId, async (tx) => {
    // The row lock makes two clicks on the same link race for one use: the second finds it used.
    const [v] = await tx.query<{ contact_id: string; password_hash: string | null }>(
      `WITH link AS (
         SELECT id, password_hash FROM email_verifications
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() FOR UPDATE)
       UPDATE email_verifications e SET used_at = now(), password_hash = NULL FROM link WHERE e.id = link.id
       RETURNING e.contact_id, link.password_hash`,
      [sha256(token)],
    );
    if (!v)
      throw badRequest(
        'invalid_token',
        'This link is not valid any more: it was already used or has expired. Sign in, or use “Forgot password”.',
      );
    const [contact] = await tx.query<{ email: string; name: string; company_id: string; status: string }>(
      `SELECT k.email, k.name, k.company_id, c.status FROM contacts k
         JOIN companies c ON c.operator_id = k.operator_id AND c.id = k.company_id WHERE k.id = $1`,
      [v.contact_id],
    );
    if (!contact) throw notFound('Contact');
    if (v.password_hash)
      await tx.query('UPDATE contacts SET password_hash = $2 WHERE id = $1', [v.contact_id, v.password_hash]);
    const [signup] = await tx.query<{ id: string; email_verified_at: Date | null }>(
      `UPDATE signups SET email_verified_at = COALESCE(email_verified_at, now()) WHERE contact_id = $1
       RETURNING id, email_verified_at`,
      [v.contact_id],
    );
    await audit(
      tx,
      brand.operatorId,
      { type: 'contact', id: v.contact_id, label: contact.email },
      { action: 'contact.email_verified', entityType: 'contact', entityId: v.contact_id },
    );
    if (signup && contact.status === 'active')
      await queueWelcome(tx, deps, brand.operatorId, brand.domainId, {
        signupId: signup.id,
        name: contact.name,
        email: contact.email,
        domain: brand.domain,
      });
    return { email: contact.email, status: contact.status };
  });
}

/** The welcome mail, once the address is verified and the company active. */
export async function queueWelcome(
  tx: Tx,
  deps: Deps,
  operatorId: string,
  domainId: string | null,
  s: { signupId: string; name: string; email: string; domain: string | null },
) {
  await queueMail(tx, {
    operatorId,
    domainId,
    to: s.email,
    template: 'welcome',
    key: `welcome:${s.signupId}`,
    vars: {
      name: s.name,
      url: s.domain ? `${publicUrl(deps.env, s.domain)}/login` : publicUrl(deps.env, deps.env.consoleHost),
    },
  });
}
