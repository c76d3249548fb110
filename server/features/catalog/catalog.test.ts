import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/db.ts';
import { ENGINE } from '../../test/db.ts';
import {
  buildCompany,
  buildContact,
  buildDomain,
  buildOperator,
  startTestApp,
  type TenantFixture,
  type TestApp,
} from '../../test/harness.ts';

let t: TestApp;
let op: TenantFixture;
const C = '/api/v1/console';

beforeAll(async () => {
  t = await startTestApp();
  op = await buildOperator(t);
});
afterAll(() => t.close());

describe(`alerts, packages and contracts in the console (${ENGINE})`, () => {
  it('creates, lists, filters, changes and deletes alerts', async () => {
    const a = await buildCompany(op, { name: 'Alert Co A' });
    const b = await buildCompany(op, { name: 'Alert Co B' });
    const created = await op.console.post(`${C}/alerts`, {
      company_id: a.id,
      title: 'Low ASR',
      area: 'asr',
      comparator: '<',
      threshold: '30',
      reset_threshold: '31',
      sample_minutes: 30,
      recipient: 'NOC@Example.test',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      title: 'Low ASR',
      threshold: '30.0000',
      reset_threshold: '31.0000',
      recipient: 'noc@example.test',
      notice_level: 'warning',
      enabled: true,
    });
    await op.console.post(`${C}/alerts`, {
      company_id: b.id,
      title: 'Balance',
      area: 'balance',
      comparator: '<',
      threshold: '5',
    });
    const dup = await op.console.post(`${C}/alerts`, {
      company_id: a.id,
      title: 'Low ASR',
      area: 'asr',
      comparator: '<',
      threshold: '20',
    });
    expect(dup.statusCode).toBe(409);
    const bad = await op.console.post(`${C}/alerts`, {
      company_id: a.id,
      title: 'X',
      area: 'mood',
      comparator: '<',
      threshold: '1',
    });
    expect(bad.statusCode).toBe(400);
    const unknownCompany = await op.console.post(`${C}/alerts`, {
      company_id: '00000000-0000-4000-8000-000000000000',
      title: 'X',
      area: 'asr',
      comparator: '<',
      threshold: '1',
    });
    expect(unknownCompany.json().error).toBe('invalid_company');

    const listA = (await op.console.get(`${C}/alerts?company_id=${a.id}`)).json();
    expect(listA.items.map((x: { title: string }) => x.title)).toEqual(['Low ASR']);
    const search = (await op.console.get(`${C}/alerts?q=alert%20co%20b&page_size=1`)).json();
    expect(search).toMatchObject({ total: 1, page_size: 1 });
    expect(search.items[0].company_name).toBe('Alert Co B');

    const id = created.json().id;
    const patched = await op.console.patch(`${C}/alerts/${id}`, {
      threshold: '25',
      reset_threshold: null,
      enabled: false,
    });
    expect(patched.json()).toMatchObject({ threshold: '25.0000', reset_threshold: null, enabled: false });
    expect((await op.console.del(`${C}/alerts/${id}`)).statusCode).toBe(204);
    expect((await op.console.get(`${C}/alerts/${id}`)).statusCode).toBe(404);
    const audit = (await op.console.get(`${C}/audit`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['alert.create', 'alert.update', 'alert.delete']),
    );
  });

  it('manages packages and their assignments, refusing to delete an assigned package', async () => {
    const co = await buildCompany(op, { name: 'Package Co' });
    const res = await op.console.post(`${C}/packages`, {
      name: 'Free UK minutes',
      currency: 'usd',
      type: 'free_minutes',
      retail: '9.99',
      setup_retail: '1',
      frequency: 'monthly',
      frequency_match: [31, 15, 15],
      destination_regex: '^44',
      free_minutes: 500,
    });
    expect(res.statusCode, res.body).toBe(201);
    const pkg = res.json();
    expect(pkg).toMatchObject({
      currency: 'USD',
      retail: '9.9900',
      frequency_match: [15, 31],
      free_minutes: 500,
    });
    expect(
      (await op.console.post(`${C}/packages`, { name: 'FREE UK MINUTES', currency: 'USD' })).statusCode,
    ).toBe(409);
    const badRegex = await op.console.post(`${C}/packages`, {
      name: 'R',
      currency: 'USD',
      destination_regex: '(',
    });
    expect(badRegex.json().error).toBe('invalid_regex');
    const weekly = await op.console.patch(`${C}/packages/${pkg.id}`, { frequency: 'weekly' });
    expect(weekly.json().error).toBe('invalid_frequency_match');

    const assigned = await op.console.post(`${C}/companies/${co.id}/packages`, {
      package_id: pkg.id,
      quantity: 2,
      start_date: '2026-01-01',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect(assigned.json()).toMatchObject({
      quantity: 2,
      start_date: '2026-01-01',
      end_date: null,
      package_name: 'Free UK minutes',
    });
    const badEnd = await op.console.patch(`${C}/companies/${co.id}/packages/${assigned.json().id}`, {
      end_date: '2025-12-31',
    });
    expect(badEnd.json().error).toBe('invalid_dates');
    const ended = await op.console.patch(`${C}/companies/${co.id}/packages/${assigned.json().id}`, {
      end_date: '2026-06-30',
    });
    expect(ended.json()).toMatchObject({ end_date: '2026-06-30', quantity: 2 });
    expect((await op.console.get(`${C}/companies/${co.id}/packages`)).json().items).toHaveLength(1);
    expect((await op.console.get(`${C}/packages/${pkg.id}/assignments`)).json().items[0].company_name).toBe(
      'Package Co',
    );
    const list = (await op.console.get(`${C}/packages?q=free`)).json();
    expect(list.items[0]).toMatchObject({ name: 'Free UK minutes', assignments: 1 });

    const inUse = await op.console.del(`${C}/packages/${pkg.id}`);
    expect(inUse.statusCode).toBe(409);
    expect((await op.console.del(`${C}/companies/${co.id}/packages/${assigned.json().id}`)).statusCode).toBe(
      204,
    );
    expect((await op.console.del(`${C}/packages/${pkg.id}`)).statusCode).toBe(204);
  });

  it('keeps contract revisions immutable; an assignment moves to a new revision only on request, unapproved', async () => {
    const d = await buildDomain(op, { features: { balance: true } });
    const co = await buildCompany(op, { name: 'Contract Co', domain_id: d.id });
    const res = await op.console.post(`${C}/contracts`, { name: 'Master agreement', body: 'Text one' });
    expect(res.statusCode, res.body).toBe(201);
    const contract = res.json();
    expect(contract).toMatchObject({ latest_revision: 1, assignments: 0 });
    const grace = '2030-01-01T00:00:00.000Z';
    const assigned = await op.console.post(`${C}/companies/${co.id}/contracts`, {
      contract_id: contract.id,
      grace_date: grace,
      required: true,
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect(assigned.json()).toMatchObject({
      revision: 1,
      grace_date: grace,
      required: true,
      approved_at: null,
    });
    const again = await op.console.post(`${C}/companies/${co.id}/contracts`, { contract_id: contract.id });
    expect(again.statusCode).toBe(409);

    // The contact approves revision 1 in the portal.
    const contact = await buildContact(t, op, co.id, d.domain);
    await contact.login();
    const portalList = (await contact.portal.get('/api/v1/portal/contracts')).json();
    expect(portalList).toMatchObject({ pending_required: 1 });
    expect(portalList.items[0]).toMatchObject({
      name: 'Master agreement',
      body: 'Text one',
      approved_at: null,
    });
    const aid = portalList.items[0].id;
    const noAgree = await contact.portal.post(`/api/v1/portal/contracts/${aid}/approve`, {
      name: 'Test Contact',
      agree: false,
    });
    expect(noAgree.json().error).toBe('agreement_required');
    const noName = await contact.portal.post(`/api/v1/portal/contracts/${aid}/approve`, {
      name: '  ',
      agree: true,
    });
    expect(noName.json().error).toBe('name_required');
    const approved = await contact.portal.post(`/api/v1/portal/contracts/${aid}/approve`, {
      name: ' Test   Contact ',
      agree: true,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      approved_by_name: 'Test Contact',
      approved_at: expect.any(String),
    });
    expect(
      (await contact.portal.post(`/api/v1/portal/contracts/${aid}/approve`, { name: 'X', agree: true }))
        .statusCode,
    ).toBe(409);
    const [rec] = await withTenant(t.deps.db, op.operatorId, (tx) =>
      tx.query<{ approved_by_contact_id: string }>(
        'SELECT approved_by_contact_id FROM contract_assignments WHERE id = $1',
        [aid],
      ),
    );
    expect(rec!.approved_by_contact_id).toBe(contact.contact.id);

    const rev = await op.console.post(`${C}/contracts/${contract.id}/revisions`, { body: 'Text two' });
    expect(rev.statusCode, rev.body).toBe(201);
    expect(rev.json().revision).toBe(2);
    const full = (await op.console.get(`${C}/contracts/${contract.id}`)).json();
    expect(full.revisions.map((r: { revision: number; body: string }) => [r.revision, r.body])).toEqual([
      [2, 'Text two'],
      [1, 'Text one'],
    ]);
    // Still approved on revision 1 until the operator moves it.
    const before = (await op.console.get(`${C}/companies/${co.id}/contracts`)).json().items[0];
    expect(before).toMatchObject({ revision: 1, latest_revision: 2, approved_by_name: 'Test Contact' });
    const moved = await op.console.patch(`${C}/companies/${co.id}/contracts/${before.id}`, {
      latest_revision: true,
    });
    expect(moved.json()).toMatchObject({
      revision: 2,
      approved_at: null,
      approved_by_name: null,
      grace_date: grace,
    });
    expect((await contact.portal.get('/api/v1/portal/contracts')).json().items[0]).toMatchObject({
      body: 'Text two',
      approved_at: null,
    });

    // The application role cannot change or delete a revision.
    await expect(
      withTenant(t.deps.db, op.operatorId, (tx) =>
        tx.query("UPDATE contract_revisions SET body = 'tampered' WHERE contract_id = $1", [contract.id]),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withTenant(t.deps.db, op.operatorId, (tx) =>
        tx.query('DELETE FROM contract_revisions WHERE contract_id = $1', [contract.id]),
      ),
    ).rejects.toThrow(/permission denied/);

    expect((await op.console.del(`${C}/contracts/${contract.id}`)).statusCode).toBe(409);
    expect((await op.console.del(`${C}/companies/${co.id}/contracts/${before.id}`)).statusCode).toBe(204);
    expect((await op.console.patch(`${C}/contracts/${contract.id}`, { name: 'Renamed' })).json().name).toBe(
      'Renamed',
    );
    expect((await op.console.del(`${C}/contracts/${contract.id}`)).statusCode).toBe(204);
    expect((await op.console.get(`${C}/contracts/${contract.id}`)).statusCode).toBe(404);
  });

  it('shows a contact only its own company’s contracts', async () => {
    const d = await buildDomain(op, { features: { balance: true } });
    const mine = await buildCompany(op, { domain_id: d.id });
    const theirs = await buildCompany(op, { domain_id: d.id });
    const k = (await op.console.post(`${C}/contracts`, { name: 'Private terms', body: 'Secret' })).json();
    const theirAssignment = (
      await op.console.post(`${C}/companies/${theirs.id}/contracts`, { contract_id: k.id })
    ).json();
    const contact = await buildContact(t, op, mine.id, d.domain);
    await contact.login();
    const list = await contact.portal.get('/api/v1/portal/contracts');
    expect(list.json()).toEqual({ items: [], pending_required: 0 });
    const steal = await contact.portal.post(`/api/v1/portal/contracts/${theirAssignment.id}/approve`, {
      name: 'Mallory',
      agree: true,
    });
    expect(steal.statusCode).toBe(404);
  });
});
