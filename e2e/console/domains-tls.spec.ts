import { expect, test } from '@playwright/test';
import { consoleLogin, expectAccessible, url } from '../helpers.ts';

test('a new custom domain shows the record to create, what DNS answered, the timeline and “Check now”', async ({
  page,
}) => {
  await consoleLogin(page);
  const origin = url('localhost', '');
  const res = await page.request.post(url('localhost', '/api/v1/console/domains'), {
    data: { domain: `portal.e2e-${Date.now()}.test`, brand_name: 'E2E Custom' },
    headers: { origin },
  });
  expect(res.status()).toBe(201);
  const domain = (await res.json()) as { id: string; domain: string };
  await page.goto(url('localhost', `/domains/${domain.id}?tab=deployment`));
  await expect(page.getByRole('heading', { name: 'DNS record to create' })).toBeVisible();
  await expect(page.getByRole('cell', { name: domain.domain, exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'CNAME', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What DNS answered' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Certificate' })).toBeVisible();
  await expect(page.getByText('No certificate yet.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Added portal\.e2e-/ })).toBeVisible();
  await page.getByRole('button', { name: 'Check now' }).click();
  await expect(page.getByText(/is being checked now|try again in/)).toBeVisible();
  await expectAccessible(page);

  // The list shows the state badge.
  await page.goto(url('localhost', '/domains'));
  await expect(
    page.getByRole('row', { name: new RegExp(domain.domain.replace(/\./g, '\\.')) }),
  ).toContainText(/pending DNS|failed/);
});
