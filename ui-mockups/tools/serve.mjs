// npm run serve [-- PORT]: serve the mockups on http://127.0.0.1:PORT/ (default: a free port) until Ctrl-C.
import { startServer } from './lib.mjs';
const s = await startServer(undefined, Number(process.argv[2] || 0));
console.log(`mockups at ${s.base}  (index: ${s.base}index.html)`);
