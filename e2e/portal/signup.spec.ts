import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { type SmtpCatcher, startSmtpCatcher } from '../../server/test/smtp.ts';
import { consoleLogin, expectAccessible, PORT, url } from '../helpers.ts';

// The Nimbus Voice brand (sign-up on, template with a 5.00 welcome credit) sends its mail to a real SMTP
// listener in this process for the length of the test; its settings are put back afterwards.
let smtp: SmtpCatcher;
let consoleApi: APIRequestContext;
let nimbusId: string;

test.beforeAll(async () => {
  smtp = await startSmtpCatcher();
  const origin = `http://localhost:${PORT}`;
  consoleApi = await request.newContext({ baseURL: origin, extraHTTPHeaders: { origin } });
  const login = await consoleApi.post('/api/v1/auth/login', {
    data: { email: 'admin@demo.test', password: 'demo-admin-pass' },
  });
  expect(login.ok()).toBe(true);
  const domains = await (await consoleApi.get('/api/v1/console/domains?q=voice.localhost')).json();
  nimbusId = domains.items.find((d: { domain: string }) => d.domain === 'voice.localhost').id;
  const patched = await consoleApi.patch(`/api/v1/console/domains/${nimbusId}`, {
    data: { smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'hello@nimbus-voice.test' } },
  });
  expect(patched.ok(), await patched.text()).toBe(true);
});

test.afterAll(async () => {
  await consoleApi.patch(`/api/v1/console/domains/${nimbusId}`, { data: { smtp: { host: null } } });
  await consoleApi.dispose();
  await smtp.close();
});

test('a newcomer signs up, confirms the address from the mail, signs in and sees the welcome credit', async ({
  page,
}) => {
  const email = `newcomer${Date.now()}@example.test`;
  const password = 'violet harbour lantern 7';

  await page.goto(url('voice.localhost', '/login'));
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible();
  await page.getByLabel('Company name').fill('Newcomer Telecom <b>Ltd</b>');
  await page.getByLabel('Your name').fill('Nora Newcomer');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Phone').fill('+44 20 7946 0123');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByLabel('Currency').selectOption('EUR');
  await expectAccessible(page);

  // The server refuses forms sent quicker than a person could fill them in: submit until it accepts.
  await expect(async () => {
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText(email)).toBeVisible();

  const mail = await smtp.waitFor((m) => m.to === email);
  expect(mail.subject).toContain('Nimbus Voice');
  expect(mail.headerFrom).toContain('hello@nimbus-voice.test');
  const link = /https?:\/\/\S+\/signup\/verify\?token=\S+/.exec(mail.text)?.[0];
  expect(link).toBeTruthy();
  expect(new URL(link!).host).toBe(`voice.localhost:${PORT}`);

  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'Email address confirmed' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const balance = page.locator('.portal-balance-current');
  await expect(balance).toContainText('5.00');
  await expect(balance).toContainText('€');

  // The template's contract is waiting for approval by typed name and "I agree".
  await page.getByRole('link', { name: 'Contracts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contracts' })).toBeVisible();
  await expect(page.getByText('One required contract waits for your approval.')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Type your full name to sign').fill('Nora Newcomer');
  await page.getByLabel(/I agree/).check();
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText(/Approved on .* by Nora Newcomer/)).toBeVisible();

  // The link was single-use.
  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'This link does not work' })).toBeVisible();
});

test('the operator reviews sign-ups and the template’s alert, package and contract in the Control Panel', async ({
  page,
}) => {
  await consoleLogin(page);
  await page.getByRole('link', { name: 'Sign-ups' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign-ups' })).toBeVisible();
  await page.getByText('All', { exact: true }).click();
  await expect(page.getByRole('table', { name: 'Sign-ups' })).toContainText('Newcomer Telecom <b>Ltd</b>');
  await expect(page.getByRole('table', { name: 'Sign-ups' })).toContainText('Confirmed');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Alerts' }).click();
  await expect(page.getByRole('table', { name: 'Alerts' })).toContainText('Nimbus sign-up template');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Packages' }).click();
  await page.getByRole('link', { name: 'Nimbus Starter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nimbus Starter' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Assignments' })).toContainText('Nimbus sign-up template');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Contracts' }).click();
  await page.getByRole('link', { name: 'Nimbus Voice terms of service' }).click();
  const assignments = page.getByRole('table', { name: 'Assignments' });
  await expect(assignments).toContainText('Newcomer Telecom <b>Ltd</b>');
  await expect(assignments).toContainText('by Nora Newcomer');
  await expectAccessible(page);
});
