// Dev helper: node tools/shot.mjs STATE [desktop|phone] [light|dark] [out.png]
import { startServer, launch, openState } from './lib.mjs';
const [state='credential-dialog', vp='desktop', theme='light', out='/tmp/shot.png'] = process.argv.slice(2);
const s = await startServer(); const b = await launch();
try { const { page, errors, context } = await openState(b.browser, s.base, state, { viewport: vp, theme });
 await page.screenshot({ path: out }); if (errors.length) console.log('ERRORS', errors); await context.close(); }
finally { await b.close(); await s.close(); }
