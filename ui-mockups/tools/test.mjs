// Browser tests of the TLS-SRP mockups in Debian's Chromium (playwright-core, no bundled browser).
// Prints one line per test: PASS <name> | FAIL <name>: <why> | SKIP <name>: <why>; exits 1 on any FAIL.
// Usage: node tools/test.mjs [substring-filter]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startServer, launch, openState, newContext, gotoState, watchErrors, loadStates, CHROMIUM, MOCKUP_DIR } from './lib.mjs';

const require = createRequire(import.meta.url);
const filter = process.argv[2] || '';
const STATES = loadStates();
const REPORT = JSON.parse(fs.readFileSync(path.join(MOCKUP_DIR, 'sample-report.json'), 'utf8'));
const PASSWORD = 'correct horse';

if (!fs.existsSync(CHROMIUM)) {
  console.log(`SKIP ui-mockups: ${CHROMIUM} not installed (make deps)`);
  process.exit(0);
}
let AXE;
try { AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'); }
catch { console.log('SKIP ui-mockups: axe-core not installed (npm ci in ui-mockups)'); process.exit(0); }

const tests = [];
const test = (name, fn) => { if (name.includes(filter)) tests.push({ name, fn }); };
class Fail extends Error {}
const ok = (cond, why) => { if (!cond) throw new Fail(why); };
const eq = (a, b, why) => { if (a !== b) throw new Fail(`${why}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); };

let server, b;
async function open(state, opts = {}) {
  const o = await openState(b.browser, server.base, state, opts);
  o.close = () => o.context.close();
  return o;
}
const security = (page) => page.getAttribute('#indicator', 'data-security');
const stateOf = (page) => new URL(page.url()).searchParams.get('state');
const active = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e ? { inDialog: !!e.closest('#credwin'), inPanel: !!e.closest('#siteinfo'), id: e.id,
    desc: e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40) || e.tagName } : null;
});
async function signIn(page, user, pass) {
  await page.fill('#cred-user', user);
  await page.fill('#cred-pass', pass);
  await page.click('#cred-submit');
}

/* ---------------------------------------------------------------- */
test('ui-every-state-loads', async () => {
  const bad = [];
  const context = await newContext(b.browser);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    for (const s of STATES) {
      errors.length = 0;
      await gotoState(page, server.base, s.id);
      if (errors.length) bad.push(`${s.id}: ${errors[0]}`);
      if (stateOf(page) !== s.id) bad.push(`${s.id}: came up as ${stateOf(page)}`);
      if (!(await page.isVisible('#indicator'))) bad.push(`${s.id}: no indicator`);
    }
  } finally { await context.close(); }
  ok(!bad.length, bad.join('; '));
});

test('ui-credentials-move-indicator-to-srp', async () => {
  const o = await open('credential-dialog');
  try {
    const p = o.page;
    eq(await security(p), 'connecting', 'indicator before sign-in');
    ok(await p.isVisible('#credwin'), 'credential window not shown');
    await signIn(p, 'admin', PASSWORD);
    eq(await security(p), 'srp', 'indicator after sign-in');
    ok(await p.isHidden('#credwin'), 'credential window still open');
    const chip = (await p.textContent('#indicator')).replace(/\s+/g, ' ');
    ok(chip.includes('admin') && chip.includes('Home router'), `chip does not name account and device: "${chip}"`);
    ok(/^admin · Home router\. Signed in as admin/.test(await p.getAttribute('#indicator', 'aria-label')), 'indicator label does not name the account');
    eq(stateOf(p), 'srp-connected', 'URL state after sign-in');
    eq(await p.evaluate(() => window.__mockup.model.pinned), true, 'a TLS-SRP sign-in should pin the device');
    eq(await p.evaluate(() => window.__mockup.model.remembered), true, '"Remember" ticked but password not remembered');
  } finally { await o.close(); }
  // "Remember" unticked: still pinned, but the password is not kept
  const o2 = await open('credential-dialog');
  try {
    const p = o2.page;
    await p.uncheck('#cred-remember');
    await signIn(p, 'admin', PASSWORD);
    eq(await security(p), 'srp', 'sign-in without "Remember"');
    eq(await p.evaluate(() => window.__mockup.model.pinned), true, 'pin depends on "Remember"');
    await p.click('#indicator');
    ok((await p.textContent('#siteinfo')).includes('not stored'), 'panel does not say the password is not stored');
  } finally { await o2.close(); }
});

test('ui-site-info-reads-report-json', async () => {
  const o = await open('srp-connected');
  try {
    const p = o.page;
    await p.click('#indicator');
    ok(await p.isVisible('#siteinfo'), 'panel did not open');
    eq(await p.getAttribute('#indicator', 'aria-expanded'), 'true', 'aria-expanded on indicator');
    const text = await p.textContent('#siteinfo');
    const u = new URL(REPORT.url);
    for (const v of [REPORT.srp_username, REPORT.cipher_suite, REPORT.tls_version, `${REPORT.group_bits}-bit`, `${u.hostname}:${u.port}`, REPORT.backend])
      ok(text.includes(String(v)), `panel lacks report value ${v}`);
  } finally { await o.close(); }
  // another report document: the panel and chip follow it
  const other = { ...REPORT, url: 'https://10.0.0.2:9443/', srp_username: 'operator', group_bits: 4096,
    cipher_suite: 'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA', backend: 'boringssl' };
  const o2 = await open('site-info', { extra: '&report=' + encodeURIComponent('data:application/json,' + JSON.stringify(other)) });
  try {
    const text = await o2.page.textContent('#siteinfo');
    for (const v of ['operator', '10.0.0.2:9443', '4096-bit', other.cipher_suite, 'boringssl'])
      ok(text.includes(v), `panel lacks value ${v} of a second report`);
    ok((await o2.page.textContent('#indicator')).includes('operator'), 'chip does not follow the report');
  } finally { await o2.close(); }
});

test('ui-rename-device-updates-chip', async () => {
  const o = await open('srp-connected');
  try {
    const p = o.page;
    await p.click('#indicator');
    await p.click('#rename-open');
    await p.fill('#rename-input', "Mum's NAS");
    await p.keyboard.press('Enter');
    ok((await p.textContent('#indicator')).includes("Mum's NAS"), 'chip does not show the new name');
    ok((await p.textContent('#siteinfo')).includes("Mum's NAS"), 'panel does not show the new name');
    ok(!(await p.textContent('#content')).includes("Mum's NAS"), 'the page content got the name');
  } finally { await o.close(); }
});

test('ui-logout-clears-indicator-and-panel', async () => {
  const o = await open('srp-connected');
  try {
    const p = o.page;
    await p.click('#indicator');
    await p.click('#logout-open');
    await p.click('#logout-confirm');
    eq(await security(p), 'signed-out', 'indicator after logout');
    ok(await p.isHidden('#siteinfo'), 'panel still open after logout');
    const hidden = await p.textContent('#siteinfo');
    for (const v of [REPORT.cipher_suite, `${REPORT.group_bits}-bit`, 'Signed in with your password'])
      ok(!hidden.includes(v), `panel still holds "${v}" after logout`);
    eq(await p.evaluate(() => window.__mockup.report), null, 'report still held after logout');
    ok(!(await p.textContent('#indicator')).includes(REPORT.srp_username), 'indicator still names the account');
    await p.click('#indicator');
    ok((await p.textContent('#siteinfo')).includes('Not signed in'), 'panel after logout does not say "Not signed in"');
    eq(stateOf(p), 'logged-out', 'URL state');
  } finally { await o.close(); }
  const o2 = await open('logout');
  try {
    const p = o2.page;
    await p.check('input[name=after][value=close]');
    await p.click('#logout-confirm');
    eq(stateOf(p), 'logged-out-closed', 'URL state after "close tabs"');
    const tabs = await p.$$eval('#tabstrip [role=tab]', (t) => t.map((x) => x.textContent));
    ok(!tabs.some((t) => t.includes('AX3000')), `device tabs still open: ${tabs.join(', ')}`);
    ok((await p.textContent('#toast')).includes('2 tabs closed'), 'no confirmation of closed tabs');
  } finally { await o2.close(); }
});

test('ui-three-wrong-passwords-lock-dialog', async () => {
  const o = await open('credential-dialog');
  try {
    const p = o.page;
    await signIn(p, 'admin', 'wrong one');
    ok((await p.textContent('#cred-err')).includes('2 attempts left'), 'no "2 attempts left" after one wrong password');
    eq(await p.getAttribute('#cred-pass', 'aria-invalid'), 'true', 'password field not marked invalid');
    await signIn(p, 'admin', 'wrong two');
    ok((await p.textContent('#cred-err')).includes('1 attempt left'), 'no "1 attempt left" after two wrong passwords');
    await signIn(p, 'admin', 'wrong three');
    eq(await p.getAttribute('#credwin', 'data-mode'), 'locked', 'dialog mode after three wrong passwords');
    ok(await p.isDisabled('#cred-user'), 'username still enabled');
    ok(await p.isDisabled('#cred-pass'), 'password still enabled');
    ok(await p.isDisabled('#cred-remember'), 'remember still enabled');
    eq(await p.$$eval('#credwin button', (bs) => bs.map((x) => x.textContent).join(',')), 'Close', 'buttons in the locked dialog');
    eq(stateOf(p), 'locked', 'URL state');
    // closing and reopening the window does not end the pause
    await p.click('#cred-close');
    eq(await security(p), 'connecting', 'indicator after closing the locked window');
    await p.click('[data-action="signin-again"]');
    eq(await p.getAttribute('#credwin', 'data-mode'), 'locked', 'reopened window is not locked');
    ok(await p.isDisabled('#cred-pass'), 'password enabled after reopening');
  } finally { await o.close(); }
});

test('ui-unknown-username-refused', async () => {
  const o = await open('credential-dialog');
  try {
    const p = o.page;
    await signIn(p, 'mallory', PASSWORD);
    eq(await p.getAttribute('#credwin', 'data-mode'), 'refused', 'dialog mode');
    ok((await p.textContent('#cred-err')).includes('does not know the user'), 'no refusal message');
    eq((await active(p)).id, 'cred-user', 'focus after refusal');
    await signIn(p, 'admin', PASSWORD);
    eq(await security(p), 'srp', 'correct username after a refusal');
  } finally { await o.close(); }
});

for (const kind of ['http', 'cert']) {
  test(`ui-pinned-downgrade-${kind}-blocks`, async () => {
    const o = await open(`downgrade-${kind}`);
    try {
      const p = o.page;
      eq(await security(p), 'blocked', 'indicator');
      // no way through: every control of the block page, none proceeds to the device
      const controls = await p.$$eval('#content a, #content button, #content summary', (els) =>
        els.map((e) => ({ text: e.textContent.trim(), action: e.dataset.action || e.tagName })));
      const actions = controls.map((c) => c.action).sort().join(',');
      eq(actions, 'SUMMARY,back-safety,open-pin-settings', 'controls on the block page');
      ok(!controls.some((c) => /proceed|continue|anyway|connect/i.test(c.text)), 'a proceed-like control exists');
      ok(await p.isHidden('[data-action="open-pin-settings"]'), 'expert path should be behind a disclosure');
      await p.click('[data-action="back-safety"]');
      ok(!['srp', 'http', 'cert-error'].includes(await security(p)), 'Back to safety reached the device');
    } finally { await o.close(); }
    // the explicit expert path
    const o2 = await open(`downgrade-${kind}`);
    try {
      const p = o2.page;
      await p.click('.inter-details summary');
      await p.click('[data-action="open-pin-settings"]');
      eq(stateOf(p), 'pin-settings', 'expert path leads to settings');
      await p.click('[data-action="pin-remove-start"]');
      await p.fill('#pin-type', '192.168.1.2');
      await p.click('.pin-confirm button[type=submit]');
      eq(await p.evaluate(() => window.__mockup.model.pinned), true, 'pin removed with a wrong address typed');
      ok((await p.textContent('#pin-err')).includes('not removed'), 'no error for a wrong address');
      await p.fill('#pin-type', '192.168.1.1');
      await p.click('.pin-confirm button[type=submit]');
      eq(await p.evaluate(() => window.__mockup.model.pinned), false, 'pin not removed');
      await p.click('[data-action="pin-goto"]');
      eq(stateOf(p), kind === 'http' ? 'no-srp-http' : 'no-srp-cert', 'after removing the pin: the usual warning');
      eq(await security(p), kind === 'http' ? 'http' : 'cert-error', 'indicator after removing the pin');
    } finally { await o2.close(); }
  });
}

test('ui-weak-group-blocked-with-expert-path', async () => {
  const o = await open('weak-group');
  try {
    const p = o.page;
    eq(await security(p), 'blocked', 'indicator');
    eq(await p.$$('[data-action="weak-proceed"]').then((x) => x.length), 0, 'connect-anyway visible before Advanced');
    await p.click('[data-action="advanced"]');
    await p.click('[data-action="weak-proceed"]');
    eq(await security(p), 'srp-weak', 'indicator after connect anyway');
    ok((await p.textContent('#indicator')).includes('weak group'), 'chip does not say weak group');
    eq(await p.evaluate(() => window.__mockup.model.pinned), false, 'a weak-group device must not be pinned');
  } finally { await o.close(); }
});

test('ui-dialog-focus-trapped', async () => {
  for (const state of ['credential-dialog', 'wrong-password', 'locked']) {
    const o = await open(state);
    try {
      const p = o.page;
      const all = await p.$$eval('#credwin a[href], #credwin button:not([disabled]), #credwin input:not([disabled])',
        (els) => els.map((e) => e.id || e.textContent.trim()));
      ok(all.length >= 1, `${state}: nothing focusable`);
      ok((await active(p)).inDialog, `${state}: initial focus outside the dialog`);
      for (const key of ['Tab', 'Shift+Tab']) {
        const seen = new Set();
        for (let i = 0; i < all.length * 2 + 2; i++) {
          await p.keyboard.press(key);
          const a = await active(p);
          ok(a && a.inDialog, `${state}: ${key} #${i + 1} left the dialog (${a && a.desc})`);
          seen.add(a.desc);
        }
        eq([...seen].sort().join(','), [...all].sort().join(','), `${state}: controls reached with ${key}`);
      }
      // a click on the toolbar behind the dialog must not take focus out
      await p.mouse.click(600, 82);
      ok((await active(p)).inDialog, `${state}: a click behind the dialog took the focus`);
      await p.keyboard.press('Escape');
      ok(await p.isHidden('#credwin'), `${state}: Escape did not close the dialog`);
    } finally { await o.close(); }
  }
});

test('ui-dialog-controls-labelled', async () => {
  const o = await open('credential-dialog');
  try {
    const p = o.page;
    const d = p.getByRole('dialog', { name: 'Sign in to 192.168.1.1:8443' });
    ok(await d.isVisible(), 'dialog has no accessible name naming the device');
    for (const [role, name] of [['textbox', 'Username'], ['textbox', 'Password'], ['checkbox', 'Remember for this device'],
      ['button', 'Cancel'], ['button', 'Sign in']])
      eq(await d.getByRole(role, { name, exact: true }).count(), 1, `${role} "${name}" in the dialog`);
    const desc = await p.$eval('#credwin', (e) => document.getElementById(e.getAttribute('aria-describedby')).textContent);
    ok(/proves this is the device/.test(desc), 'dialog description does not explain the mutual proof');
  } finally { await o.close(); }
});

test('ui-keyboard-only-sign-in-and-logout', async () => {
  const o = await open('credential-dialog');
  try {
    const p = o.page;
    eq((await active(p)).id, 'cred-user', 'initial focus');
    await p.keyboard.type('admin');
    await p.keyboard.press('Tab');
    await p.keyboard.type(PASSWORD);
    await p.keyboard.press('Enter');
    eq(await security(p), 'srp', 'keyboard sign-in');
    let found = false;
    for (let i = 0; i < 12 && !found; i++) { await p.keyboard.press('Tab'); found = (await active(p)).id === 'indicator'; }
    ok(found, 'indicator not reachable with Tab');
    await p.keyboard.press('Enter');
    ok(await p.isVisible('#siteinfo'), 'Enter on the indicator did not open the panel');
    ok((await active(p)).inPanel, 'focus not moved into the panel');
    await p.keyboard.press('Escape');
    ok(await p.isHidden('#siteinfo'), 'Escape did not close the panel');
    eq((await active(p)).id, 'indicator', 'focus not returned to the indicator');
    await p.keyboard.press('Enter');
    found = false;
    for (let i = 0; i < 12 && !found; i++) { await p.keyboard.press('Tab'); found = (await active(p)).id === 'logout-open'; }
    ok(found, 'logout not reachable with Tab');
    await p.keyboard.press('Enter');
    found = false;
    for (let i = 0; i < 6 && !found; i++) { await p.keyboard.press('Tab'); found = (await active(p)).id === 'logout-confirm'; }
    ok(found, 'Log out confirmation not reachable with Tab');
    await p.keyboard.press('Enter');
    eq(await security(p), 'signed-out', 'keyboard logout');
    eq((await active(p)).desc, 'Sign in again', 'focus after logout');
  } finally { await o.close(); }
});

for (const viewport of ['desktop', 'phone']) {
  for (const theme of ['light', 'dark']) {
    test(`ui-axe-${viewport}-${theme}`, async () => {
      const bad = [];
      const context = await newContext(b.browser, { viewport, theme });
      try {
        const page = await context.newPage();
        for (const s of STATES) {
          await gotoState(page, server.base, s.id, { theme });
          await page.evaluate(AXE);
          const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
          for (const v of r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
            bad.push(`${s.id}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
        }
      } finally { await context.close(); }
      ok(!bad.length, `${bad.length} serious/critical: ${bad.slice(0, 6).join('; ')}`);
    });
  }
}

/* ---------------------------------------------------------------- */
const withTimeout = (p, ms, name) => Promise.race([p,
  new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms / 1000}s`)), ms).unref())]);
let pass = 0, fail = 0;
try {
  server = await startServer();
  b = await launch();
} catch (e) {
  console.log(`FAIL ui-mockups-setup: ${String(e.message).split('\n')[0]}`);
  if (server) await server.close();
  process.exit(1);
}
try {
  for (const t of tests) {
    const t0 = Date.now();
    try { await withTimeout(t.fn(), 180000, t.name); console.log(`PASS ${t.name}` + (process.env.UI_TIMES ? ` (${(Date.now() - t0) / 1000}s)` : '')); pass++; }
    catch (e) { console.log(`FAIL ${t.name}: ${String(e.message).split('\n')[0].slice(0, 600)}`); fail++; }
  }
} finally {
  await b.close();
  await server.close();
}
console.log(`ui-mockups: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
