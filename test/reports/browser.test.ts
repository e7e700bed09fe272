/**
 * The HTML reports in a real browser: Debian's Chromium driven by playwright-core. Each report
 * kind loads without a console error, has its elements, zooms and pans, and leaves a
 * screenshot in out/screenshots/ (CI keeps them). Skipped, with a message saying so, only when
 * no Chromium is installed; `.ci/run` installs it and sets REPLISIM_REQUIRE_BROWSER=1, so in CI
 * a missing or broken browser fails instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderExperimentHtml } from '../../reports/experiment.js';
import { renderHtmlReport } from '../../reports/html.js';
import { findExperiment } from '../../scenarios/experiments/index.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { root } from '../helpers/cli.js';

function findChromium(): string | null {
  const given = process.env['CHROMIUM_PATH'];
  if (given !== undefined && given !== '') return given;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
        || null;
    } catch {
      // Not on PATH; try the next name.
    }
  }
  return null;
}

const executable = findChromium();
const required = process.env['REPLISIM_REQUIRE_BROWSER'] === '1';
if (executable === null && !required) {
  process.stderr.write('browser.test.ts: SKIPPED: no chromium on PATH (Debian: apt-get ' +
    'install -y chromium; .ci/run installs it). The HTML reports were not tested in a ' +
    'browser.\n');
}

const shots = join(root, 'out', 'screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'replisim-browser-'));

function writeReport(name: string, html: string): string {
  const file = join(tmp, `${name}.html`);
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

/** Opens a report; returns the page and the errors it logged. */
async function open(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`);
  });
  await page.goto(url);
  return { page, errors };
}

/** The page's globals the report exposes (no DOM types in this test's TypeScript build). */
interface Exposed {
  replisimReport: { view(): [number, number]; plotRanges(): [number, number][] };
}
const view = (page: Page): Promise<[number, number]> =>
  page.evaluate(() => (globalThis as unknown as Exposed).replisimReport.view());

describe.skipIf(executable === null && !required)('HTML reports in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (executable === null) throw new Error('REPLISIM_REQUIRE_BROWSER=1 but no chromium found');
    browser = await chromium.launch({ executablePath: executable,
      args: ['--no-sandbox', '--disable-gpu'] });
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => { await browser?.close(); });

  it('run report: elements, zoom, pan, shared cursor; no console error', async () => {
    const run = runChecked({ scenario: loadScenario('example-partition'), seed: 7,
      keepTrace: true });
    const { page, errors } = await open(browser, writeReport('run', renderHtmlReport(run)));
    await page.waitForSelector('.uplot');
    expect(await page.locator('.uplot').count()).toBe(2);
    for (const id of ['#ops', '#messages']) {
      const box = (await page.locator(id).boundingBox())!;
      expect(box.width).toBeGreaterThan(1000); // Responsive: the window's width, not 1100 px.
      expect(box.height).toBeGreaterThan(50);
    }
    expect(await page.locator('#inspector-body tr').count()).toBe(3);
    expect(await page.locator('#msg-note').textContent()).toMatch(/messages in view/);
    const end = run.record.endUs;
    expect(await view(page)).toEqual([0, end]);

    // Zoom: the wheel over the message diagram narrows the window around the pointer.
    const messages = page.locator('#messages');
    await messages.scrollIntoViewIfNeeded();
    await messages.hover({ position: { x: 640, y: 40 } });
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
    await page.waitForFunction((e) => (globalThis as unknown as Exposed).replisimReport
      .view()[1] < e, end);
    const [z0, z1] = await view(page);
    expect(z1 - z0).toBeLessThan(end / 2);
    expect(await messages.getAttribute('data-view')).toBe(`${Math.round(z0)},${Math.round(z1)}`);
    // Pan: dragging moves the window without changing its span.
    const box = (await messages.boundingBox())!;
    await page.mouse.move(box.x + 700, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 900, box.y + 40, { steps: 4 });
    await page.mouse.up();
    const [p0, p1] = await view(page);
    expect(p0).toBeLessThan(z0);
    expect(p1 - p0).toBeCloseTo(z1 - z0, 0);
    // The plots (uPlot, in ms) follow the window; the inspector follows the cursor.
    const ranges = await page.evaluate(() => (globalThis as unknown as Exposed).replisimReport
      .plotRanges());
    for (const [a, b] of ranges) {
      expect(a).toBeCloseTo(p0 / 1000, 3);
      expect(b).toBeCloseTo(p1 / 1000, 3);
    }
    await messages.hover({ position: { x: 300, y: 30 } });
    expect(await page.locator('#inspector-time').textContent()).toMatch(/s$/);
    await page.click('#zoom-reset');
    expect(await view(page)).toEqual([0, end]);
    await page.screenshot({ path: join(shots, 'run-report.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('run report of a non-linearizable history: the linearization view', async () => {
    const run = runChecked({ scenario: loadScenario('opb-three-way'), seed: 0,
      keepTrace: true });
    const { page, errors } = await open(browser, writeReport('lin', renderHtmlReport(run)));
    await page.waitForSelector('.uplot');
    const steps = await page.locator('#lin-body tr.lin-step').count();
    expect(steps).toBeGreaterThan(3);
    expect(await page.locator('#lin-body tr.lin-blocked').count()).toBe(1);
    // Model state on hover; a click shows the op on the timeline.
    await page.locator('#lin-body tr.lin-step').nth(2).hover();
    expect(await page.locator('#lin-state').textContent()).toMatch(/^model state after #\d+/);
    await page.locator('#lin-body tr.lin-blocked').click();
    const [v0, v1] = await view(page);
    expect(v1 - v0).toBeLessThan(run.record.endUs / 10);
    await page.screenshot({ path: join(shots, 'linearization-report.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  // Each experiment's page draws its figures (quick runs keep this cheap: the SMART
  // experiments shorten their streams; opb-next-disaster is cheap at one seed and stands for
  // the OPB experiments, whose pages draw their tables' bars by the same code).
  const pages = ['smart-latency', 'smart-pipelining', 'smart-disconnect', 'smart-migration',
    'smart-repeated-migration', 'opb-next-disaster'];
  for (const name of pages) {
    it(`experiment ${name}: its figures render with no console error`, async () => {
      const result = findExperiment(name)!.run({ seeds: 1, quick: true });
      const { page, errors } = await open(browser, writeReport(name,
        renderExperimentHtml(result)));
      expect(await page.locator('table').count()).toBeGreaterThan(0);
      const figures = page.locator('figure.figure svg');
      const drawn = result.figures?.length ?? 0;
      if (drawn > 0) expect(await figures.count()).toBe(drawn);
      else expect(await figures.count()).toBeGreaterThan(0);
      for (let i = 0; i < await figures.count(); i++) {
        const box = (await figures.nth(i).boundingBox())!;
        expect(box.width).toBeGreaterThan(300);
        expect(box.height).toBeGreaterThan(40);
        // Something is drawn in it: dots, bars or lines.
        expect(await figures.nth(i).locator('path, rect, line').count()).toBeGreaterThan(1);
      }
      await page.screenshot({ path: join(shots, `experiment-${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      expect(existsSync(join(shots, `experiment-${name}.png`))).toBe(true);
    });
  }
});
