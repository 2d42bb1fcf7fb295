// The snapshot files a test's program wrote, read straight from disk: the numbers the page must show.
import fs from 'node:fs';
import path from 'node:path';

export function snapshot_files(dir) {
  return fs.readdirSync(dir).filter((n) => /^snapshot_\d{20}\.json$/.test(n)).sort();
}

export function read_snapshots(dir) {
  return snapshot_files(dir).map((name) => ({ name, json: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) }));
}

// The page writes bytes as 1,234,567.
export function exact(n) {
  return Math.round(n).toLocaleString('en-US');
}

export async function wait_for(what, check, { timeout_ms = 15000, every_ms = 100 } = {}) {
  const end = Date.now() + timeout_ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every_ms));
  }
}
