import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { type SmtpCatcher, startSmtpCatcher } from '../../server/test/smtp.ts';
import { consoleLogin, expectAccessible, PORT, portalLogin, url } from '../helpers.ts';

// A brand of its own for this spec, whose mail goes to a real SMTP listener in this process.
const host = `security${Date.now()}.localhost`;
const email = `sam${Date.now()}@example.test`;
let password = 'first-password-123';
let smtp: SmtpCatcher;
let consoleApi: APIRequestContext;
let companyId: string;
let contactId: string;

test.beforeAll(async () => {
  smtp = await startSmtpCatcher();
  const origin = `http://localhost:${PORT}`;
  consoleApi = await request.newContext({ baseURL: origin, extraHTTPHeaders: { origin } });
  const login = await consoleApi.post('/api/v1/auth/login', {
    data: { email: 'admin@demo.test', password: 'demo-admin-pass' },
  });
  expect(login.ok()).toBe(true);
  const domain = await consoleApi.post('/api/v1/console/domains', {
    data: {
      domain: host,
      brand_name: 'Secure Voice',
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'hello@secure-voice.test' },
    },
  });
  expect(domain.ok(), await domain.text()).toBe(true);
  const company = await consoleApi.post('/api/v1/console/companies', {
    data: { type: 'customer', name: 'Secure Co', currency: 'USD', domain_id: (await domain.json()).id },
  });
  expect(company.ok(), await company.text()).toBe(true);
  companyId = (await company.json()).id;
  const contact = await consoleApi.post(`/api/v1/console/companies/${companyId}/contacts`, {
    data: { name: 'Sam Secure', email, password },
  });
  expect(contact.ok(), await contact.text()).toBe(true);
  contactId = (await contact.json()).id;
});

test.afterAll(async () => {
  await consoleApi.dispose();
  await smtp.close();
});

test('forgot password: the mailed link sets a new password, then sign-in works with it', async ({ page }) => {
  await page.goto(url(host, '/login'));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account exists for this email');

  const mail = await smtp.waitFor((m) => m.to === email && /reset your password/.test(m.subject));
  expect(mail.subject).toContain('Secure Voice');
  expect(mail.headerFrom).toContain('hello@secure-voice.test');
  const link = /http:\/\/\S+\/reset-password#token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  expect(link).toBeTruthy();
  expect(new URL(link!).host).toBe(`${host}:${PORT}`);

  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  await expectAccessible(page);
  password = 'second-password-456';
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is set');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // The same link does not work twice.
  await page.goto(link!);
  await page.getByLabel('New password').fill('third-password-789');
  await page.getByLabel('Repeat the password').fill('third-password-789');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.locator('.portal-form-error')).toContainText('invalid');
});

test('profile, then two-factor sign-in: enrol from the QR page and sign in with a code', async ({ page }) => {
  await portalLogin(page, host, email, password);
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await page.getByLabel('Phone').fill('+1 555 0100');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Your details are saved.')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Security' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  await expect(page.getByRole('table')).toContainText('This session');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await page.locator('.portal-secret').textContent())!.trim();
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  await page.getByLabel('Code', { exact: true }).fill(totp.generate());
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'I saved them' }).click();
  await expect(page.getByText('Two-factor sign-in is')).toContainText('on');

  await page.getByRole('button', { name: /Sam Secure/ }).click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  // A fresh visit to the home page (the sign-in page would otherwise return to Security).
  await page.goto(url(host, '/'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Two-factor sign-in' })).toBeVisible();
  await expectAccessible(page);
  // The enrolment used the current step; the next one is accepted too (one step of drift).
  await page
    .getByLabel('Code from your authenticator app')
    .fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
});

test('log in as from the Control Panel shows the banner and ends cleanly', async ({ page }) => {
  const res = await consoleApi.post(`/api/v1/console/companies/${companyId}/contacts/${contactId}/login-as`);
  expect(res.ok(), await res.text()).toBe(true);
  const { url: link } = await res.json();
  expect(new URL(link).host).toBe(`${host}:${PORT}`);
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const banner = page.getByRole('region', { name: 'Signed in from the Control Panel' });
  await expect(banner).toContainText('Signed in by admin@demo.test as Sam Secure');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Security' }).click();
  await expect(page.getByText('cannot be changed in a session opened from the Control Panel')).toBeVisible();
  await banner.getByRole('button', { name: 'End this session' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  const audit = await (await consoleApi.get('/api/v1/console/audit?entity_type=contact')).json();
  expect(audit.items.map((e: { action: string }) => e.action)).toContain('contact.log_in_as');
});

test('the Control Panel shows the sent mail and edits the contact’s allowed addresses', async ({ page }) => {
  await consoleLogin(page);
  await page.getByRole('link', { name: 'Outgoing mail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Outgoing mail' })).toBeVisible();
  await page.getByLabel('Search').fill(email);
  const row = page.getByRole('row', { name: new RegExp(email.replace(/[.]/g, '\\.')) }).first();
  await expect(row).toContainText('Password reset');
  await expect(row).toContainText('Sent');
  await expectAccessible(page);

  await page.goto(url('localhost', `/companies/${companyId}`));
  await page.getByRole('tab', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'Sign-in security of Sam Secure' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('On (the contact enrolled an authenticator app).')).toBeVisible();
  await dialog.getByLabel('Allowed addresses').fill('not an address');
  await dialog.getByRole('button', { name: 'Save addresses' }).click();
  await expect(dialog.getByText('is not an IP address or a CIDR range')).toBeVisible();
  await dialog.getByLabel('Allowed addresses').fill('192.0.2.0/24\n127.0.0.1');
  await dialog.getByRole('button', { name: 'Save addresses' }).click();
  await expect(page.getByText('Allowed addresses saved')).toBeVisible();
  await expectAccessible(page);
  const security = await (
    await consoleApi.get(`/api/v1/console/companies/${companyId}/contacts/${contactId}/security`)
  ).json();
  expect(security.ip_allow).toEqual(['192.0.2.0/24', '127.0.0.1/32']);
});
