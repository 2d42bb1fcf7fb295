// The built page (index.html, app.js, app.css) from one folder; nothing outside it is ever served.
import fs from 'node:fs';
import path from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

export function serve_static(root, url_path, res) {
  const relative = decodeURIComponent(url_path === '/' ? '/index.html' : url_path);
  const file = path.resolve(root, `.${relative}`);
  if (file !== root && !file.startsWith(root + path.sep)) return false;
  let data;
  try {
    data = fs.readFileSync(file);
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream',
                       'cache-control': 'no-cache' });
  res.end(data);
  return true;
}
