/** Display formatting. Amounts arrive as decimal strings ("12.3400") and stay exact until here. */

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const cache = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat | null {
  let fmt = cache.get(currency);
  if (!fmt) {
    try {
      // The reader's own locale; up to 4 decimals so sub-cent telecom balances are not hidden.
      fmt = new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 4 });
    } catch {
      return null; // not an ISO 4217 code this browser knows
    }
    cache.set(currency, fmt);
  }
  return fmt;
}

/**
 * Formats a decimal string as money. The string is handed to Intl as is: current engines format it
 * as an exact decimal (Intl.NumberFormat v3), older ones convert it to a Number, which is fine for
 * display. Anything that is not a plain decimal is shown verbatim rather than as "NaN".
 */
export function formatMoney(amount: string, currency: string): string {
  const value = amount.trim();
  if (!DECIMAL.test(value)) return `${amount} ${currency}`.trim();
  const fmt = moneyFormat(currency);
  if (!fmt) return `${value} ${currency}`;
  return fmt.format(value as Intl.StringNumericLiteral);
}

/** -1, 0 or 1 for a decimal string, without going through floating point. */
export function decimalSign(amount: string): -1 | 0 | 1 {
  const value = amount.trim();
  if (!DECIMAL.test(value)) return 0;
  if (/^[+-]?0*(\.0*)?$/.test(value)) return 0;
  return value.startsWith('-') ? -1 : 1;
}
