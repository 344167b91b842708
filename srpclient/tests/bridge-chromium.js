// Headless Chromium logs in to a TLS-SRP device through the srpclient bridge.
// Usage: NODE_PATH=.../node_modules node bridge-chromium.js http://127.0.0.1:PORT OUTDIR
const { chromium } = require('playwright-core');
const [base, outdir] = process.argv.slice(2);
let fails = 0;
const ok = (n, c, why) => { if (c) console.log(`PASS bridge/chromium/${n}`); else { fails++; console.log(`FAIL bridge/chromium/${n}: ${why}`); } };
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    let r = await page.goto(base + '/', { timeout: 30000 });
    ok('login-page', r.status() === 401 && await page.isVisible('#password'), `status ${r.status()}`);
    await page.screenshot({ path: outdir + '/bridge-login.png' });
    await page.fill('#username', 'admin');
    await page.fill('#password', 'wrong');
    await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click('#signin')]);
    const err = await page.textContent('#error').catch(() => '');
    ok('wrong-password-message', /rejected/.test(err || ''), `error text: ${err}`);
    await page.fill('#password', 'correct horse');
    await Promise.all([page.waitForURL(base + '/', { timeout: 30000 }), page.click('#signin')]);
    const body = await page.textContent('body');
    ok('device-page-with-user', /Signed in as admin/.test(body), body.slice(0, 200));
    await page.screenshot({ path: outdir + '/bridge-device.png', fullPage: false });
    r = await page.goto(base + '/.srpclient/logout');
    ok('logout', r.status() === 200 && /forgotten/.test(await page.textContent('#message')), `status ${r.status()}`);
    r = await page.goto(base + '/');
    ok('login-again-after-logout', r.status() === 401, `status ${r.status()}`);
  } catch (e) {
    fails++;
    console.log(`FAIL bridge/chromium/run: ${String(e).split('\n')[0]}`);
  } finally {
    await browser.close();
  }
  process.exit(fails ? 1 : 0);
})();
