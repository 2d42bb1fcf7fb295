// The memory inspector's content, without VS Code: the newest snapshot of a folder, read with the
// viewer's own reader (../src/model/parse.js), as a tree of tags, budgets and threads.
import fs from 'node:fs/promises';
import path from 'node:path';
// @ts-ignore: the viewer's model is plain JavaScript
import { parse_snapshot } from '../../src/model/parse.js';
// @ts-ignore
import { build_tag_tree } from '../../src/model/tag_tree.js';
// @ts-ignore
import { size } from '../../src/model/format.js';
// @ts-ignore
import { budget_label } from '../../src/model/budget_key.js';

export interface inspector_node {
  label: string;
  description?: string;
  tooltip?: string;
  warning?: boolean;  // an exceeded budget
  children?: inspector_node[];
}

export type newest = { ok: true; name: string; snapshot: any } | { ok: false; error: string } | null;

// The snapshot files of `dir` as the viewer lists them: .json files whose name does not start with a dot.
export async function newest_snapshot(dir: string): Promise<newest> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch (e: any) {
    if (e.code === 'ENOENT') return null;
    return { ok: false, error: `${dir}: ${e.message}` };
  }
  const timed: { name: string; time: number }[] = [];
  for (const name of names) {
    try {
      timed.push({ name, time: (await fs.stat(path.join(dir, name))).mtimeMs });
    } catch {
      // pruned meanwhile
    }
  }
  if (timed.length === 0) return null;
  timed.sort((a, b) => b.time - a.time || b.name.localeCompare(a.name));
  const name = timed[0].name;
  const parsed = parse_snapshot(await fs.readFile(path.join(dir, name), 'utf8'));
  if (!parsed.ok) return { ok: false, error: `${name}: ${parsed.error}` };
  return { ok: true, name, snapshot: parsed.snapshot };
}

function figures(f: any): string {
  return ['frame', 'pool', 'heap'].filter((k) => f[k].bytes > 0).map((k) => `${k} ${size(f[k].bytes)}`).join(', ') || 'no memory';
}

function tag_node(n: any): inspector_node {
  const node: inspector_node = { label: n.name, description: figures(n.subtree), tooltip: `${n.path}: ${figures(n.self)} of its own` };
  if (n.children.length > 0) node.children = n.children.map(tag_node);
  return node;
}

function limit(v: number | null): string {
  return v === null ? 'none' : size(v);
}

// Tags (nested as their paths are), budgets (used against the limits; exceeded ones flagged) and
// threads (memory by kind, their budget), under the snapshot's frame number.
export function inspector_tree(name: string, s: any): inspector_node[] {
  const budgets: inspector_node[] = s.budgets.map((b: any) => {
    const exceeded = b.hard_exceeded > 0 || b.soft_exceeded > 0;
    return {
      label: budget_label(b.scope, b.name, b.kind),
      description: `${size(b.used)} used, soft ${limit(b.soft_limit)}, hard ${limit(b.hard_limit)}` + (exceeded ? ' — exceeded' : ''),
      warning: exceeded,
    };
  });
  const threads: inspector_node[] = s.threads.map((t: any) => ({
    label: t.name !== '' ? `${t.name} (${t.id})` : t.id,
    description: `frame ${size(t.frame_bytes)}, pool ${size(t.pool_bytes)}, heap ${size(t.heap_bytes)}, peak ${size(t.peak_bytes)}`,
    tooltip: t.budget ? `budget: ${size(t.budget.used)} of ${size(t.budget.limit)} (${t.budget.percent}%)` : 'no budget',
  }));
  const tags = build_tag_tree(s).children.map(tag_node);
  return [
    { label: `Frame ${s.frame}`, description: `${name}, total ${size(s.summary.total_bytes)}, peak ${size(s.summary.peak_bytes)}` },
    { label: 'Tags', description: `${tags.length}`, children: tags },
    { label: 'Budgets', description: `${budgets.length}`, children: budgets },
    { label: 'Threads', description: `${threads.length}`, children: threads },
  ];
}

// Asks the program for a snapshot at its next frame: it watches `dir`/`file` (snapshot_config).
export async function request_snapshot(dir: string, file: string): Promise<string> {
  if (file === '' || file.includes('/') || file.includes('\\')) throw new Error(`the request file must be a plain name, not '${file}'`);
  await fs.mkdir(dir, { recursive: true });
  const target = path.join(dir, file);
  await fs.writeFile(target, '');
  return target;
}
