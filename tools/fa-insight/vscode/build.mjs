// Builds the extension: dist/extension.js (one CommonJS bundle, `vscode` left to the editor) and, for
// the unit tests, the logic that needs no editor as ES modules in dist/lib/.
import { build } from 'esbuild';

await build({ entryPoints: ['src/extension.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
              external: ['vscode'], outfile: 'dist/extension.js', logLevel: 'warning' });
await build({ entryPoints: ['src/locate.ts', 'src/inspector_model.ts'], bundle: true, platform: 'node', format: 'esm',
              target: 'node20', outdir: 'dist/lib', outExtension: { '.js': '.mjs' }, logLevel: 'warning' });
