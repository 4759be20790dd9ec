// Writes a .gz and a .br file beside index.html and every built asset,
// so `noaber serve` can send them precompressed.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const compressible = /\.(html|js|mjs|css|svg|json|txt|webmanifest|ico)$/;
let total = 0;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { walk(path); continue; }
    if (!compressible.test(name)) continue;
    const data = readFileSync(path);
    const gz = gzipSync(data, { level: 9 });
    const br = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    writeFileSync(path + '.gz', gz);
    writeFileSync(path + '.br', br);
    total += br.length;
    console.log(`${path.slice(dist.length)}: ${data.length} B, gzip ${gz.length} B, brotli ${br.length} B`);
  }
}
walk(dist);
console.log(`brotli total: ${total} B`);
