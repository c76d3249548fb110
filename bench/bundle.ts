/**
 * Gzipped size of what the portal's first page loads (scripts, module preloads, stylesheets), read from the
 * built index.html. Run `npm run build` first. Usage: npx tsx bench/bundle.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const rows = ['portal', 'console'].map((app) => {
  const dist = path.join('dist', 'web', app);
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(js|css))"/g)].map((m) => ({
    file: m[1]!,
    kind: m[2]!,
  }));
  const size = (kind: string) =>
    refs
      .filter((r) => r.kind === kind)
      .reduce((n, r) => n + zlib.gzipSync(fs.readFileSync(path.join(dist, r.file))).length, 0);
  return {
    app,
    js_gzip_kb: +(size('js') / 1024).toFixed(1),
    css_gzip_kb: +(size('css') / 1024).toFixed(1),
    files: refs.length,
  };
});
console.log(JSON.stringify(rows));
console.table(rows);
