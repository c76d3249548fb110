import { expect, test } from '@playwright/test';
import { consoleLogin, portalLogin } from '../helpers.ts';

// Runs after the portal specs: it changes the Nimbus Voice brand of the shared demo.
test('the operator renames a brand, changes its CSS and hides a feature; the portal shows it after reload', async ({
  browser,
}) => {
  const customer = await browser.newPage();
  await portalLogin(customer, 'voice.localhost', 'bob@globex.test', 'demo-bob-pass');
  await expect(customer).toHaveTitle(/Nimbus Voice/);
  await expect(customer.locator('.portal-balance')).toBeVisible();

  const operator = await browser.newPage();
  await consoleLogin(operator);
  await operator.getByRole('link', { name: 'Domains' }).click();
  await operator.getByRole('link', { name: 'voice.localhost' }).first().click();
  await expect(operator.getByLabel('Brand name')).toHaveValue('Nimbus Voice');
  await operator.getByLabel('Brand name').fill('Nimbus Cloud Voice');
  await operator.getByRole('tab', { name: 'Appearance' }).click();
  await operator
    .getByLabel('Custom CSS')
    .fill(':root { --portal-header-bg: rgb(0, 100, 0); --portal-header-text: #ffffff; }');
  await operator.getByRole('tab', { name: 'Features' }).click();
  await operator.getByRole('checkbox', { name: 'Balance', exact: true }).uncheck();
  await operator.getByRole('button', { name: 'Save changes' }).click();
  await expect(operator.getByText(/saved/i).first()).toBeVisible();

  await customer.reload();
  await expect(customer).toHaveTitle(/Nimbus Cloud Voice/);
  await expect(customer.locator('.portal-brand-name').first()).toContainText('Nimbus Cloud Voice');
  await expect(customer.locator('.portal-header')).toHaveCSS('background-color', 'rgb(0, 100, 0)');
  await expect(customer.locator('.portal-balance')).toHaveCount(0);
  const status = await customer.evaluate(() => fetch('/api/v1/portal/balance').then((r) => r.status));
  expect(status).toBe(403);
});
