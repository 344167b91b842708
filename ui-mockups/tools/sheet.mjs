// Dev helper for reviewing renders: node tools/sheet.mjs OUT.png COLS WIDTH a.png b.png ...
// lays the images out in a grid (each scaled to WIDTH px wide) and screenshots it.
import fs from 'node:fs';
import path from 'node:path';
import { launch, REPO_DIR } from './lib.mjs';
const [out, cols, width, ...files] = process.argv.slice(2);
const html = `<body style="margin:0;background:#777;display:grid;grid-template-columns:repeat(${cols},${width}px);gap:6px;padding:6px;width:max-content">` +
  files.map((f) => `<figure style="margin:0"><img src="file://${path.resolve(f)}" style="width:${width}px;display:block"><figcaption style="font:12px sans-serif;color:#fff">${path.basename(f)}</figcaption></figure>`).join('') + '</body>';
const tmp = path.join(REPO_DIR, 'build', 'tmp', 'sheet.html');
fs.writeFileSync(tmp, html);
const b = await launch();
try {
  const page = await b.browser.newPage({ viewport: { width: 400, height: 300 } });
  await page.goto('file://' + tmp);
  await page.waitForLoadState('load');
  await page.screenshot({ path: out, fullPage: true });
} finally { await b.close(); }
