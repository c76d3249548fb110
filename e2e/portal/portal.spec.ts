import { expect, test } from '@playwright/test';
import { expectAccessible, portalLogin, url } from '../helpers.ts';

test('each brand shows its own name, logo and footer on the login page, accessibly', async ({ page }) => {
  await page.goto(url('portal.localhost', '/login'));
  await expect(page).toHaveTitle(/Demo Telecom/);
  await expect(page.getByRole('img', { name: 'Demo Telecom' })).toBeVisible();
  await expect(page.getByText('© 2026 Demo Telecom Ltd')).toBeVisible();
  await expectAccessible(page);

  await page.goto(url('voice.localhost', '/login'));
  await expect(page).toHaveTitle(/Nimbus Voice/);
  await expect(page.getByText('Nimbus Voice — voice in the cloud')).toBeVisible();
  await expectAccessible(page);
});

test('a customer signs in and sees the balance on the dashboard', async ({ page }) => {
  await portalLogin(page, 'portal.localhost', 'alice@acme.test', 'demo-alice-pass');
  // Live demo traffic moves the balance, so check the figures' form and the fixed debit limit.
  const balance = page.locator('.portal-balance');
  await expect(balance).toContainText(/Current balance\s*-?\$-?[\d,]+\.\d{2}/);
  await expect(balance).toContainText('$50.00');
  await expect(balance).toContainText(/Available credit\s*-?\$-?[\d,]+\.\d{2}/);
  await expectAccessible(page);
});

test('a wrong password is refused with a message and a customer cannot sign in on another brand', async ({
  page,
}) => {
  await page.goto(url('portal.localhost', '/login'));
  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The email or password is not correct')).toBeVisible();

  await page.goto(url('voice.localhost', '/login'));
  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill('demo-alice-pass');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The email or password is not correct')).toBeVisible();
});

test('the dashboard is usable on a phone-sized screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await portalLogin(page, 'voice.localhost', 'bob@globex.test', 'demo-bob-pass');
  await expect(page.locator('.portal-balance')).toContainText(/Current balance\s*-?€-?[\d,]+\.\d{2}/);
  await expectAccessible(page);
});
