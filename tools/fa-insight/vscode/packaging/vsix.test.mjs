// The built package (VSIX=path/fa-insight-<version>.vsix): a .vsix VS Code installs, holding the
// bundled extension and a manifest that contributes the language client's activation, the settings,
// the memory inspector view and the commands.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { read_zip } from './zip.mjs';

const vsix = process.env.VSIX;
if (!vsix) throw new Error('set VSIX to the built package (ctest does)');

test('the package: named by its version, with the extension bundled and the manifest', () => {
  const entries = read_zip(vsix);
  const manifest = JSON.parse(entries.get('extension/package.json').toString('utf8'));
  assert.equal(path.basename(vsix), `fa-insight-${manifest.version}.vsix`);
  assert.match(entries.get('extension.vsixmanifest').toString('utf8'), /<Identity [^>]*Id="fa-insight"[^>]*Publisher="framealloc"/);
  assert.ok(entries.has('extension/dist/extension.js'));
  assert.ok(entries.has('extension/media/memory.svg'));
  const bundle = entries.get('extension/dist/extension.js').toString('utf8');
  assert.match(bundle, /exports.*activate|activate:/s);
  assert.match(bundle, /vscode-languageclient|LanguageClient/);   // the client is bundled, not left to node_modules
  assert.doesNotMatch(bundle, /require\("vscode-languageclient/);
  assert.ok(![...entries.keys()].some((n) => n.includes('node_modules/') || n.endsWith('.ts')), 'no sources, no node_modules');
});

test('the manifest contributes what the extension offers', () => {
  const manifest = JSON.parse(read_zip(vsix).get('extension/package.json').toString('utf8'));
  assert.equal(manifest.main, './dist/extension.js');
  assert.ok(manifest.activationEvents.includes('onLanguage:cpp'));
  const c = manifest.contributes;
  assert.deepEqual(c.commands.map((x) => x.command).sort(),
                   ['faInsight.explainCode', 'faInsight.openViewer', 'faInsight.refreshInspector', 'faInsight.requestSnapshot',
                    'faInsight.restartServer']);
  assert.deepEqual(c.commands.find((x) => x.command === 'faInsight.requestSnapshot').title, 'Request snapshot');
  assert.deepEqual(c.commands.find((x) => x.command === 'faInsight.explainCode').title, 'Explain FA code');
  assert.deepEqual(c.views.faInsight, [{ id: 'faInsight.memoryInspector', name: 'Memory inspector' }]);
  assert.equal(c.viewsContainers.activitybar[0].id, 'faInsight');
  assert.deepEqual(Object.keys(c.configuration.properties).sort(),
                   ['faInsight.buildDirectory', 'faInsight.faPath', 'faInsight.requestFile', 'faInsight.snapshotDirectory',
                    'faInsight.viewerPath']);
  assert.ok(manifest.dependencies['vscode-languageclient']);
});
