#!/usr/bin/env node
// fa-insight: the framealloc snapshot viewer.
//
//   fa-insight serve DIR [--port N] [--request-file NAME]
//
// Serves the viewer on http://127.0.0.1 (a free port unless --port) for the snapshots in DIR, follows
// the directory while it runs, and prints the URL. Stop it with Ctrl-C.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { start_server } from './http_server.mjs';

const usage = `usage: fa-insight serve DIR [--port N] [--request-file NAME] [--app DIR]
  DIR                 the snapshot directory (snapshot_config::directory); it may not exist yet
  --port N            port on 127.0.0.1 (default: a free one)
  --request-file NAME the request file the program watches (default: snapshot.request)
  --app DIR           the built page (default: $FA_INSIGHT_APP, else the app folder installed beside
                      this script's folder)`;

function fail(message) {
  process.stderr.write(`fa-insight: ${message}\n${usage}\n`);
  process.exit(2);
}

function parse(argv) {
  const args = { port: 0, request_file: 'snapshot.request', app_dir: null, directory: null };
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (argv[0] !== 'serve') fail(argv.length ? `unknown command '${argv[0]}'` : 'no command');
  for (let i = 1; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : fail(`${a} needs a value`));
    if (a === '--port') {
      const v = value();
      args.port = Number(v);
      if (!/^\d+$/.test(v) || args.port > 65535) fail(`bad port '${v}'`);
    } else if (a === '--request-file') {
      args.request_file = value();
      if (args.request_file.includes('/') || args.request_file === '') fail('--request-file is a plain file name');
    } else if (a === '--app') {
      args.app_dir = path.resolve(value());
    } else if (a.startsWith('-')) {
      fail(`unknown option '${a}'`);
    } else if (args.directory === null) {
      args.directory = a;
    } else {
      fail(`one directory only ('${a}')`);
    }
  }
  if (args.directory === null) fail('serve needs the snapshot directory');
  return args;
}

// The page: --app, else $FA_INSIGHT_APP (the build tree's launcher sets it), else `app` beside this
// script's folder (the installed layout, share/framealloc/fa-insight/{server,app}).
function app_dir(given) {
  const dir = given ?? process.env.FA_INSIGHT_APP ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'app');
  if (!fs.existsSync(path.join(dir, 'index.html'))) fail(`the built page is not in ${dir} (build fa-insight, or pass --app)`);
  return dir;
}

const args = parse(process.argv.slice(2));
const server = await start_server({ directory: args.directory, app_dir: app_dir(args.app_dir), port: args.port,
                                    request_file: args.request_file }).catch((e) => fail(e.message));
process.stdout.write(`fa-insight: ${server.directory} at ${server.url}\n`);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
