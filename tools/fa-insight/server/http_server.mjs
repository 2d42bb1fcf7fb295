// The local server behind `fa-insight serve`: the page, the snapshot files, a stream of directory
// changes and the snapshot request. It listens on loopback only and answers only requests addressed to
// loopback (a page on another site cannot reach it through DNS rebinding or a form post).
//
//   GET  /                 the page (from the app folder)
//   GET  /api/info         { directory, request_file }
//   GET  /api/files        { files: [name...] }         snapshot file names, sorted
//   POST /api/read         { names: [...] } -> { files: [{ name, text } | { name, missing: true }] }
//   GET  /api/file/NAME    one file's text
//   GET  /api/events       server-sent events: added { name, requested } / removed { name }; requested
//                          is true for the first file written after the program took a request
//   POST /api/request      creates DIR/<request file>: the program writes a snapshot at its next frame
import http from 'node:http';
import { event_stream } from './event_stream.mjs';
import { snapshot_dir } from './snapshot_dir.mjs';
import { serve_static } from './static_files.mjs';

const loopback_host = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;
const max_body = 8 << 20;

function send_json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function read_body(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const parts = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > max_body) reject(new Error('request too large'));
      else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

// A request from a page of another origin (a form post, a fetch without CORS) is refused.
function same_origin(req) {
  const origin = req.headers.origin;
  return origin === undefined || origin === 'null' || loopback_host.test(origin.replace(/^http:\/\//, ''));
}

export async function start_server({ directory, app_dir, port = 0, host = '127.0.0.1', request_file = 'snapshot.request' }) {
  const dir = new snapshot_dir(directory);
  const events = new event_stream();
  // The program deletes the request file when it takes the request, before it writes the snapshot: the
  // first file added after that is the one asked for.
  let request_pending = false;
  dir.on('added', (name) => {
    const requested = request_pending && !dir.has_request(request_file);
    if (requested) request_pending = false;
    events.send('added', { name, requested });
  });
  dir.on('removed', (name) => events.send('removed', { name }));
  await dir.start();

  const api = {
    'GET /api/info': async (req, res) => send_json(res, 200, { directory: dir.directory, request_file }),
    'GET /api/files': async (req, res) => send_json(res, 200, { files: await dir.list() }),
    'GET /api/events': async (req, res) => events.attach(res),
    'POST /api/read': async (req, res) => {
      const { names } = JSON.parse(await read_body(req));
      if (!Array.isArray(names)) return send_json(res, 400, { error: 'names must be an array' });
      const files = await Promise.all(names.map(async (name) => {
        const text = await dir.read(String(name));
        return text === null ? { name, missing: true } : { name, text };
      }));
      return send_json(res, 200, { files });
    },
    'POST /api/request': async (req, res) => {
      const file = await dir.request(request_file);
      request_pending = true;
      send_json(res, 200, { requested: file });
    },
  };

  const server = http.createServer(async (req, res) => {
    try {
      if (!loopback_host.test(req.headers.host ?? '') || !same_origin(req)) return send_json(res, 403, { error: 'forbidden' });
      const url = new URL(req.url, 'http://localhost');
      const route = api[`${req.method} ${url.pathname}`];
      if (route) return await route(req, res);
      if (req.method === 'GET' && url.pathname.startsWith('/api/file/')) {
        const text = await dir.read(decodeURIComponent(url.pathname.slice('/api/file/'.length)));
        if (text === null) return send_json(res, 404, { error: 'no such snapshot file' });
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(text);
      }
      if (req.method === 'GET' && serve_static(app_dir, url.pathname, res)) return undefined;
      return send_json(res, 404, { error: 'not found' });
    } catch (e) {
      if (!res.headersSent) send_json(res, 500, { error: String(e.message ?? e) });
      else res.end();
      return undefined;
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const url = `http://${host}:${address.port}/`;
  return {
    url,
    directory: dir.directory,
    close: () => new Promise((resolve) => {
      dir.stop();
      events.close();
      server.close(resolve);
      server.closeAllConnections();
    }),
  };
}
