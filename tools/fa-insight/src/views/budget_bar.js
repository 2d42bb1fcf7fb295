// A budget drawn as a bar: the fill is what is used, a mark stands at the soft limit and one at the hard
// limit, so a person sees at a glance how close a tag or thread runs to them.
import { exact } from '../model/format.js';
import { describe_crossing } from '../model/crossings.js';
import { h } from './dom.js';

// Longer lists of crossings are folded: a run of thousands of frames would push the table apart.
const folded_above = 8;

function limits_text(b) {
  const parts = [`used ${exact(b.used)} B`];
  if (b.soft_limit !== null) parts.push(`soft ${exact(b.soft_limit)} B`);
  if (b.hard_limit !== null) parts.push(`hard ${exact(b.hard_limit)} B`);
  if (b.limit !== null && b.limit !== undefined) parts.push(`limit ${exact(b.limit)} B`);
  return parts.join(' · ');
}

// budget: { used, soft_limit, hard_limit, limit }; history: the budget's entry of budget_history (or null).
export function budget_bar(budget, history) {
  const limits = [budget.soft_limit, budget.hard_limit, budget.limit ?? null].filter((x) => x !== null);
  const scale = Math.max(budget.used, ...limits, 1) * 1.1;
  const pct = (v) => `${Math.min(100, (v / scale) * 100).toFixed(2)}%`;
  const over = limits.some((l) => budget.used > l);
  const mark = (cls, v, title) => (v === null || v === undefined ? null : h('span', { class: `mark ${cls}`, style: { left: pct(v) }, title }));
  const crossings = history ? history.crossings : [];
  const items = crossings.map((c) =>
    h('li', { class: `crossing ${c.level}`, 'data-level': c.level, 'data-frame': c.frame },
      `crossed ${c.level === 'limit' ? 'its limit' : `${c.level} limit`}: ${describe_crossing(c)}`));
  return h('div', { class: 'budget' },
    h('div', { class: 'bar', title: limits_text(budget) },
      h('span', { class: over ? 'fill over' : 'fill', style: { width: pct(budget.used) } }),
      mark('soft', budget.soft_limit, `soft limit ${exact(budget.soft_limit)} B`),
      mark('hard', budget.hard_limit, `hard limit ${exact(budget.hard_limit)} B`),
      mark('hard', budget.limit, `limit ${exact(budget.limit)} B`)),
    h('div', { class: 'budget-text' }, limits_text(budget)),
    crossings.length === 0
      ? h('div', { class: 'crossings none' }, 'never crossed in these snapshots')
      : crossings.length <= folded_above ? h('ul', { class: 'crossings' }, items)
        : h('details', { class: 'crossings' },
          h('summary', {}, `crossed ${crossings.length} times, frames ${crossings[0].frame}..${crossings.at(-1).frame}`),
          h('ul', { class: 'crossings' }, items)));
}
