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
    this.known = new Set();
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
    this.known = new Set(await this.list());
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
        if (name && is_listed(name)) this.check(name);
        else this.rescan();
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

  report(name) {
    fs.stat(path.join(this.directory, name), (err) => {
      if (err) {
        if (this.known.delete(name)) this.emit('removed', name);
      } else {
        this.known.add(name);
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
    for (const n of names) if (!this.known.has(n)) {
      this.known.add(n);
      this.emit('added', n);
    }
    for (const n of [...this.known]) if (!names.has(n)) {
      this.known.delete(n);
      this.emit('removed', n);
    }
  }

  // Asks the program for a snapshot: creates the request file its snapshot_emitter watches.
  async request(file_name) {
    await fs.promises.mkdir(this.directory, { recursive: true });
    const target = path.join(this.directory, file_name);
    await fs.promises.writeFile(target, '');
    return target;
  }
}
