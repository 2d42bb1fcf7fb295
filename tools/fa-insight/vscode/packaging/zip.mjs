// Reads the entries of a .zip (a .vsix is one): the central directory, then each stored or deflated
// member. Enough for checking what a package holds; no ZIP64, no encryption.
import fs from 'node:fs';
import zlib from 'node:zlib';

export function read_zip(file) {
  const data = fs.readFileSync(file);
  let end = data.length - 22;
  while (end >= 0 && data.readUInt32LE(end) !== 0x06054b50) --end;
  if (end < 0) throw new Error(`${file}: not a zip file (no end of central directory)`);
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  const entries = new Map();
  for (let i = 0; i < count; ++i) {
    if (data.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = data.readUInt16LE(at + 10);
    const size = data.readUInt32LE(at + 20);
    const name_length = data.readUInt16LE(at + 28);
    const extra_length = data.readUInt16LE(at + 30);
    const comment_length = data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    const name = data.toString('utf8', at + 46, at + 46 + name_length);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const raw = data.subarray(start, start + size);
    entries.set(name, method === 8 ? zlib.inflateRawSync(raw) : raw);
    at += 46 + name_length + extra_length + comment_length;
  }
  return entries;
}
