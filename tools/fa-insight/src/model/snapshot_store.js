// Every snapshot the page knows, from a directory or dropped files: a digest per readable file, sorted by
// frame, and a message per file that could not be read. Full snapshots are kept for the most recently
// used few and read again through their loader otherwise, so memory grows with the digests only.
import { digest } from './digest.js';
import { parse_snapshot } from './parse.js';

function compare(a, b) {
  return a.digest.frame - b.digest.frame || a.digest.timestamp.localeCompare(b.digest.timestamp) ||
         a.id.localeCompare(b.id);
}

export class snapshot_store {
  // cache_size: full snapshots kept in memory.
  constructor({ cache_size = 24 } = {}) {
    this.entries = [];            // [{ id, name, origin, digest, load, removed }] sorted by frame
    this.by_id = new Map();       // id -> entry
    this.failures = new Map();    // id -> { id, name, origin, error }
    this.cache = new Map();       // id -> parsed snapshot, in use order (oldest first)
    this.cache_size = cache_size;
    this.revision = 0;            // bumped on every change
    this.listeners = [];
    this.batch_depth = 0;
    this.unsorted = false;
  }

  on_change(f) {
    this.listeners.push(f);
  }

  changed() {
    ++this.revision;
    if (this.batch_depth === 0) for (const f of this.listeners) f(this);
  }

  // Adds many files with one sort and one notification.
  batch(work) {
    ++this.batch_depth;
    try {
      return work();
    } finally {
      if (--this.batch_depth === 0) {
        if (this.unsorted) this.entries.sort(compare);
        this.unsorted = false;
        this.changed();
      }
    }
  }

  // add(name, text, { origin, load }) -> the entry, or null when the file could not be read (its
  // message is in failures). `load` reads the text again later; a file added twice under the same
  // origin and name replaces the first (the emitter rewrites a frame's file in place).
  add(name, text, { origin = 'file', load = null } = {}) {
    const id = `${origin}:${name}`;
    this.drop(id);
    const parsed = parse_snapshot(text);
    if (!parsed.ok) {
      this.failures.set(id, { id, name, origin, error: parsed.error });
      this.changed();
      return null;
    }
    const entry = { id, name, origin, digest: digest(parsed.snapshot), load, removed: false };
    this.by_id.set(id, entry);
    this.remember(id, parsed.snapshot);
    if (this.batch_depth > 0) {
      this.entries.push(entry);
      this.unsorted = true;
    } else {
      let lo = 0;
      let hi = this.entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compare(this.entries[mid], entry) <= 0) lo = mid + 1;
        else hi = mid;
      }
      this.entries.splice(lo, 0, entry);
    }
    this.changed();
    return entry;
  }

  drop(id) {
    this.failures.delete(id);
    this.cache.delete(id);
    const old = this.by_id.get(id);
    if (old) {
      this.by_id.delete(id);
      this.entries.splice(this.entries.indexOf(old), 1);
    }
  }

  // The file is gone from its directory (pruned by the program): its digest stays, its full snapshot
  // only while cached.
  mark_removed(origin, name) {
    const id = `${origin}:${name}`;
    const e = this.by_id.get(id);
    if (e && !e.removed) {
      e.removed = true;
      this.changed();
    }
    if (this.failures.delete(id)) this.changed();
  }

  remember(id, snapshot) {
    this.cache.delete(id);
    this.cache.set(id, snapshot);
    while (this.cache.size > this.cache_size) this.cache.delete(this.cache.keys().next().value);
  }

  // The full snapshot of `entry`: Promise<snapshot>. Rejects when the file cannot be read again.
  async full(entry) {
    const cached = this.cache.get(entry.id);
    if (cached) {
      this.remember(entry.id, cached);
      return cached;
    }
    if (!entry.load || entry.removed) throw new Error(`${entry.name} is no longer in its directory`);
    const parsed = parse_snapshot(await entry.load());
    if (!parsed.ok) throw new Error(`${entry.name}: ${parsed.error}`);
    this.remember(entry.id, parsed.snapshot);
    return parsed.snapshot;
  }

  digests() {
    return this.entries.map((e) => e.digest);
  }

  index_of_frame(frame) {
    return this.entries.findIndex((e) => e.digest.frame === frame);
  }
}
