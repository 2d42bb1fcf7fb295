// Child processes of a browser test: the demo or scenario (run to completion, or left running for the
// live test) and `fa-insight serve` (started from the exact command the demo prints). Every process
// started here is stopped by stop_all(), by its own pid.
import { spawn } from 'node:child_process';

const running = new Set();

// Runs `command args` to completion: { code, stdout, stderr }.
export function run(command, args, { timeout_ms = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not finish within ${timeout_ms} ms`));
    }, timeout_ms);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Starts a long-running process; resolves once a line of its stdout matches `ready` (with the match).
export function start(command, args, { ready, timeout_ms = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${command} printed no ${ready} within ${timeout_ms} ms:\n${out}${err}`)),
                             timeout_ms);
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready ? ready.exec(out) : [];
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, output: () => out });
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready:\n${out}${err}`));
    });
    if (!ready) {
      clearTimeout(timer);
      resolve({ child, match: null, output: () => out });
    }
  });
}

export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await closed;
  clearTimeout(timer);
}

export async function stop_all() {
  await Promise.all([...running].map(stop));
}

// `fa-insight serve DIR` on a free port: { url, child }.
export async function serve(fa_insight, directory, extra = []) {
  const { child, match } = await start(fa_insight, ['serve', directory, ...extra], { ready: /at (http:\/\/127\.0\.0\.1:\d+\/)/ });
  return { url: match[1], child };
}
