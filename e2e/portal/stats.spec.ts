import { expect, type Page, test } from '@playwright/test';
import { expectAccessible, portalLogin } from '../helpers.ts';

const HOST = 'portal.localhost';

/** A recent call of the signed-in customer that has a stored SIP trace (the demo keeps logs for some calls). */
async function callWithTrace(page: Page): Promise<string> {
  let found = '';
  await expect
    .poll(
      async () => {
        // Same-origin requests from the page itself (the brand's host name resolves in the browser only).
        found = await page.evaluate(async () => {
          const list = await (await fetch('/api/v1/portal/calls?limit=200')).json();
          for (const c of (list.items ?? []) as { call_id: string }[]) {
            const d = await (await fetch(`/api/v1/portal/calls/${encodeURIComponent(c.call_id)}`)).json();
            if ((d.sip_messages ?? []).length > 0) return c.call_id;
          }
          return '';
        });
        return found !== '';
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBe(true);
  return found;
}

/** Waits until the demo traffic gives the channels chart its per-carrier lines. */
async function carrierLines(page: Page) {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const chart = await (await fetch('/api/v1/portal/stats/channels')).json();
          return (chart.series ?? []).length;
        }),
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBeGreaterThan(1);
}

test('a customer opens a SIP ladder from Latest Calls and simulates a call', async ({ page }) => {
  await portalLogin(page, HOST, 'alice@acme.test', 'demo-alice-pass');
  await page.getByRole('link', { name: 'Latest Calls' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Latest Calls' })).toBeVisible();
  const callId = await callWithTrace(page);
  await page.getByLabel('Number or call ID').fill(callId);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.locator(`tr[data-call-id="${callId}"]`)).toBeVisible();
  await expectAccessible(page);
  await page
    .locator(`tr[data-call-id="${callId}"]`)
    .getByRole('button', { name: /Details/ })
    .click();
  await expect(page.getByRole('heading', { name: `Call ${callId}` })).toBeVisible();
  const ladder = page.getByRole('img', { name: /SIP ladder/ });
  await expect(ladder).toBeVisible();
  // One arrow per stored message, labelled with the request or the reply, starting with the INVITE.
  await expect(ladder.locator('.portal-ladder-arrow')).not.toHaveCount(0);
  await expect(ladder.locator('text', { hasText: 'INVITE' }).first()).toBeVisible();
  await expect(page.getByText('Routing attempts')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Back to the list' }).click();

  await page.getByLabel('Dialled number').fill('447911123456');
  await page.getByLabel('Caller ID (CLI)').fill('15550100');
  await page.getByLabel('Duration (seconds)').fill('90');
  await page.getByRole('button', { name: 'Simulate' }).click();
  await expect(page.getByTestId('simulate-charge')).toHaveText(/\$\d/);
  await expect(page.locator('.portal-simulate')).toContainText('Matched prefix');
  await expectAccessible(page);
});

test('a customer changes a chart’s range; dashboard cards, CLI and Dialog are accessible', async ({
  page,
}) => {
  await portalLogin(page, HOST, 'alice@acme.test', 'demo-alice-pass');
  await expect(page.locator('.portal-chart-card[data-chart="asr"] .portal-chart-svg')).toBeVisible({
    timeout: 30_000,
  });
  await expectAccessible(page);

  await page.getByRole('link', { name: 'ASR', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ASR' })).toBeVisible();
  await expect(page.getByText(/one point per 5 min/)).toBeVisible();
  await page.getByRole('button', { name: 'Last 7 days' }).click();
  await expect(page.getByRole('button', { name: 'Last 7 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText(/one point per 1 h/)).toBeVisible();
  await expect(page.getByTestId('chart-summary')).toContainText('%');
  // The custom fields follow the preset: From is 7 days back.
  const from = Date.parse(await page.getByRole('textbox', { name: 'From' }).inputValue());
  expect(Math.abs(Date.now() - 7 * 86_400_000 - from)).toBeLessThan(3_600_000);
  // The time labels under the chart never overlap.
  const boxes = await page
    .locator('.portal-chart-svg .portal-chart-grid > text')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right]));
  expect(boxes.length).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]![0]!).toBeGreaterThan(boxes[i - 1]![1]!);
  await expectAccessible(page);

  await carrierLines(page);
  await page.getByRole('link', { name: 'Channels', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Channels' })).toBeVisible();
  await expect(page.locator('.portal-chart-svg')).toBeVisible();
  // Demo Telecom shows carrier lines on the channels chart (carrier_channels), each can be hidden.
  const legend = page.locator('.portal-chart-legend-item').nth(1);
  await expect(legend).toHaveAttribute('aria-pressed', 'true');
  await legend.click();
  await expect(legend).toHaveAttribute('aria-pressed', 'false');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'CLI', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'What your rules do' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Dialog', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Live calls/ })).toBeVisible();
  await expect(page.locator('.portal-dialog-table, .portal-empty').first()).toBeVisible();
  await expectAccessible(page);
});
