// The library's diagnostic codes (title, explanation, fix), bundled into the page at build time from the
// output of fa_codes_json, which prints framealloc::diagnostic_codes(). A page built without it says so
// instead of explaining.
import registry from 'fa-codes';

export function make_code_registry(data = registry) {
  const codes = new Map((data?.codes ?? []).map((c) => [c.code, c]));
  return {
    available: codes.size > 0,
    find: (code) => codes.get(code) ?? null,
    title: (code) => codes.get(code)?.title ?? '',
  };
}
