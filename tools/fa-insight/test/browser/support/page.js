// Opening the viewer and reading it as a person would: through what is on the screen (cells, legend,
// lists), with the page's own state (window.fa_insight) used only to know when it has loaded.

export async function open_viewer(browser, url, { files }) {
  const page = await browser.page();
  await page.goto(url);
  await page.waitForFunction((n) => window.fa_insight?.ready && window.fa_insight.store.entries.length +
                                    window.fa_insight.store.failures.size >= n, files, { timeout: 30000 });
  await settle(page);
  return page;
}

// Lets the page draw what it has (one animation frame, then the asynchronous panels).
export async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
}

// Files ([name, text] pairs) handed to the page as a drop (a DataTransfer, as a drag from a file manager
// delivers them).
export async function drop(page, files) {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const [name, text] of list) dt.items.add(new File([text], name, { type: 'application/json' }));
    for (const type of ['dragenter', 'dragover', 'drop'])
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  await settle(page);
}

export async function show_tab(page, tab) {
  await page.click(`#tab-${tab}`);
  await settle(page);
}

// Moves the mouse onto point `index` of the timeline and reads uPlot's legend: { label: value text }.
export async function hover_point(page, index) {
  const { x, y } = await page.evaluate((i) => window.fa_insight.ctx.timeline.point_position(i), index);
  await page.mouse.move(x, y);
  await settle(page);
  return page.$$eval('#timeline-chart .u-legend .u-series', (rows) => Object.fromEntries(rows.map((r) => [
    r.querySelector('.u-label').textContent.trim(), r.querySelector('.u-value').textContent.trim()])));
}

export async function cell(page, row_selector, field) {
  return page.$eval(`${row_selector} [data-field="${field}"]`, (el) => ({ text: el.textContent.trim(), ...el.dataset }));
}
