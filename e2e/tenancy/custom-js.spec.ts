import { expect, test } from '@playwright/test';
import { consoleLogin, url } from '../helpers.ts';

test('a brand’s custom JavaScript runs on its own portal pages only', async ({ page }) => {
  await consoleLogin(page);
  await page.getByRole('link', { name: 'Domains' }).click();
  await page.getByRole('link', { name: 'portal.localhost' }).first().click();
  await page.getByRole('tab', { name: 'Appearance' }).click();
  await page
    .getByLabel('Custom JavaScript')
    .fill("document.documentElement.setAttribute('data-brand-script', 'demo-telecom');");
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(/saved/i).first()).toBeVisible();

  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await page.goto(url('portal.localhost', '/login'));
  await expect(page.locator('html')).toHaveAttribute('data-brand-script', 'demo-telecom');

  await page.goto(url('voice.localhost', '/login'));
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('html')).not.toHaveAttribute('data-brand-script', /.*/);

  await page.goto(url('localhost', '/'));
  await expect(page.getByRole('link', { name: 'Domains' })).toBeVisible();
  await expect(page.locator('html')).not.toHaveAttribute('data-brand-script', /.*/);
  const consoleHtml = await (await page.request.get(url('localhost', '/'))).text();
  expect(consoleHtml).not.toContain('custom.js');
  expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
});
