import { expect, test } from '@playwright/test';
import { consoleLogin, expectAccessible } from '../helpers.ts';

test('the operator creates a rate card, sees the import report, imports rates and routes a customer to it', async ({
  page,
}) => {
  await consoleLogin(page);
  await page.getByRole('link', { name: 'Rate cards' }).click();
  await page.getByRole('button', { name: 'New rate card' }).first().click();
  await page.getByLabel('Name').fill('E2E wholesale USD');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /create/i })
    .click();
  await expect(page.getByRole('heading', { name: 'E2E wholesale USD' })).toBeVisible();

  const fileInput = page.locator('input[type=file]');
  await fileInput.setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('prefix,name,rate,connect_cost,mcd,pulse,grace\n44,UK,abc,0,0,1,0\n'),
  });
  await page.getByRole('button', { name: 'Import rates' }).click();
  await expect(page.getByRole('table', { name: 'Problems in the file' })).toContainText('rate');

  await fileInput.setInputFiles({
    name: 'good.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'prefix,name,rate,connect_cost,mcd,pulse,grace\n44,UK,0.0100,0,30,6,0\n447,UK Mobile,0.0500,0,60,6,0\n',
    ),
  });
  await page.getByRole('button', { name: 'Import rates' }).click();
  await expect(page.getByText(/Revision 1/).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'UK Mobile' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Companies' }).click();
  await page.getByRole('link', { name: 'Initech' }).click();
  await page.getByRole('tab', { name: 'Routes' }).click();
  await page.getByRole('button', { name: 'Add route' }).first().click();
  await page.getByRole('dialog').getByLabel('Rate card').click();
  await page.getByRole('option', { name: /E2E wholesale USD/ }).click();
  await page.getByRole('dialog').getByLabel('Tech prefix').fill('5501');
  await page.getByRole('dialog').getByRole('button', { name: 'Add route' }).click();
  await expect(page.getByRole('cell', { name: '5501' }).first()).toBeVisible();
});
