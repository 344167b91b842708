// Renders every state (desktop and phone, light and dark) to build/mockups/*.png and copies them to docs/ui/.
// Usage: node tools/render.mjs [--no-copy] [state ...]
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newContext, gotoState, watchErrors, loadStates, REPO_DIR, CHROMIUM } from './lib.mjs';

const args = process.argv.slice(2);
const copy = !args.includes('--no-copy');
const only = args.filter((a) => !a.startsWith('--'));
if (!fs.existsSync(CHROMIUM)) { console.error(`render: ${CHROMIUM} not found (apt-get install chromium)`); process.exit(2); }

const OUT = path.join(REPO_DIR, 'build', 'mockups');
const DOCS = path.join(REPO_DIR, 'docs', 'ui');
fs.mkdirSync(OUT, { recursive: true });

const shots = [];
for (const s of loadStates()) {
  if (only.length && !only.includes(s.id)) continue;
  for (const viewport of ['desktop', 'phone'])
    for (const theme of ['light', 'dark'])
      shots.push({ name: `${s.id}--${viewport}-${theme}`, state: s.id, viewport, theme });
}
// Keyboard-only use: the focus ring moving through the credential window.
if (!only.length || only.includes('credential-dialog')) {
  for (const theme of ['light', 'dark'])
    shots.push({ name: `keyboard-credential-dialog--desktop-${theme}`, state: 'credential-dialog', viewport: 'desktop', theme,
      keys: ['admin', 'Tab', 'x', 'Tab', 'Tab', 'Tab'] });
  shots.push({ name: 'keyboard-site-info--desktop-light', state: 'srp-connected', viewport: 'desktop', theme: 'light',
    keys: ['focus:#indicator', 'Enter', 'Tab', 'Tab'] });
}

const server = await startServer();
const b = await launch();
let failed = 0;
const contexts = new Map();   // one browser context per viewport and theme, a fresh page load per shot
try {
  for (const shot of shots) {
    const key = shot.viewport + '-' + shot.theme;
    if (!contexts.has(key)) {
      const context = await newContext(b.browser, shot);
      const page = await context.newPage();
      contexts.set(key, { context, page, errors: watchErrors(page) });
    }
    const { page, errors } = contexts.get(key);
    errors.length = 0;
    await gotoState(page, server.base, shot.state, shot);
    for (const k of shot.keys || []) {
      if (k.startsWith('focus:')) await page.focus(k.slice(6));
      else if (/^[A-Z]/.test(k)) await page.keyboard.press(k);
      else await page.keyboard.type(k);
    }
    const file = path.join(OUT, shot.name + '.png');
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    if (errors.length) { failed++; console.log(`ERROR ${shot.name}: ${errors.join('; ')}`); }
    else console.log(`rendered ${path.relative(REPO_DIR, file)}`);
  }
} finally { await b.close(); await server.close(); }

if (copy) {
  fs.mkdirSync(DOCS, { recursive: true });
  if (!only.length) {   // a full render also drops PNGs of states that no longer exist
    const keep = new Set(shots.map((x) => x.name + '.png'));
    for (const f of fs.readdirSync(DOCS)) if (f.endsWith('.png') && !keep.has(f)) fs.rmSync(path.join(DOCS, f));
  }
  for (const shot of shots) fs.copyFileSync(path.join(OUT, shot.name + '.png'), path.join(DOCS, shot.name + '.png'));
  console.log(`copied ${shots.length} PNGs to ${path.relative(REPO_DIR, DOCS)}/`);
}
console.log(`${shots.length} rendered, ${failed} with page errors`);
process.exit(failed ? 1 : 0);
