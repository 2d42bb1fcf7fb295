// Builds the page into one folder: index.html, app.js (one classic script, so the page also works
// opened straight from disk) and app.css, with the library's code registry bundled in.
//
//   node build.js --out DIR [--codes codes.json]
//
// Without --codes the page is built without explanations for diagnostic codes (and says so).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
}

const out = option('--out');
const codes = option('--codes');
if (!out) {
  process.stderr.write('usage: node build.js --out DIR [--codes codes.json]\n');
  process.exit(2);
}

// `import registry from 'fa-codes'` resolves to the registry JSON given on the command line.
const codes_plugin = {
  name: 'fa-codes',
  setup(b) {
    b.onResolve({ filter: /^fa-codes$/ }, () => ({ path: 'fa-codes', namespace: 'fa-codes' }));
    b.onLoad({ filter: /.*/, namespace: 'fa-codes' }, () => {
      if (!codes) return { contents: '{"codes": []}', loader: 'json' };
      const text = fs.readFileSync(codes, 'utf8');
      const parsed = JSON.parse(text);
      if (!Array.isArray(parsed.codes) || parsed.codes.length === 0) throw new Error(`${codes} holds no codes`);
      return { contents: text, loader: 'json', watchFiles: [codes] };
    });
  },
};

fs.mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: path.join(here, 'src/main.js') },
  bundle: true,
  format: 'iife',
  target: ['chrome109', 'firefox115', 'safari16'],
  minify: process.env.FA_INSIGHT_DEBUG !== "1",
  sourcemap: true,
  outdir: out,
  plugins: [codes_plugin],
  logLevel: 'warning',
});
fs.copyFileSync(path.join(here, 'src/index.html'), path.join(out, 'index.html'));
process.stdout.write(`fa-insight: page built in ${out}\n`);
