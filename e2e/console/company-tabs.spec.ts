import { expect, type Page, test } from '@playwright/test';
import { consoleLogin, expectAccessible } from '../helpers.ts';

const dialog = (page: Page) => page.getByRole('dialog');

async function newCompany(page: Page, name: string) {
  await consoleLogin(page);
  await page.getByRole('link', { name: 'Companies' }).click();
  await page.getByRole('button', { name: 'Add company' }).first().click();
  await dialog(page).getByLabel('Name').fill(name);
  await dialog(page).getByRole('button', { name: 'Add company' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

test('the SIP users of a company stay within its channel limit', async ({ page }) => {
  await newCompany(page, 'E2E Tabs Ltd');

  // Details: a channel limit of 5 for the whole customer.
  await page.getByLabel('Channel limit').fill('5');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Company saved')).toBeVisible();

  // SIP users: empty state, add within the budget, refused beyond it, edit, delete.
  await page.getByRole('tab', { name: 'SIP users' }).click();
  await expect(page.getByText('No SIP users yet')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Add SIP user' }).first().click();
  await dialog(page).getByLabel('Username').fill('e2etrunk1');
  await dialog(page).getByLabel('Password', { exact: true }).fill('e2e-password-123');
  await expect(dialog(page).getByText("out of the company's 5")).toBeVisible();
  await dialog(page).getByLabel('Channels').fill('4');
  await dialog(page).getByRole('button', { name: 'Add SIP user' }).click();
  await expect(dialog(page).getByText('Copy the password now')).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('cell', { name: 'e2etrunk1', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Add SIP user' }).first().click();
  await dialog(page).getByLabel('Username').fill('e2etrunk2');
  await dialog(page).getByLabel('Password', { exact: true }).fill('e2e-password-123');
  await dialog(page).getByLabel('Channels').fill('3');
  await dialog(page).getByRole('button', { name: 'Add SIP user' }).click();
  await expect(dialog(page).getByText(/No channel capacity available for your account/)).toBeVisible();
  await expectAccessible(page);
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('cell', { name: 'e2etrunk2', exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'Edit e2etrunk1' }).click();
  await dialog(page).getByLabel('Channels').fill('5');
  await dialog(page).getByRole('button', { name: 'Save SIP user' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'SIP users of E2E Tabs Ltd' })).toContainText('5');

  // The limit cannot go below what the SIP users hold.
  await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByLabel('Channel limit').fill('2');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(/SIP users hold 5 channels/)).toBeVisible();
  await page.getByRole('button', { name: 'Discard' }).click();

  await page.getByRole('tab', { name: 'SIP users' }).click();
  await page.getByRole('button', { name: 'Delete e2etrunk1' }).click();
  await dialog(page).getByRole('button', { name: 'Delete SIP user' }).click();
  await expect(page.getByText('No SIP users yet')).toBeVisible();
});

test('the operator adds, edits and removes entries of a company’s lists', async ({ page }) => {
  await newCompany(page, 'E2E Lists Ltd');
  // IP auth: add, then remove with its confirmation.
  await page.getByRole('tab', { name: 'IP auth' }).click();
  await expect(page.getByText('No IP addresses yet')).toBeVisible();
  await page.getByRole('button', { name: 'Add address' }).first().click();
  await dialog(page).getByLabel('Address').fill('198.51.100.7');
  await dialog(page).getByRole('button', { name: 'Add address' }).click();
  await expect(page.getByRole('cell', { name: '198.51.100.7', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Remove 198.51.100.7 (egress)' }).click();
  await expect(dialog(page)).toContainText('are no longer accepted as E2E Lists Ltd');
  await dialog(page).getByRole('button', { name: 'Remove address' }).click();
  await expect(page.getByText('No IP addresses yet')).toBeVisible();

  // CLI rules and contacts use the same list.
  await page.getByRole('tab', { name: 'CLI rules' }).click();
  await page.getByRole('button', { name: 'Add rule' }).first().click();
  await dialog(page).getByLabel('Caller IDs matching').fill('44*');
  await dialog(page).getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByRole('table', { name: 'CLI rules of E2E Lists Ltd' })).toContainText('44*');
  await expect(page.getByRole('button', { name: 'Edit allow rule 44*' })).toBeVisible();

  await page.getByRole('tab', { name: 'Contacts' }).click();
  await expect(page.getByText('No contacts yet')).toBeVisible();
  await page.getByRole('button', { name: 'Add contact' }).first().click();
  await dialog(page).getByLabel('Name').fill('Erin Example');
  await dialog(page).getByLabel('Email').fill('erin@e2e-lists.test');
  await dialog(page).getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByRole('button', { name: 'Reset password for Erin Example' })).toBeVisible();
  await expectAccessible(page);
});
