// The installed viewer: `cmake --install` of this build into a scratch prefix, then bin/fa-insight serves
// the installed page and the snapshot API (no source tree, no node_modules needed).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, test } from 'node:test';
import { run, serve, stop_all } from './browser/support/processes.js';

const build = process.env.FRAMEALLOC_BUILD_DIR;
const prefix = process.env.INSTALL_PREFIX;

after(stop_all);

test('bin/fa-insight from the installed package serves the page and the snapshots', async () => {
  assert.ok(build && prefix, 'run through ctest (FRAMEALLOC_BUILD_DIR, INSTALL_PREFIX)');
  fs.rmSync(prefix, { recursive: true, force: true });
  const install = await run(process.env.CMAKE_COMMAND ?? 'cmake', ['--install', build, '--prefix', prefix], { timeout_ms: 120000 });
  assert.equal(install.code, 0, install.stdout + install.stderr);
  const launcher = path.join(prefix, 'bin', 'fa-insight');
  fs.accessSync(launcher, fs.constants.X_OK);

  const dir = path.join(prefix, 'snapshots');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'snapshot_00000000000000000001.json'), '{"version": 1}');
  const { url } = await serve(launcher, dir);
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<script defer src="app.js">/);
  for (const asset of ['app.js', 'app.css']) assert.equal((await fetch(new URL(asset, url))).status, 200, asset);
  assert.deepEqual(await (await fetch(new URL('api/info', url))).json(), { directory: dir, request_file: 'snapshot.request' });
  assert.deepEqual(await (await fetch(new URL('api/files', url))).json(), { files: ['snapshot_00000000000000000001.json'] });
  const request = await fetch(new URL('api/request', url), { method: 'POST' });
  assert.equal(request.status, 200);
  assert.ok(fs.existsSync(path.join(dir, 'snapshot.request')));
});

test('the server refuses requests from other origins and other hosts', async () => {
  const dir = path.join(prefix, 'snapshots');
  const { url } = await serve(path.join(prefix, 'bin', 'fa-insight'), dir);
  const foreign = await fetch(new URL('api/request', url), { method: 'POST', headers: { origin: 'http://example.com' } });
  assert.equal(foreign.status, 403);
  // A page of another site reaching 127.0.0.1 through its own name (DNS rebinding) sends that name.
  const rebound = await new Promise((resolve, reject) => {
    const u = new URL('api/files', url);
    http.get({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
  assert.equal(rebound, 403);
  const outside = await fetch(new URL('/../../etc/passwd', url));
  assert.equal(outside.status, 404);
});
