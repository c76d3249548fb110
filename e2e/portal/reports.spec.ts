import fs from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { consoleLogin, expectAccessible, portalLogin, url } from '../helpers.ts';

const HOST = 'portal.localhost';

/** Header texts of the CDR table. */
const headers = (page: Page) => page.locator('.portal-cdr-table thead th').allInnerTexts();

async function columnValues(page: Page, header: string): Promise<string[]> {
  const index = (await headers(page)).indexOf(header);
  expect(index, `column ${header}`).toBeGreaterThanOrEqual(0);
  return page.locator(`.portal-cdr-table tbody tr td:nth-child(${index + 1})`).allInnerTexts();
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trimEnd().split('\n')) {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    rows.push(out);
  }
  return rows;
}

test('a customer filters CDRs, picks columns and downloads the CSV with progress, accessibly', async ({
  page,
}) => {
  await portalLogin(page, HOST, 'alice@acme.test', 'demo-alice-pass');
  await page.getByRole('link', { name: 'CDR' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'CDR' })).toBeVisible();
  // The demo's week of traffic is ingested in the background after start-up: apply until calls are there.
  const apply = page.getByRole('button', { name: 'Apply filters' });
  await expect(async () => {
    await apply.click();
    await expect(page.locator('.portal-cdr-table tbody tr').first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await expectAccessible(page);

  // Connected calls to one destination.
  const name = (await columnValues(page, 'Destination name')).find((n) => n && n !== '–')!;
  await page.getByRole('textbox', { name: 'Destination name' }).fill(name);
  await page.getByLabel('Connected calls only').check();
  await apply.click();
  await expect(async () => {
    const names = await columnValues(page, 'Destination name');
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.toLowerCase().includes(name.toLowerCase()))).toBe(true);
  }).toPass();
  const durations = await columnValues(page, 'Duration (s)');
  expect(durations.every((d) => Number(d) > 0)).toBe(true);

  // The column chooser hides a column in the table and in the download.
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Source IP' }).uncheck();
  await expect.poll(() => headers(page)).not.toContain('Source IP');
  await expectAccessible(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  await expect(page.getByRole('status').filter({ hasText: /Downloaded [\d,]+ rows?/ })).toBeVisible();
  expect(download.suggestedFilename()).toMatch(/^cdrs-.*\.csv$/);
  const csv = parseCsv(fs.readFileSync((await download.path())!, 'utf8'));
  const header = csv[0]!;
  expect(header).not.toContain('source_ip');
  expect(header).toContain('dest_name');
  expect(header).not.toContain('carrier_cost');
  const body = csv.slice(1);
  expect(body.length).toBeGreaterThan(0);
  for (const row of body) {
    expect(row[header.indexOf('dest_name')]!.toLowerCase()).toContain(name.toLowerCase());
    expect(Number(row[header.indexOf('duration')])).toBeGreaterThan(0);
  }
  const status = await page
    .getByRole('status')
    .filter({ hasText: /Downloaded/ })
    .textContent();
  expect((status ?? '').replace(/,/g, '')).toContain(`Downloaded ${body.length} row`);
});

test('breakout and summary show weighted totals per destination, day and period, accessibly', async ({
  page,
}) => {
  await portalLogin(page, HOST, 'alice@acme.test', 'demo-alice-pass');
  await page.getByRole('link', { name: 'Breakout' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Breakout' })).toBeVisible();
  const table = page.locator('.portal-report-table');
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(table.locator('tfoot th', { hasText: 'Total' })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await expectAccessible(page);
  await page.getByLabel('Filter destinations').fill('zzzz-no-such-destination');
  await expect(page.getByText('No rows match this filter.')).toBeVisible();
  await page.getByLabel('Filter destinations').fill('');
  await page.getByLabel('Group by').selectOption('day');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('table', { name: 'Breakout by day' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Period' })).toBeVisible();

  await page.getByRole('link', { name: 'Summary' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Summary' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Last 24 hours by hour' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Monthly' }).click();
  await expect(page.getByRole('table', { name: 'Last 12 months by month' })).toBeVisible();
  await expectAccessible(page);
});

test('the Control Panel shows the breakout across customers with carrier cost and profit, accessibly', async ({
  page,
}) => {
  await consoleLogin(page);
  await page.goto(url('localhost', '/reports'));
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Breakout' });
  await expect(async () => {
    await page.reload();
    await expect(table.getByRole('cell', { name: /Acme/ }).first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await expect(table.getByRole('columnheader', { name: 'Profit' })).toBeVisible();
  await expectAccessible(page);
  await page.getByText('CDRs', { exact: true }).click();
  await expect(page.getByRole('table', { name: 'CDRs' })).toBeVisible();
  await expectAccessible(page);
});

test('a customer plays a call recording inline, seeks and downloads it, accessibly', async ({ page }) => {
  await portalLogin(page, HOST, 'alice@acme.test', 'demo-alice-pass');
  // The demo attaches recordings to Acme's latest answered calls once the backfill is in: find one.
  // The browser resolves *.localhost (Node does not), so the API is called from the page.
  let call: { dest_number: string; recording_url: string } | undefined;
  await expect(async () => {
    call = await page.evaluate(async () => {
      const res = await fetch('/api/v1/portal/cdrs?connected=true&limit=500');
      if (!res.ok) throw new Error(`CDRs: ${res.status}`);
      const items = (await res.json()).items as { dest_number: string; recording_url: string | null }[];
      return items.find((i) => i.recording_url) as { dest_number: string; recording_url: string } | undefined;
    });
    expect(call).toBeTruthy();
  }).toPass({ timeout: 120_000 });
  const { dest_number: dest, recording_url: audioUrl } = call!;

  // The audio answers Range requests, as the browser's player needs for seeking.
  const part = await page.evaluate(async (u) => {
    const res = await fetch(u, { headers: { range: 'bytes=0-11' } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return {
      status: res.status,
      range: res.headers.get('content-range'),
      type: res.headers.get('content-type'),
      tag: String.fromCharCode(...bytes.slice(8, 12)),
    };
  }, audioUrl);
  expect(part).toEqual({
    status: 206,
    range: expect.stringMatching(/^bytes 0-11\/\d+$/),
    type: 'audio/wav',
    tag: 'WAVE',
  });

  await page.getByRole('link', { name: 'CDR' }).click();
  await page.getByRole('textbox', { name: 'Number (source or destination)' }).fill(dest);
  await page.getByLabel('Connected calls only').check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const label = `Play recording of call to ${dest}`;
  const row = page
    .locator('.portal-cdr-table tbody tr')
    .filter({ has: page.getByLabel(label) })
    .first();
  const player = row.getByLabel(label);
  await expect(player).toBeVisible();
  // The browser loads and decodes it: a 2-3 s synthesised WAV.
  const seconds = await player.evaluate(
    (el: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        el.addEventListener('loadedmetadata', () => resolve(el.duration), { once: true });
        el.addEventListener('error', () => reject(new Error(`media error ${el.error?.code}`)), {
          once: true,
        });
        el.preload = 'metadata';
        el.load();
      }),
  );
  expect(seconds).toBeGreaterThan(1.5);
  expect(seconds).toBeLessThan(3.5);
  await expectAccessible(page);

  // Alice's brand allows downloads: the link saves the file named after the call.
  const link = row.getByRole('link', { name: `Download recording of call to ${dest}` });
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const rowCallId = (await row.locator('td').first().textContent())?.trim() ?? ''; // Call ID is the first column
  expect(download.suggestedFilename()).toBe(`call-${rowCallId.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`);
  const saved = fs.readFileSync((await download.path())!);
  expect(saved.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(saved.subarray(8, 12).toString('latin1')).toBe('WAVE');
});
