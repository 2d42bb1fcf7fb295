// The snapshot directory as the server sees it: which files are there, their text, and a watch that
// reports files appearing (or rewritten) and disappearing. fs.watch gives the prompt report; a slow
// rescan of the names covers file systems where it says nothing. The directory may not exist yet (the
// program creates it with its first snapshot): it is then empty and watched for.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

// Snapshot files and anything else a user put there that ends in .json; the emitter's temporary files
// start with a dot and end in .tmp, so they never match.
export function is_listed(name) {
  return name.endsWith('.json') && !name.startsWith('.') && !name.includes('/') && !name.includes('\\');
}

export class snapshot_dir extends EventEmitter {
  constructor(directory, { rescan_ms = 1000 } = {}) {
    super();
    this.directory = path.resolve(directory);
    this.rescan_ms = rescan_ms;
    this.known = new Map();  // name -> modification time when last reported
    this.watcher = null;
    this.timer = null;
    this.pending = new Map();  // name -> timer: one rename raises several events, report it once
  }

  async list() {
    try {
      const names = await fs.promises.readdir(this.directory);
      return names.filter(is_listed).sort();
    } catch (e) {
      if (e.code === 'ENOENT') return [];
      throw e;
    }
  }

  // The text of a listed file; null when it is gone (pruned between listing and reading).
  async read(name) {
    if (!is_listed(name)) return null;
    try {
      return await fs.promises.readFile(path.join(this.directory, name), 'utf8');
    } catch (e) {
      if (e.code === 'ENOENT') return null;
      throw e;
    }
  }

  async start() {
    for (const name of await this.list()) {
      try {
        this.known.set(name, fs.statSync(path.join(this.directory, name)).mtimeMs);
      } catch {
        // pruned meanwhile: the first rescan reports nothing for it
      }
    }
    this.timer = setInterval(() => this.rescan(), this.rescan_ms);
    this.timer.unref();
    this.watch();
  }

  stop() {
    clearInterval(this.timer);
    for (const t of this.pending.values()) clearTimeout(t);
    if (this.watcher) this.watcher.close();
    this.watcher = null;
  }

  watch() {
    if (this.watcher) return;
    try {
      this.watcher = fs.watch(this.directory, (event, name) => {
        // Temporary and request files are not snapshots; an event without a name means "look again".
        if (name && is_listed(name)) this.check(name);
        else if (!name) this.rescan();
      });
      this.watcher.on('error', () => {
        this.watcher.close();
        this.watcher = null;  // the directory went away: the rescan watches again when it is back
      });
    } catch {
      this.watcher = null;  // not there yet
    }
  }

  // One name changed: it is there (new, or rewritten by a rename over it) or it is gone.
  check(name) {
    clearTimeout(this.pending.get(name));
    this.pending.set(name, setTimeout(() => {
      this.pending.delete(name);
      this.report(name);
    }, 25));
  }

  // A file is reported once per version: fs.watch raises several events for one rename, and the rescan
  // may see the same file in between. A file rewritten in place (same frame) has a new time.
  report(name) {
    fs.stat(path.join(this.directory, name), (err, st) => {
      if (err) {
        if (this.known.delete(name)) this.emit('removed', name);
      } else if (this.known.get(name) !== st.mtimeMs) {
        this.known.set(name, st.mtimeMs);
        this.emit('added', name);
      }
    });
  }

  async rescan() {
    if (!this.watcher) this.watch();
    let names;
    try {
      names = new Set(await this.list());
    } catch {
      return;
    }
    for (const n of names) if (!this.known.has(n)) this.report(n);
    for (const n of [...this.known.keys()]) if (!names.has(n)) {
      this.known.delete(n);
      this.emit('removed', n);
    }
  }

  has_request(file_name) {
    return fs.existsSync(path.join(this.directory, file_name));
  }

  // Asks the program for a snapshot: creates the request file its snapshot_emitter watches.
  async request(file_name) {
    await fs.promises.mkdir(this.directory, { recursive: true });
    const target = path.join(this.directory, file_name);
    await fs.promises.writeFile(target, '');
    return target;
  }
}
