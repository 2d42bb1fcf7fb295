// A `fa lsp` process for the protocol tests: a vscode-jsonrpc connection over its stdio (or, for the
// garbage tests, raw writes with every reply collected by vscode-jsonrpc's reader), and waits with
// deadlines, so a server that hangs fails the test instead of stalling it. FA_LSP_TRACE=1 logs each
// message sent, each diagnostics received, and the server's exit and stderr.
import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

export const env = {
  fa: process.env.FA,
  build: process.env.FA_BUILD,
  source: process.env.FA_SOURCE,
};
if (!env.fa || !env.build || !env.source) throw new Error('set FA, FA_BUILD and FA_SOURCE (ctest does)');

export function start_server(args) {
  const child = spawn(env.fa, ['lsp', '-p', env.build, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += String(chunk); });
  if (process.env.FA_LSP_TRACE) {
    child.on('exit', (code, signal) => console.log(`fa lsp exited: ${code} ${signal}\n${stderr}`));
  }
  return { child, exited };
}

// Resolves with the first item `pick` accepts among those already seen or arriving; rejects after `ms`.
export class inbox {
  constructor() {
    this.items = [];
    this.waiters = [];
  }
  push(item) {
    this.items.push(item);
    for (const w of [...this.waiters]) w();
  }
  wait(pick, what, ms = Number(process.env.FA_LSP_WAIT_MS ?? 90000)) {
    return new Promise((resolve, reject) => {
      let from = 0;
      const look = () => {
        for (; from < this.items.length; ++from) {
          if (pick(this.items[from])) {
            done();
            resolve(this.items[from]);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== look);
      };
      this.waiters.push(look);
      look();
    });
  }
}

export function connect(server) {
  const connection = createMessageConnection(new StreamMessageReader(server.child.stdout), new StreamMessageWriter(server.child.stdin));
  const diagnostics = new inbox();
  const messages = new inbox();
  connection.onNotification('textDocument/publishDiagnostics', (p) => diagnostics.push(p));
  connection.onNotification('window/showMessage', (p) => messages.push(p));
  connection.onNotification('window/logMessage', (p) => messages.push(p));
  connection.listen();
  if (process.env.FA_LSP_TRACE) {
    const t0 = Date.now();
    for (const name of ['sendRequest', 'sendNotification']) {
      const original = connection[name].bind(connection);
      connection[name] = (method, ...rest) => {
        process.stderr.write(`${Date.now() - t0} ms: ${name} ${method}\n`);
        return original(method, ...rest);
      };
    }
    diagnostics.push = ((push) => (item) => {
      process.stderr.write(`${Date.now() - t0} ms: diagnostics ${item.uri} ${item.diagnostics.length}\n`);
      push.call(diagnostics, item);
    })(diagnostics.push);
  }
  return { connection, diagnostics, messages };
}

// Every message the server writes, read by vscode-jsonrpc's reader; bytes go in as they are given.
export function raw(server) {
  const replies = new inbox();
  new StreamMessageReader(server.child.stdout).listen((m) => replies.push(m));
  return { replies, write: (text) => server.child.stdin.write(text) };
}

export function frame(body) {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
