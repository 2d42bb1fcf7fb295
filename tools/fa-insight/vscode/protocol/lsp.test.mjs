// fa lsp against a protocol-level client (vscode-jsonrpc, the library under vscode-languageclient):
// the life cycle, documents opened, changed (the unsaved text is analysed), saved and closed, hover,
// code actions, fa/explain, a .fa.toml edited while the server runs, a file outside the compile
// database, a file that does not compile; then garbage on the wire, answered with JSON-RPC errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { connect, env, frame, raw, start_server } from './lsp_session.mjs';

const cases = path.join(env.source, 'tools', 'fa', 'test', 'cases');
const file = path.join(cases, 'fa603_pointer_after_end.cpp');
const uri = `file://${file}`;
const original = fs.readFileSync(file, 'utf8');

function work_dir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fa-lsp-'));
}

const diagnostics_of = (box, n, what) => box.wait((p) => p.uri === uri && p.diagnostics.length === n, what);

test('a session: life cycle, documents, hover, code actions, configuration reloads', async (t) => {
  const dir = work_dir();
  const config = path.join(dir, '.fa.toml');
  fs.writeFileSync(config, '[check]\nfamilies = ["all"]\ndeny = ["FA6xx"]\n');
  const server = start_server(['--config', config]);
  const { connection, diagnostics, messages } = connect(server);
  t.after(() => {
    server.child.kill();
    if (process.env.FA_LSP_TRACE) console.log(JSON.stringify({ diagnostics: diagnostics.items, messages: messages.items }, null, 1));
  });

  await assert.rejects(connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }),
                       (e) => e.code === -32002);
  const init = await connection.sendRequest('initialize', {
    processId: process.pid, rootUri: `file://${dir}`, capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] } },
  });
  assert.equal(init.capabilities.positionEncoding, 'utf-8');
  assert.equal(init.capabilities.hoverProvider, true);
  assert.deepEqual(init.capabilities.codeActionProvider.codeActionKinds, ['quickfix']);
  assert.equal(init.capabilities.textDocumentSync.change, 1);
  await assert.rejects(connection.sendRequest('initialize', { capabilities: {} }), (e) => e.code === -32600);
  await connection.sendNotification('initialized', {});

  // Open: the two FA603 of the file, errors (denied), the allocation as related information.
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cpp', version: 1, text: original } });
  let p = await diagnostics_of(diagnostics, 2, 'the diagnostics of the opened file');
  assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character, d.severity]),
                   [['FA603', 7, 12, 19, 1], ['FA603', 15, 5, 9, 1]]);
  assert.equal(p.diagnostics[0].relatedInformation[0].location.range.start.line, 5);
  assert.match(p.diagnostics[0].relatedInformation[0].message, /allocated here/);
  assert.match(p.diagnostics[0].codeDescription.href, /^file:\/\/.*analyzer\.md#fa603-/);

  // Hover and code actions on the first finding; a hover on nothing is null.
  const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 14 } });
  assert.match(hover.contents.value, /FA603.*frame memory used after end_frame\(\)/s);
  assert.match(hover.contents.value, /\*\*Fix:\*\*/);
  assert.equal(await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 0 } }), null);
  const actions = await connection.sendRequest('textDocument/codeAction',
                                               { textDocument: { uri }, range: p.diagnostics[0].range, context: { diagnostics: [] } });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].edit.changes[uri][0].newText, '    // fa: allow FA603 -- reason: why this is safe\n');

  // Change: the unsaved text is analysed (one finding less), then a text that does not compile.
  const edited = original.replace('    *same = 3.0;  // expect: FA603\n', '');
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
  p = await diagnostics_of(diagnostics, 1, 'the diagnostics of the changed text');
  assert.equal(p.diagnostics[0].range.start.line, 7);
  const broken = `${original}\nint broken = ;\n`;
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: broken }] });
  p = await diagnostics.wait((x) => x.uri === uri && x.diagnostics.length === 1 && !x.diagnostics[0].code, 'a does-not-compile diagnostic');
  assert.match(p.diagnostics[0].message, /could not analyse this file: does not compile: .*expected expression/);
  assert.equal(p.diagnostics[0].range.start.line, original.split('\n').length);
  assert.equal(p.diagnostics[0].severity, 1);

  // An incremental change (a range) back to the original text, then save.
  const lines = broken.split('\n').length;
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [
    { range: { start: { line: lines - 3, character: 0 }, end: { line: lines - 1, character: 0 } }, text: '' }] });
  await diagnostics_of(diagnostics, 2, 'the diagnostics after the incremental change');
  const saved = diagnostics.items.length;
  await connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  await diagnostics.wait((x) => diagnostics.items.indexOf(x) >= saved && x.uri === uri && x.diagnostics.length === 2, 'diagnostics on save');

  // .fa.toml edited while running: a bad file is a showMessage error, the last good one stays in force;
  // a good one without deny turns the errors into warnings.
  fs.writeFileSync(config, '[check\nfamilies = [\n');
  const bad = await messages.wait((m) => m.type === 1 && m.message.includes('.fa.toml'), 'an error about the bad .fa.toml');
  assert.match(bad.message, /previous configuration stays in force/);
  assert.match((await connection.sendRequest('fa/explain', { code: 'FA601' })).markdown, /^\*\*FA601\*\* frame memory stored/);
  fs.writeFileSync(config, '[check]\nfamilies = ["all"]\n');
  p = await diagnostics.wait((x) => x.uri === uri && x.diagnostics.length === 2 && x.diagnostics.every((d) => d.severity === 2),
                             'warnings once deny is gone');

  // A file outside the compile database: no diagnostics, a warning saying why.
  const outside = path.join(dir, 'scratch.cpp');
  fs.writeFileSync(outside, 'int main() { return 0; }\n');
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: `file://${outside}`, languageId: 'cpp', version: 1, text: 'int main() {}\n' } });
  await diagnostics.wait((x) => x.uri === `file://${outside}` && x.diagnostics.length === 0, 'empty diagnostics outside the database');
  await messages.wait((m) => m.type === 2 && /scratch\.cpp: not in the compile database/.test(m.message), 'a warning about the file');

  // Errors: an unknown code, an unknown method, missing parameters.
  await assert.rejects(connection.sendRequest('fa/explain', { code: 'FA999' }), (e) => e.code === -32602 && /FA999/.test(e.message));
  await assert.rejects(connection.sendRequest('fa/unknown', {}), (e) => e.code === -32601);
  await assert.rejects(connection.sendRequest('textDocument/hover', { position: { line: 0, character: 0 } }), (e) => e.code === -32602);

  // Close clears the file's diagnostics; shutdown, then only exit; exit status 0.
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await diagnostics.wait((x) => x.uri === uri && x.diagnostics.length === 0, 'cleared diagnostics on close');
  assert.equal(await connection.sendRequest('shutdown'), null);
  await assert.rejects(connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }),
                       (e) => e.code === -32600);
  await connection.sendNotification('exit');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  connection.dispose();
});

test('garbage on the wire: JSON-RPC errors, and the server goes on', async (t) => {
  const server = start_server([]);
  t.after(() => server.child.kill());
  const { replies, write } = raw(server);
  const error_reply = (code, what) => replies.wait((m) => m.error && m.error.code === code && m.id === null && what.test(m.error.message), String(what));

  write(frame('hello'));
  await error_reply(-32700, /not JSON/);
  write('Content-Length: abc\r\n\r\n');
  await error_reply(-32700, /'abc' is not a byte count/);
  write('Content-Type: application/vscode-jsonrpc\r\n\r\n');
  await error_reply(-32700, /no Content-Length/);
  write('Content-Length: 99999999999\r\n\r\n');
  await error_reply(-32700, /not a byte count|over the limit/);
  write(frame('[1, 2]'));
  await error_reply(-32600, /JSON object/);
  write(frame('{"jsonrpc": "2.0", "id": {"no": 1}, "method": "initialize"}'));
  await error_reply(-32600, /JSON-RPC 2.0/);
  write(frame('{"jsonrpc": "1.0", "id": 3, "method": "initialize"}'));
  await replies.wait((m) => m.id === 3 && m.error?.code === -32600, 'a wrong jsonrpc version refused');
  write(frame('['.repeat(100000)));
  await error_reply(-32700, /nested too deeply/);
  write(frame('{"jsonrpc": "2.0", "id": 4, "method": "initialize", "params": {"capabilities": {}}}'));
  const init = await replies.wait((m) => m.id === 4, 'initialize after the garbage');
  assert.equal(init.result.capabilities.hoverProvider, true);
  write(frame('{"jsonrpc": "2.0", "id": 5, "method": "textDocument/definition", "params": {}}'));
  assert.equal((await replies.wait((m) => m.id === 5, 'an unknown method')).error.code, -32601);
  write(frame('{"jsonrpc": "2.0", "method": "some/notification", "params": {}}'));  // ignored, as notifications are
  write(frame('{"jsonrpc": "2.0", "method": "exit"}'));  // exit without shutdown: status 1
  assert.deepEqual(await server.exited, { code: 1, signal: null });
});

test('input that ends without exit: the server stops (status 1) instead of hanging', async (t) => {
  const server = start_server([]);
  t.after(() => server.child.kill());
  server.child.stdin.end(frame('{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}'));
  assert.deepEqual(await server.exited, { code: 1, signal: null });
});

test('positions count UTF-16 code units unless the client takes UTF-8', async (t) => {
  const config = path.join(work_dir(), '.fa.toml');
  fs.writeFileSync(config, '[check]\nfamilies = ["all"]\n');
  const server = start_server(['--config', config]);
  t.after(() => server.child.kill());
  const { connection, diagnostics } = connect(server);
  const init = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  assert.equal(init.capabilities.positionEncoding, 'utf-16');
  // é is 2 bytes and 1 unit, the emoji 4 bytes and 2 units: 'counter' starts at byte 23, unit 20.
  const text = original.replace('    return *counter;', '    /*\u00e9\u{1F600}*/ return *counter;');
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cpp', version: 1, text } });
  const p = await diagnostics_of(diagnostics, 2, 'the diagnostics of the text with wide characters');
  assert.deepEqual(p.diagnostics[0].range, { start: { line: 7, character: 20 }, end: { line: 7, character: 27 } });
  const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 22 } });
  assert.match(hover.contents.value, /FA603/);
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  connection.dispose();
});
