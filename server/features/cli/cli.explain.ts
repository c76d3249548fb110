/**
 * Caller ID (CLI) rules: pattern parsing, evaluation and a plain-English explanation. Pure functions
 * with no server imports, so the portal can reuse them.
 *
 * Semantics (research section 1.5):
 * - no rules: every caller ID passes unchanged;
 * - a caller ID matching an allow rule passes unchanged;
 * - otherwise the first forced rule whose pattern matches replaces the caller ID with its replacement;
 * - otherwise the call is rejected (as soon as one rule exists, the default is to block).
 */

export type CliRuleKind = 'forced' | 'allow';

export interface CliRuleLike {
  kind: CliRuleKind;
  pattern: string;
  replacement?: string;
}

export type CliPattern =
  | { type: 'any' }
  | { type: 'exact'; digits: string }
  | { type: 'prefix'; digits: string }
  | { type: 'regex'; source: string; re: RegExp };

/**
 * "*" (any caller ID), digits ("442071234567", exact), digits with a trailing "*" ("44*", prefix), or a
 * regular expression when the text starts with "^". Returns an error message for anything else.
 */
export function parseCliPattern(raw: string): CliPattern | { error: string } {
  const p = raw.trim();
  if (p.startsWith('^')) {
    try {
      return { type: 'regex', source: p, re: new RegExp(p) };
    } catch (e) {
      return { error: `“${p}” is not a valid regular expression: ${(e as Error).message}` };
    }
  }
  const s = p.replace(/^\+/, '');
  if (s === '*') return { type: 'any' };
  const m = /^([0-9]{1,32})(\*?)$/.exec(s);
  if (!m)
    return {
      error: `“${p}” is not a caller ID pattern: use digits with an optional trailing * (e.g. 44*), or a regular expression starting with ^`,
    };
  return m[2] ? { type: 'prefix', digits: m[1]! } : { type: 'exact', digits: m[1]! };
}

/** The canonical text of a pattern (as stored). */
export function formatCliPattern(p: CliPattern): string {
  switch (p.type) {
    case 'any':
      return '*';
    case 'exact':
      return p.digits;
    case 'prefix':
      return `${p.digits}*`;
    case 'regex':
      return p.source;
  }
}

function matches(p: CliPattern, cli: string): boolean {
  switch (p.type) {
    case 'any':
      return true;
    case 'exact':
      return cli === p.digits;
    case 'prefix':
      return cli.startsWith(p.digits);
    case 'regex':
      return p.re.test(cli);
  }
}

/** Whether every caller ID that a matches is also matched by b (best effort; regexes only by equal text). */
function covers(b: CliPattern, a: CliPattern): boolean {
  if (b.type === 'any') return true;
  if (b.type === 'regex' || a.type === 'regex')
    return a.type === 'regex' && b.type === 'regex' && a.source === b.source;
  if (a.type === 'any') return false;
  if (b.type === 'exact') return a.type === 'exact' && a.digits === b.digits;
  return a.digits.startsWith(b.digits);
}

export type CliDecision =
  | { action: 'pass'; cli: string; rule: number | null }
  | { action: 'replace'; cli: string; rule: number }
  | { action: 'reject'; cli: string; rule: null };

/** What happens to a call presenting caller ID cli (a "+" in front is ignored). */
export function applyCliRules(rules: readonly CliRuleLike[], rawCli: string): CliDecision {
  const cli = rawCli.trim().replace(/^\+/, '');
  if (rules.length === 0) return { action: 'pass', cli, rule: null };
  const parsed = rules.map((r) => parseCliPattern(r.pattern));
  const allow = rules.findIndex((r, i) => {
    const p = parsed[i]!;
    return r.kind === 'allow' && !('error' in p) && matches(p, cli);
  });
  if (allow >= 0) return { action: 'pass', cli, rule: allow };
  const forced = rules.findIndex((r, i) => {
    const p = parsed[i]!;
    return r.kind === 'forced' && !('error' in p) && matches(p, cli);
  });
  if (forced >= 0) return { action: 'replace', cli: rules[forced]!.replacement ?? '', rule: forced };
  return { action: 'reject', cli, rule: null };
}

function label(p: CliPattern): string {
  return p.type === 'regex' ? `the regular expression ${p.source}` : formatCliPattern(p);
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Plain-English sentences describing what a company's rules do, in the order they apply. */
export function explainCliRules(rules: readonly CliRuleLike[]): string[] {
  const valid = rules
    .map((r) => ({ rule: r, p: parseCliPattern(r.pattern) }))
    .filter((x): x is { rule: CliRuleLike; p: CliPattern } => !('error' in x.p));
  if (valid.length === 0)
    return ['There are no caller ID rules: every caller ID is passed through unchanged.'];

  const allows = valid.filter((x) => x.rule.kind === 'allow');
  const forced = valid.filter((x) => x.rule.kind === 'forced');
  const out: string[] = [];

  if (allows.some((x) => x.p.type === 'any')) {
    out.push('Every caller ID is allowed and passed through unchanged.');
    if (forced.length > 0)
      out.push('The forced caller ID rules never apply, because an allow rule matches every caller ID.');
    return out;
  }

  const allowed = [...new Set(allows.map((x) => label(x.p)))];
  if (allows.length > 0) {
    out.push(
      forced.length === 0
        ? `Only caller IDs matching ${list(allowed)} are allowed; other calls are rejected.`
        : `Caller IDs matching ${list(allowed)} are allowed and passed through unchanged.`,
    );
  }
  if (forced.length === 0) return out;

  const effective: CliPattern[] = [];
  let catchAll = false;
  for (const { rule, p } of forced) {
    const replacement = rule.replacement ?? '';
    if (effective.some((e) => covers(e, p))) {
      out.push(
        `The forced caller ID ${replacement} for ${label(p)} never applies: an earlier forced rule already covers those calls.`,
      );
      continue;
    }
    const other = allows.length > 0 || effective.length > 0;
    if (p.type === 'any') {
      out.push(
        other
          ? `All other calls are presented with caller ID ${replacement}.`
          : `Calls are presented with caller ID ${replacement}.`,
      );
      catchAll = true;
    } else {
      out.push(
        `${other ? 'Other calls' : 'Calls'} with a caller ID matching ${label(p)} are presented with caller ID ${replacement}.`,
      );
    }
    effective.push(p);
  }
  if (!catchAll) out.push('Calls with any other caller ID are rejected.');
  return out;
}
