import { expect, test } from '@playwright/test';
import { consoleLogin, expectAccessible, url } from '../helpers.ts';

test('the Control Panel login page is accessible', async ({ page }) => {
  await page.goto(url('localhost', '/login'));
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);
});

test('the operator sees why a feature is on or off for a company', async ({ page }) => {
  await consoleLogin(page);
  await page.getByRole('link', { name: 'Companies' }).click();
  await page.getByRole('link', { name: 'Umbrella Networks' }).click();
  await page.getByRole('tab', { name: 'Feature access' }).click();
  await expect(page.getByRole('row', { name: /Vouchers/ })).toContainText(/Show/);
  await expectAccessible(page);
});
