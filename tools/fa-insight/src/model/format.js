// How figures are written on the page: exact bytes with thousands separators (so they can be compared
// with the JSON), a binary unit beside them for reading.

export function exact(n) {
  if (n === null || n === undefined) return '—';
  return Math.round(n).toLocaleString('en-US');
}

export function size(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    ++u;
  }
  const sign = n < 0 ? '-' : '';
  return u === 0 ? `${sign}${v} B` : `${sign}${v.toFixed(1)} ${units[u]}`;
}

export function signed(n) {
  if (n === null || n === undefined) return '—';
  return n > 0 ? `+${exact(n)}` : exact(n);
}

export function optional(n, digits = 2) {
  return n === null || n === undefined ? 'not measured' : Number(n).toFixed(digits);
}
