// When budgets were crossed, from a run of snapshots sorted by frame.
//
// A snapshot written after end_frame() shows a budget's usage already reset for the next frame, so
// `used > limit` alone would miss almost every crossing. The lifetime counters (soft_exceeded,
// hard_exceeded) do not reset: when one grew between two snapshots, the limit was crossed in that many
// frames after the earlier snapshot, up to and including the later one's frame. When snapshots are
// written every frame that is the exact frame. `used` above a limit (a snapshot taken inside a frame, or
// a thread budget's figure for its frame) marks the snapshot's own frame. A counter that went down means
// a new process: its whole value counts.

function counter_crossing(level, frame, previous_frame, now, before) {
  if (now === null || now === undefined) return null;
  const grew = before === null || before === undefined ? now : now >= before ? now - before : now;
  if (grew <= 0) return null;
  return { level, frame, since: previous_frame === null ? null : previous_frame + 1, frames: grew };
}

function usage_crossing(level, frame, used, limit) {
  return limit !== null && used > limit ? { level, frame, since: frame, frames: 1 } : null;
}

// budget_history(digests) -> Map(key -> { key, scope, name, kind, soft_limit, hard_limit, points, crossings })
// points: [{ frame, used }]; crossings: [{ level: 'soft' | 'hard' | 'limit', frame, since, frames }],
// `since` null when the crossing happened at an unknown frame before the first snapshot; 'limit' is the
// one limit of a thread budget as threads[].budget reports it.
export function budget_history(digests) {
  const history = new Map();
  const last = new Map();  // key -> the budget in the previous snapshot that had it, and its frame
  for (const d of digests) {
    for (const b of d.budgets) {
      let h = history.get(b.key);
      if (!h) {
        h = { key: b.key, scope: b.scope, name: b.name, kind: b.kind, soft_limit: null, hard_limit: null, limit: null,
              points: [], crossings: [] };
        history.set(b.key, h);
      }
      h.soft_limit = b.soft_limit;
      h.hard_limit = b.hard_limit;
      h.limit = b.limit ?? null;
      h.points.push({ frame: d.frame, used: b.used });
      const prev = last.get(b.key);
      for (const level of ['soft', 'hard']) {
        const limit = level === 'soft' ? b.soft_limit : b.hard_limit;
        const counter = level === 'soft' ? 'soft_exceeded' : 'hard_exceeded';
        const c = counter_crossing(level, d.frame, prev ? prev.frame : null, b[counter], prev ? prev.budget[counter] : null) ??
                  usage_crossing(level, d.frame, b.used, limit);
        if (c) h.crossings.push(c);
      }
      const over = usage_crossing('limit', d.frame, b.used, b.limit ?? null);
      if (over) h.crossings.push(over);
      last.set(b.key, { frame: d.frame, budget: b });
    }
  }
  return history;
}

// "frame 42", "frames 31..60 (2 of them)", "before frame 30 (3 frames)"
export function describe_crossing(c) {
  const times = c.frames === 1 ? '1 frame' : `${c.frames} frames`;
  if (c.since === null) return `by frame ${c.frame} (${times})`;
  if (c.since === c.frame) return `frame ${c.frame}`;
  return `frames ${c.since}..${c.frame} (${times})`;
}

// Frames of the timeline that carry a crossing marker, sorted by frame: [{ frame, level, labels, details }]
// with a short label ('physics soft') and a sentence for each budget crossed there.
export function crossing_marks(history) {
  const by_frame = new Map();
  for (const h of history.values()) {
    for (const c of h.crossings) {
      const m = by_frame.get(c.frame) ?? { frame: c.frame, level: 'soft', labels: [], details: [] };
      if (c.level !== 'soft') m.level = 'hard';
      const who = h.scope === 'global' ? 'global' : h.name;
      m.labels.push(`${who} ${c.level}`);
      m.details.push(`${who}: ${c.level} limit, ${describe_crossing(c)}`);
      by_frame.set(c.frame, m);
    }
  }
  return [...by_frame.values()].sort((a, b) => a.frame - b.frame);
}
