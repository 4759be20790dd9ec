// Test harness: starts `noaber serve` on a fresh demo database and a free
// port, launches Debian's Chromium through playwright-core, runs axe-core.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const shotsDir = join(webDir, 'screenshots');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PASSWORD = 'noaber-demo';

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export async function startServer() {
  const bin = resolve(webDir, process.env.NOABER_BINARY ?? '../build/noaber');
  if (!existsSync(bin)) throw new Error(`noaber binary not found at ${bin} (set NOABER_BINARY)`);
  const dist = join(webDir, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('web/dist is not built: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'noaber-e2e-'));
  const db = join(dir, 'e2e.db');
  execFileSync(bin, ['seed-demo', '--db', db], { stdio: 'ignore' });
  const port = await freePort();
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', dist], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; if (stderr.length > 20000) stderr = stderr.slice(-10000); });
  const killer = () => { try { proc.kill('SIGKILL'); } catch { /* gone */ } };
  process.on('exit', killer);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error('noaber serve exited: ' + stderr);
    try {
      const r = await fetch(url + '/healthz');
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) { killer(); throw new Error('noaber serve did not start: ' + stderr); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    db, // the SQLite file, for tests that must move a date into the past
    async stop() {
      process.off('exit', killer);
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Every page the tests look at is checked with axe; the results are tallied here. */
export const axeLog = { pages: 0, violations: 0, passes: 0 };

export async function axe(page, label) {
  await page.waitForLoadState('domcontentloaded');
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  // evaluate() is not subject to the page's CSP, unlike a <script> tag
  if (!has) await page.evaluate(axeSource + '\n;window.axe = axe;');
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\s+/g, ' ')),
      })),
    };
  });
  axeLog.pages++;
  axeLog.passes += result.passes;
  axeLog.violations += result.violations.length;
  if (result.violations.length) {
    const text = result.violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
    throw new Error(`axe found ${result.violations.length} violation(s) on "${label}" (${page.url()}):\n${text}`);
  }
}

export async function shot(page, name) {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, name + '.png'), fullPage: true });
}

/** Registers through the app's own form. */
export async function register(page, base, { name, email, password = PASSWORD }) {
  await page.goto(base + '/register');
  await page.getByLabel('Je naam').fill(name);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Account maken' }).click();
}

/** Logs in through the app's own form and waits until the app has moved on. */
export async function login(page, base, email, password = PASSWORD) {
  await page.goto(base + '/login');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export function uniq() {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
}

/** Calls the API with the page's own session (cookie plus CSRF token). */
export async function apiAs(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1' + path, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: r.status === 204 ? null : await r.json() };
  }, { method, path, body });
}

// One server (on a fresh demo database) and one Chromium for a whole test
// file: started before its first test, stopped after its last, when the
// file's axe count is printed. Call once at the top level of a test file.
// `contextDefaults` are options every newContext() starts from.
export function useServerAndBrowser(contextDefaults = {}) {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    console.log(`# axe: ${axeLog.pages} page views checked, ${axeLog.violations} violations`);
  });
  return {
    server: () => server,
    base: () => server.url,
    newContext: (opts = {}) => browser.newContext({ locale: 'nl-NL', ...contextDefaults, ...opts }),
  };
}
