// Where the extension finds fa and fa-insight: the setting, the workspace's build trees, PATH.
import assert from 'node:assert/strict';
import test from 'node:test';
import { locate_program } from '../dist/lib/locate.mjs';

function request(overrides, executables) {
  return { name: 'fa', configured: '', workspace: '/ws', in_workspace: ['build/debug/tools/fa/fa', 'build/tools/fa/fa'],
           path_env: '/usr/local/bin:/usr/bin', is_executable: (f) => executables.includes(f), ...overrides };
}

test('the configured path wins, relative to the workspace', () => {
  const all = ['/ws/tools/my-fa', '/ws/build/debug/tools/fa/fa', '/usr/bin/fa'];
  assert.deepEqual(locate_program(request({ configured: 'tools/my-fa' }, all)), { ok: true, file: '/ws/tools/my-fa' });
  assert.deepEqual(locate_program(request({ configured: '/opt/fa' }, ['/opt/fa'])), { ok: true, file: '/opt/fa' });
});

test('a configured path that is not there is an error, not a silent fallback', () => {
  const r = locate_program(request({ configured: '/opt/fa' }, ['/usr/bin/fa']));
  assert.equal(r.ok, false);
  assert.match(r.error, /configured fa \(\/opt\/fa\) is not an executable/);
});

test('the workspace build trees in order, then PATH', () => {
  assert.equal(locate_program(request({}, ['/ws/build/tools/fa/fa', '/ws/build/debug/tools/fa/fa', '/usr/bin/fa'])).file,
               '/ws/build/debug/tools/fa/fa');
  assert.equal(locate_program(request({}, ['/ws/build/tools/fa/fa', '/usr/bin/fa'])).file, '/ws/build/tools/fa/fa');
  assert.equal(locate_program(request({}, ['/usr/bin/fa', '/usr/local/bin/fa'])).file, '/usr/local/bin/fa');
  assert.equal(locate_program(request({ workspace: undefined }, ['/ws/build/tools/fa/fa', '/usr/bin/fa'])).file, '/usr/bin/fa');
});

test('nothing found: the error names every place looked at', () => {
  const r = locate_program(request({ path_env: '' }, []));
  assert.equal(r.ok, false);
  assert.match(r.error, /\/ws\/build\/debug\/tools\/fa\/fa, \/ws\/build\/tools\/fa\/fa, fa on PATH/);
});
