// Headless Chromium for the Web UI tests: Debian's package (scripts/ensure-chromium.sh installs it),
// driven by playwright-core. Playwright's own browser downloads are never used.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.VERDICT_CHROMIUM ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling home, which floods a closed network.
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Runs `fn` with a fresh page; on failure the error names a screenshot of what the page showed. */
export async function withPage<T>(name: string, fn: (page: Page) => Promise<T>): Promise<T> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium is not installed at ${chromiumPath}: run scripts/ensure-chromium.sh (npm test does), or set VERDICT_CHROMIUM`);
  const browser = await chromium.launch({ executablePath: chromiumPath, args });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    page.setDefaultTimeout(30_000);
    try {
      return await fn(page);
    } catch (err) {
      const shot = join(tmpdir(), `verdict-${name}-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      if (err instanceof Error) err.message += `\n(screenshot of the page: ${shot})`;
      throw err;
    }
  } finally {
    await browser.close();
  }
}

export interface UiStart {
  workflowId: string;
  taskQueue: string;
  workflowType: string;
  input: unknown;
}

/** Starts a workflow the way a person does: the Web UI's Start Workflow form, found by its labels. */
export async function startFromWebUi(page: Page, webUi: string, start: UiStart): Promise<void> {
  await page.goto(`${webUi}/namespaces/default/workflows`);
  await page.getByRole('button', { name: 'Start Workflow' }).click();
  await page.getByLabel('Workflow ID').fill(start.workflowId);
  await page.getByLabel('Task Queue').fill(start.taskQueue);
  await page.getByLabel('Workflow Type').fill(start.workflowType);
  // The input is a JSON code editor (a multi-line textbox), the form's only one.
  await page.getByRole('textbox').and(page.locator('[data-language="json"]')).fill(JSON.stringify(start.input, null, 2));
  await page.getByRole('button', { name: 'Start Workflow' }).click();
  await page.getByText('Workflow started successfully').waitFor();
}

/** The workflow's page: waits until its status badge reads `status`, returns the Result panel's text. */
export async function workflowPageResult(page: Page, webUi: string, workflowId: string, status: string): Promise<string> {
  await page.goto(`${webUi}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
  await page.getByTestId('workflow-id-heading').filter({ hasText: workflowId }).waitFor();
  await page.getByText(status, { exact: true }).first().waitFor();
  const result = page.getByRole('heading', { name: 'Result', exact: true }).locator('xpath=..').getByRole('textbox');
  return result.innerText();
}
