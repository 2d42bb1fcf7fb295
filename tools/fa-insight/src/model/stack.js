// Stacking for a line chart that draws cumulative sums: series i is drawn at the sum of series 0..i, and
// the band between i-1 and i is filled. null (no value) stacks as 0 but stays null on its own line so
// a missing thread leaves a gap instead of a drop to zero.

// stack(columns) -> cumulative columns, same shape.
export function stack(columns) {
  const out = [];
  let below = null;
  for (const col of columns) {
    const sums = new Array(col.length);
    for (let i = 0; i < col.length; ++i) {
      const base = below ? below[i] : 0;
      sums[i] = col[i] === null ? null : base + col[i];
    }
    out.push(sums);
    // The next series stacks on this one, its gaps counting as 0.
    below = sums.map((v, i) => (v === null ? (below ? below[i] : 0) : v));
  }
  return out;
}
