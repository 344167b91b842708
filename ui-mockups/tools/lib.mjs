// Shared helpers: a static file server on 127.0.0.1 (port chosen at run time),
// the Chromium launcher (Debian's /usr/bin/chromium via playwright-core), the state list.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

export const MOCKUP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(MOCKUP_DIR, '..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

export function loadStates() {
  const ctx = {};
  vm.runInNewContext(fs.readFileSync(path.join(MOCKUP_DIR, 'js/states.js'), 'utf8'), { globalThis: ctx });
  return ctx.MOCKUP_STATES;
}

// Serves `root` read-only; refuses anything outside it and node_modules.
export function startServer(root = MOCKUP_DIR, port = 0) {
  const server = http.createServer((req, res) => {
    let p;
    try { p = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname); }
    catch { res.writeHead(400).end('bad request'); return; }
    if (p.endsWith('/')) p += 'index.html';
    const file = path.resolve(root, '.' + p);
    if (!file.startsWith(root + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`) ||
        (req.method !== 'GET' && req.method !== 'HEAD')) { res.writeHead(404).end('not found'); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({ port: p, base: `http://127.0.0.1:${p}/`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) });
    });
  });
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions', '--mute-audio', '--font-render-hinting=none'];

// A fresh --user-data-dir: playwright-core creates one per launch in os.tmpdir(), which we point
// at a new directory under build/tmp/ and remove in the returned close().
export async function launch() {
  const { chromium } = await import('playwright-core');
  const tmp = path.join(REPO_DIR, 'build', 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const profile = fs.mkdtempSync(path.join(tmp, 'mockups-profile-'));
  process.env.TMPDIR = profile;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: CHROMIUM_ARGS, timeout: 60000 });
  return { browser, close: async () => { try { await browser.close(); } finally { fs.rmSync(profile, { recursive: true, force: true }); } } };
}

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 }
};

export async function newContext(browser, { viewport = 'desktop', theme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], colorScheme: theme,
    deviceScaleFactor: 1, timezoneId: 'UTC', locale: 'en-GB', reducedMotion: 'reduce',
    isMobile: viewport === 'phone', hasTouch: viewport === 'phone' });
  await context.clock.setFixedTime(new Date('2026-11-21T21:17:00Z'));
  return context;
}

export async function gotoState(page, base, state, { theme = 'light', extra = '' } = {}) {
  await page.goto(`${base}mockup.html?state=${encodeURIComponent(state)}&theme=${theme}${extra}`, { waitUntil: 'load', timeout: 20000 });
  await page.waitForSelector('html[data-ready="1"]', { timeout: 10000 });
}

export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  return errors;
}

export async function openState(browser, base, state, opts = {}) {
  const context = await newContext(browser, opts);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await gotoState(page, base, state, opts);
  return { context, page, errors };
}
