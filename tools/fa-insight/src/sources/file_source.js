// Snapshot files a person drops on the page or picks with the file chooser: read in the browser, no
// server needed (the page opened straight from disk works the same way).

export async function add_files(store, files) {
  const list = [...files].filter((f) => f.name.endsWith('.json') || f.type === 'application/json');
  const skipped = files.length - list.length;
  const texts = await Promise.all(list.map((f) => f.text().catch((e) => ({ error: e }))));
  store.batch(() => {
    list.forEach((f, i) => {
      const t = texts[i];
      store.add(f.name, typeof t === 'string' ? t : '', { origin: 'dropped', load: () => f.text() });
    });
  });
  return { read: list.length, skipped };
}

// Drag and drop anywhere on the page; the overlay shows while files are held over it.
export function accept_drops(target, overlay, on_files) {
  let depth = 0;
  const has_files = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  target.addEventListener('dragenter', (e) => {
    if (!has_files(e)) return;
    e.preventDefault();
    if (++depth === 1) overlay.hidden = false;
  });
  target.addEventListener('dragleave', () => {
    if (depth > 0 && --depth === 0) overlay.hidden = true;
  });
  target.addEventListener('dragover', (e) => {
    if (has_files(e)) e.preventDefault();
  });
  target.addEventListener('drop', (e) => {
    if (!has_files(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    on_files(e.dataTransfer.files);
  });
}
