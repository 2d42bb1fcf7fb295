// Headless Chromium from Debian's package, driven by playwright-core (which never downloads a browser).
// The flags keep it off the network: this machine has none, and Chromium's background services would
// otherwise keep trying.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const chromium_path = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch_browser() {
  if (!fs.existsSync(chromium_path))
    throw new Error(`${chromium_path} not found: install Debian's chromium (scripts/install-deps.sh does)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-insight-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromium_path,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  return {
    context,
    errors,  // uncaught exceptions of any page: a test fails on them
    async page() {
      const p = await context.newPage();
      p.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      return p;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
