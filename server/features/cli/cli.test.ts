import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildOperator,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../../test/harness.ts';

let t: TestApp;
let op: TenantFixture;
beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
});
afterAll(() => t.close());

const rulesOf = (companyId: string) => `/api/v1/console/companies/${companyId}/cli-rules`;

describe(`CLI rules (${ENGINE})`, () => {
  it('adds, lists with an explanation, changes and removes rules, auditing each change', async () => {
    const co = await buildCompany(op);
    const url = rulesOf(co.id);
    const empty = (await op.console.get(url)).json();
    expect(empty).toEqual({
      items: [],
      total: 0,
      page: 1,
      page_size: 25,
      explanation: ['There are no caller ID rules: every caller ID is passed through unchanged.'],
    });

    const f = await op.console.post(url, { kind: 'forced', pattern: '*', replacement: '+44 20 7123 4567' });
    expect(f.statusCode, f.body).toBe(201);
    expect(f.json()).toMatchObject({
      company_id: co.id,
      kind: 'forced',
      pattern: '*',
      replacement: '442071234567',
    });
    expect((await op.console.get(url)).json().explanation).toEqual([
      'Calls are presented with caller ID 442071234567.',
    ]);

    const a = await op.console.post(url, { kind: 'allow', pattern: '+44*', replacement: '123456' });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ kind: 'allow', pattern: '44*', replacement: '' });
    const re = await op.console.post(url, { kind: 'allow', pattern: '^1[2-9]\\d{9}$' });
    expect(re.statusCode, re.body).toBe(201);

    const list = (await op.console.get(url)).json();
    expect(list.total).toBe(3);
    expect(list.items.map((r: { pattern: string }) => r.pattern)).toEqual(['*', '44*', '^1[2-9]\\d{9}$']);
    expect(list.explanation).toEqual([
      'Caller IDs matching 44* or the regular expression ^1[2-9]\\d{9}$ are allowed and passed through unchanged.',
      'All other calls are presented with caller ID 442071234567.',
    ]);
    const page = (await op.console.get(`${url}?page_size=1&page=2`)).json();
    expect(page.items.map((r: { id: string }) => r.id)).toEqual([a.json().id]);
    expect(page.explanation).toEqual(list.explanation);
    expect((await op.console.get(`${url}?q=44`)).json().total).toBe(2);

    const toAllow = await op.console.patch(`${url}/${f.json().id}`, { kind: 'allow', pattern: '33*' });
    expect(toAllow.statusCode, toAllow.body).toBe(200);
    expect(toAllow.json()).toMatchObject({ kind: 'allow', pattern: '33*', replacement: '' });
    const back = await op.console.patch(`${url}/${f.json().id}`, { kind: 'forced' });
    expect(back.json()).toMatchObject({ error: 'replacement_required', field: 'replacement' });
    const forcedAgain = await op.console.patch(`${url}/${f.json().id}`, {
      kind: 'forced',
      replacement: '15550100',
    });
    expect(forcedAgain.json()).toMatchObject({ kind: 'forced', pattern: '33*', replacement: '15550100' });

    expect((await op.console.del(`${url}/${re.json().id}`)).statusCode).toBe(204);
    expect((await op.console.del(`${url}/${re.json().id}`)).statusCode).toBe(404);
    expect((await op.console.get(url)).json().total).toBe(2);

    const log = (
      await op.console.get(`/api/v1/console/audit?entity_type=cli_rule&entity_id=${f.json().id}`)
    ).json();
    expect(log.items.map((e: { action: string }) => e.action)).toEqual([
      'cli_rule.update',
      'cli_rule.update',
      'cli_rule.create',
    ]);
    expect(log.items[1]).toMatchObject({
      before: { kind: 'forced', pattern: '*', replacement: '442071234567' },
      after: { kind: 'allow', pattern: '33*', replacement: '' },
    });
  });

  it('refuses bad patterns, missing replacements and duplicates, changing nothing', async () => {
    const co = await buildCompany(op);
    const url = rulesOf(co.id);
    const rule = (await op.console.post(url, { kind: 'allow', pattern: '44*' })).json();
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ kind: 'allow', pattern: '4*4' }, 400, 'invalid_pattern', 'pattern'],
      [{ kind: 'allow', pattern: 'abc' }, 400, 'invalid_pattern', 'pattern'],
      [{ kind: 'allow', pattern: '^(44' }, 400, 'invalid_pattern', 'pattern'],
      [{ kind: 'forced', pattern: '*' }, 400, 'replacement_required', 'replacement'],
      [{ kind: 'forced', pattern: '*', replacement: 'anonymous' }, 400, 'invalid_replacement', 'replacement'],
      [{ kind: 'allow', pattern: '+44*' }, 409, 'duplicate_rule', 'pattern'],
      [{ kind: 'block', pattern: '44*' }, 400, 'invalid_request', 'kind'],
      [{ kind: 'allow', pattern: 'x'.repeat(65) }, 400, 'invalid_request', 'pattern'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await op.console.post(url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json(), JSON.stringify(body)).toMatchObject({ error: code, field });
    }
    const bad = await op.console.patch(`${url}/${rule.id}`, { pattern: '^[' });
    expect(bad.statusCode).toBe(400);
    const list = (await op.console.get(url)).json();
    expect(list.items).toEqual([rule]);
    const log = (await op.console.get('/api/v1/console/audit?entity_type=cli_rule')).json();
    expect(log.items.filter((e: { entity_id: string }) => e.entity_id === rule.id)).toHaveLength(1);

    const other = await buildCompany(op);
    expect((await op.console.patch(`${rulesOf(other.id)}/${rule.id}`, { pattern: '1*' })).statusCode).toBe(
      404,
    );
    expect((await op.console.get(rulesOf('00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
  });
});
