// Reads one snapshot file (schema v2 or v1, docs/snapshot.schema.json) into a checked object, or says in one
// sentence why it cannot: empty, truncated, not JSON, not a snapshot, a newer schema, a field of the
// wrong type. Members the viewer does not know are kept and ignored, as the schema asks of readers.

export const supported_version = 2;  // version 1 files are read too

const summary_fields = ['frame_bytes', 'pool_bytes', 'heap_bytes', 'total_bytes', 'peak_bytes'];
const promotion_fields = ['to_pool', 'to_heap', 'failed', 'to_scratch', 'discarded'];
const transfer_fields = ['pending', 'completed_this_frame', 'created', 'received', 'dropped', 'bytes_created'];

class snapshot_format_error extends Error {}

function fail(message) {
  throw new snapshot_format_error(message);
}

function kind_of(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function need_count(obj, key, where) {
  const v = obj[key];
  if (v === undefined) fail(`missing ${where}${key}`);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${where}${key} is ${kind_of(v)}, not a count`);
  return v;
}

function need_object(obj, key, where = '') {
  const v = obj[key];
  if (v === undefined) fail(`missing ${where}${key}`);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(`${where}${key} is ${kind_of(v)}, not an object`);
  return v;
}

function need_array(obj, key) {
  const v = obj[key];
  if (v === undefined) fail(`missing ${key}`);
  if (!Array.isArray(v)) fail(`${key} is ${kind_of(v)}, not an array`);
  return v;
}

function need_string(obj, key, where) {
  const v = obj[key];
  if (typeof v !== 'string') fail(`${where}${key} is ${v === undefined ? 'missing' : kind_of(v)}, not a string`);
  return v;
}

// A number or null; anything else (a string, a missing member) counts as null: the field is optional
// for the views, and the library writes null for "not measured".
function optional_number(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function check_counts(obj, fields, where) {
  for (const f of fields) need_count(obj, f, where);
}

function check_thread(t, i) {
  const where = `threads[${i}].`;
  if (t === null || typeof t !== 'object') fail(`threads[${i}] is ${kind_of(t)}, not an object`);
  need_string(t, 'id', where);
  for (const f of ['frame_bytes', 'pool_bytes', 'heap_bytes', 'peak_bytes']) need_count(t, f, where);
  if (t.budget !== undefined && t.budget !== null) {
    if (typeof t.budget !== 'object') fail(`${where}budget is ${kind_of(t.budget)}, not an object or null`);
    check_counts(t.budget, ['limit', 'used', 'percent'], `${where}budget.`);
  }
}

function check_tag(t, i) {
  const where = `tags[${i}].`;
  if (t === null || typeof t !== 'object') fail(`tags[${i}] is ${kind_of(t)}, not an object`);
  need_string(t, 'path', where);
  const kind = need_string(t, 'alloc_kind', where);
  if (kind !== 'frame' && kind !== 'pool' && kind !== 'heap') fail(`${where}alloc_kind is "${kind}", not frame, pool or heap`);
  need_count(t, 'alloc_count', where);
  need_count(t, 'bytes', where);
}

function check_budget(b, i) {
  const where = `budgets[${i}].`;
  if (b === null || typeof b !== 'object') fail(`budgets[${i}] is ${kind_of(b)}, not an object`);
  need_string(b, 'scope', where);
  need_count(b, 'used', where);
  for (const f of ['soft_limit', 'hard_limit'])
    if (b[f] !== null && b[f] !== undefined) need_count(b, f, where);
}

function check_diagnostic(d, i) {
  const where = `diagnostics[${i}].`;
  if (d === null || typeof d !== 'object') fail(`diagnostics[${i}] is ${kind_of(d)}, not an object`);
  need_string(d, 'code', where);
}

function check_snapshot(s) {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) fail(`not a snapshot: the file holds ${kind_of(s)}`);
  if (s.version === undefined) fail('not a framealloc snapshot: no "version" member');
  if (!Number.isInteger(s.version) || s.version < 1) fail(`not a framealloc snapshot: version is ${JSON.stringify(s.version)}`);
  if (s.version > supported_version)
    fail(`schema version ${s.version} is newer than this viewer reads (version ${supported_version}): update fa-insight`);
  need_count(s, 'frame', '');
  check_counts(need_object(s, 'summary'), summary_fields, 'summary.');
  need_array(s, 'threads').forEach(check_thread);
  need_array(s, 'tags').forEach(check_tag);
  check_counts(need_object(s, 'promotions'), promotion_fields, 'promotions.');
  check_counts(need_object(s, 'transfers'), transfer_fields, 'transfers.');
  need_array(s, 'diagnostics').forEach(check_diagnostic);
  need_array(s, 'budgets').forEach(check_budget);
}

// Fills what the views read but the file may leave out or set to null (a reader must
// accept every member being null where the schema allows it).
function normalise(s) {
  if (typeof s.timestamp !== 'string') s.timestamp = '';
  if (typeof s.duration_us !== 'number') s.duration_us = null;
  s.frame_open = s.frame_open === true;
  for (const t of s.threads) {
    if (typeof t.name !== 'string') t.name = '';
    if (t.budget === undefined) t.budget = null;
  }
  for (const t of s.tags) {
    if (typeof t.thread !== 'string') t.thread = '';
    t.avg_lifetime_frames = optional_number(t.avg_lifetime_frames);
    t.promotion_rate = optional_number(t.promotion_rate);
    if (!Array.isArray(t.diagnostics)) t.diagnostics = [];
  }
  for (const d of s.diagnostics) {
    if (typeof d.tag !== 'string') d.tag = null;
    if (typeof d.message !== 'string') d.message = '';
    if (!['info', 'warning', 'error'].includes(d.severity)) d.severity = 'warning';
    if (!Number.isInteger(d.count) || d.count < 1) d.count = 1;
  }
  for (const b of s.budgets) {
    if (typeof b.name !== 'string') b.name = '';
    if (typeof b.kind !== 'string') b.kind = 'all';
    if (b.soft_limit === undefined) b.soft_limit = null;
    if (b.hard_limit === undefined) b.hard_limit = null;
    b.soft_exceeded = typeof b.soft_exceeded === 'number' ? b.soft_exceeded : 0;
    b.hard_exceeded = typeof b.hard_exceeded === 'number' ? b.hard_exceeded : 0;
  }
  return s;
}

// Why JSON.parse refused `text`, in words a user acts on: a file cut short reads differently from one
// that is not JSON at all.
function describe_json_error(text, error) {
  const message = String(error.message);
  const at = /position (\d+)/.exec(message);
  const position = at ? Number(at[1]) : -1;
  const cut = /end of (JSON|data)|Unterminated/i.test(message) || position >= text.trimEnd().length;
  if (cut) return `truncated: the JSON stops after ${text.length} bytes (the file is incomplete)`;
  return `not valid JSON: ${message}`;
}

// parse_snapshot(text) -> { ok: true, snapshot } | { ok: false, error }
export function parse_snapshot(text) {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, error: 'empty file' };
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: describe_json_error(text, e) };
  }
  try {
    check_snapshot(value);
  } catch (e) {
    if (e instanceof snapshot_format_error) return { ok: false, error: e.message };
    throw e;
  }
  return { ok: true, snapshot: normalise(value) };
}
