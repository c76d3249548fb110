/** Semantic checks of domain input; each failure is a 400 naming the field, before anything is saved. */

import { isCurrency } from '../../../common/currencies.ts';
import {
  BREAKOUT_COLUMNS,
  CARRIER_SIDE_CDR_FIELDS,
  CDR_FIELDS,
  isFeatureId,
} from '../../../common/features.ts';
import type { Env } from '../../env.ts';
import { badRequest } from '../../lib/errors.ts';
import { isEmail } from '../../lib/format.ts';
import { hostnameProblem, parseDomainInput } from '../../lib/hosts.ts';
import type { DomainInput } from './domains.schema.ts';

/** The normalised hostname, or a 400 saying what is wrong with it. */
export function validDomainName(env: Env, input: string): string {
  const name = parseDomainInput(input);
  if (!name) throw badRequest('invalid_domain', `“${input}” is not a valid hostname`, { field: 'domain' });
  const problem = hostnameProblem(name, {
    exact: [env.consoleHost, env.portalCnameTarget],
    parents: [env.portalCnameTarget],
  });
  if (problem) throw badRequest('invalid_domain', `The domain ${name} ${problem}`, { field: 'domain' });
  return name;
}

function checkList(field: string, values: readonly string[], allowed: readonly string[]) {
  for (const v of values) {
    if (!allowed.includes(v))
      throw badRequest(`unknown_${field}`, `Unknown ${field.replace('_', ' ')} “${v}”`, { field });
  }
}

/** Checks every field present in the input (the template customer is checked against the database later). */
export function validateDomainInput(
  env: Env,
  input: DomainInput,
  current?: { customer_signup: boolean; carrier_signup: boolean; currencies: string[] },
): DomainInput {
  const out: DomainInput = { ...input };
  if (input.domain !== undefined) out.domain = validDomainName(env, input.domain);
  if (input.brand_name !== undefined) {
    out.brand_name = input.brand_name.trim();
    if (!out.brand_name)
      throw badRequest('invalid_brand_name', 'The brand name cannot be empty', { field: 'brand_name' });
  }
  if (input.currencies !== undefined) {
    out.currencies = [...new Set(input.currencies.map((c) => c.trim().toUpperCase()))];
    for (const c of out.currencies) {
      if (!isCurrency(c))
        throw badRequest('unknown_currency', `“${c}” is not an ISO 4217 currency code`, {
          field: 'currencies',
        });
    }
  }
  const signupOn =
    (out.customer_signup ?? current?.customer_signup) || (out.carrier_signup ?? current?.carrier_signup);
  if (signupOn && (out.currencies ?? current?.currencies ?? []).length === 0) {
    throw badRequest('currencies_required', 'Choose at least one currency when sign-up is on', {
      field: 'currencies',
    });
  }
  if (input.features !== undefined) {
    for (const id of Object.keys(input.features)) {
      if (!isFeatureId(id))
        throw badRequest('unknown_feature', `Unknown feature id “${id}”`, { field: 'features' });
    }
  }
  if (input.breakout_columns) {
    checkList('breakout_column', input.breakout_columns.customer, BREAKOUT_COLUMNS);
    checkList('breakout_column', input.breakout_columns.carrier, BREAKOUT_COLUMNS);
  }
  if (input.cdr_fields) {
    checkList('cdr_field', input.cdr_fields.customer, CDR_FIELDS);
    checkList('cdr_field', input.cdr_fields.carrier, CDR_FIELDS);
    const leak = input.cdr_fields.customer.find((f) => CARRIER_SIDE_CDR_FIELDS.includes(f));
    if (leak) {
      throw badRequest(
        'carrier_field_for_customer',
        `The carrier-side field “${leak}” cannot be shown to customers`,
        {
          field: 'cdr_fields',
        },
      );
    }
  }
  if (input.custom_js !== undefined) {
    const js = input.custom_js.trim();
    if (/^[a-z]+:\/\//i.test(js) && !/^https:\/\/\S+$/.test(js)) {
      throw badRequest('invalid_custom_js', 'An external script must be a single https:// URL', {
        field: 'custom_js',
      });
    }
  }
  if (input.smtp) {
    const { from, host } = input.smtp;
    if (from && !isEmail(from))
      throw badRequest('invalid_email', `“${from}” is not an email address`, { field: 'smtp.from' });
    if (host && !parseDomainInput(host))
      throw badRequest('invalid_smtp_host', `“${host}” is not a valid host`, { field: 'smtp.host' });
  }
  return out;
}
