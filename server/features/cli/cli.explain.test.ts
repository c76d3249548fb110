import { describe, expect, it } from 'vitest';
import { applyCliRules, type CliRuleLike, explainCliRules, parseCliPattern } from './cli.explain.ts';

const forced = (pattern: string, replacement: string): CliRuleLike => ({
  kind: 'forced',
  pattern,
  replacement,
});
const allow = (pattern: string): CliRuleLike => ({ kind: 'allow', pattern });

describe('CLI patterns', () => {
  it('parses wildcards, exact numbers and regular expressions', () => {
    expect(parseCliPattern('*')).toEqual({ type: 'any' });
    expect(parseCliPattern('+44*')).toEqual({ type: 'prefix', digits: '44' });
    expect(parseCliPattern('442071234567')).toEqual({ type: 'exact', digits: '442071234567' });
    expect(parseCliPattern('^1[2-9]\\d{9}$')).toMatchObject({ type: 'regex', source: '^1[2-9]\\d{9}$' });
    for (const bad of ['4*4', '44**', 'abc', '', '^(', '^[a-', `${'1'.repeat(33)}*`]) {
      expect(parseCliPattern(bad), bad).toHaveProperty('error');
    }
  });
});

describe('CLI rule evaluation', () => {
  it('passes everything without rules, then allows, replaces or rejects', () => {
    expect(applyCliRules([], '+15550100')).toEqual({ action: 'pass', cli: '15550100', rule: null });
    const rules = [allow('44*'), forced('1*', '15550001111'), forced('*', '442070000000'), allow('^33\\d+$')];
    expect(applyCliRules(rules, '442071234567')).toEqual({ action: 'pass', cli: '442071234567', rule: 0 });
    expect(applyCliRules(rules, '33123456')).toEqual({ action: 'pass', cli: '33123456', rule: 3 });
    expect(applyCliRules(rules, '12125550000')).toEqual({ action: 'replace', cli: '15550001111', rule: 1 });
    expect(applyCliRules(rules, '4915100000')).toEqual({ action: 'replace', cli: '442070000000', rule: 2 });
    expect(applyCliRules([allow('44*')], '4915100000')).toEqual({
      action: 'reject',
      cli: '4915100000',
      rule: null,
    });
    expect(applyCliRules([allow('442071234567')], '4420712345678').action).toBe('reject');
  });
});

describe('explainCliRules', () => {
  it('explains no rules', () => {
    expect(explainCliRules([])).toEqual([
      'There are no caller ID rules: every caller ID is passed through unchanged.',
    ]);
  });

  it('explains a single forced caller ID', () => {
    expect(explainCliRules([forced('*', '442071234567')])).toEqual([
      'Calls are presented with caller ID 442071234567.',
    ]);
  });

  it('explains an allow list', () => {
    expect(explainCliRules([allow('44*')])).toEqual([
      'Only caller IDs matching 44* are allowed; other calls are rejected.',
    ]);
    expect(explainCliRules([allow('44*'), allow('1212*'), allow('^33\\d+$'), allow('44*')])).toEqual([
      'Only caller IDs matching 44*, 1212* or the regular expression ^33\\d+$ are allowed; other calls are rejected.',
    ]);
  });

  it('explains an allow list with a fallback forced caller ID', () => {
    expect(explainCliRules([forced('*', '442071234567'), allow('44*')])).toEqual([
      'Caller IDs matching 44* are allowed and passed through unchanged.',
      'All other calls are presented with caller ID 442071234567.',
    ]);
  });

  it('explains forced rules per pattern, the rejection of the rest, and rules that never apply', () => {
    expect(
      explainCliRules([
        forced('1*', '15550001111'),
        forced('12*', '15550002222'),
        forced('44*', '442070000000'),
        forced('1*', '15550003333'),
      ]),
    ).toEqual([
      'Calls with a caller ID matching 1* are presented with caller ID 15550001111.',
      'The forced caller ID 15550002222 for 12* never applies: an earlier forced rule already covers those calls.',
      'Other calls with a caller ID matching 44* are presented with caller ID 442070000000.',
      'The forced caller ID 15550003333 for 1* never applies: an earlier forced rule already covers those calls.',
      'Calls with any other caller ID are rejected.',
    ]);
  });

  it('explains an allow-everything rule', () => {
    expect(explainCliRules([allow('*'), forced('*', '15550001111')])).toEqual([
      'Every caller ID is allowed and passed through unchanged.',
      'The forced caller ID rules never apply, because an allow rule matches every caller ID.',
    ]);
  });

  it('agrees with the evaluation', () => {
    const rules = [forced('44*', '442070000000'), allow('1*')];
    expect(explainCliRules(rules)).toEqual([
      'Caller IDs matching 1* are allowed and passed through unchanged.',
      'Other calls with a caller ID matching 44* are presented with caller ID 442070000000.',
      'Calls with any other caller ID are rejected.',
    ]);
    expect(applyCliRules(rules, '15551234').action).toBe('pass');
    expect(applyCliRules(rules, '4479000000').action).toBe('replace');
    expect(applyCliRules(rules, '3312345').action).toBe('reject');
  });
});
