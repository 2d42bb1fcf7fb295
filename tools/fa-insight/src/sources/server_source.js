// The snapshot directory behind `fa-insight serve`: reads every file in batches, then follows the
// directory through server-sent events (files added or rewritten, files pruned) without reloading the
// page. After a lost connection the listing is read again, so nothing written meanwhile is missed.
// Opened from a file (no server), connect_server() answers null and the page works on dropped files.

const batch_size = 250;

async function json(url, init) {
  const r = await fetch(url, init);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

export async function connect_server(store, on_status) {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return null;  // opened from disk
  let info;
  try {
    info = await json('api/info');
  } catch {
    return null;
  }
  const origin = 'dir';
  const load = (name) => async () => {
    const r = await fetch(`api/file/${encodeURIComponent(name)}`);
    if (!r.ok) throw new Error(`${name} is no longer in its directory`);
    return r.text();
  };

  async function read(names) {
    for (let i = 0; i < names.length; i += batch_size) {
      const { files } = await json('api/read', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ names: names.slice(i, i + batch_size) }),
      });
      store.batch(() => {
        for (const f of files) {
          if (f.missing) store.mark_removed(origin, f.name);
          else store.add(f.name, f.text, { origin, load: load(f.name) });
        }
      });
      if (names.length > batch_size) on_status({ state: 'loading', done: Math.min(i + batch_size, names.length), total: names.length });
    }
  }

  async function sync() {
    const { files } = await json('api/files');
    const known = new Set(store.entries.filter((e) => e.origin === origin && !e.removed).map((e) => e.name));
    for (const f of store.failures.values()) if (f.origin === origin) known.add(f.name);
    await read(files.filter((n) => !known.has(n)));
    const listed = new Set(files);
    for (const n of known) if (!listed.has(n)) store.mark_removed(origin, n);
  }

  // Events are handled in arrival order: a file added then pruned must end up removed.
  let queue = Promise.resolve();
  const enqueue = (work) => {
    queue = queue.then(work).catch((e) => on_status({ state: 'error', message: e.message }));
  };
  const events = new EventSource('api/events');
  let opened_before = false;
  events.addEventListener('open', () => {
    on_status({ state: 'live' });
    if (opened_before) enqueue(sync);  // reconnected: catch up
    opened_before = true;
  });
  events.addEventListener('error', () => on_status({ state: 'reconnecting' }));
  events.addEventListener('added', (e) => {
    const { name, requested } = JSON.parse(e.data);
    enqueue(async () => {
      await read([name]);
      on_status({ state: 'arrived', name, requested });
    });
  });
  events.addEventListener('removed', (e) => {
    const { name } = JSON.parse(e.data);
    enqueue(async () => store.mark_removed(origin, name));
  });

  const started = performance.now();
  enqueue(sync);
  await queue;
  on_status({ state: 'loaded', count: store.entries.length, ms: Math.round(performance.now() - started) });
  return {
    directory: info.directory,
    request_file: info.request_file,
    request: () => json('api/request', { method: 'POST' }),
  };
}
