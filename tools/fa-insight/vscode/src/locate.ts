// Where the extension finds its programs (fa, fa-insight): the configured path (relative to the
// workspace when not absolute), then the workspace's own build trees, then PATH. Pure: the file
// system is reached through `is_executable`, so the order is tested without VS Code.
import path from 'node:path';

export interface locate_request {
  name: string;                 // 'fa'
  configured: string;           // the setting; '' when unset
  workspace: string | undefined; // the first workspace folder
  in_workspace: string[];       // build-tree places relative to the workspace, in order
  path_env: string;             // $PATH
  is_executable: (file: string) => boolean;
}

export type located = { ok: true; file: string } | { ok: false; error: string };

export function locate_program(r: locate_request): located {
  if (r.configured !== '') {
    const file = path.isAbsolute(r.configured) || r.workspace === undefined
      ? r.configured : path.join(r.workspace, r.configured);
    if (r.is_executable(file)) return { ok: true, file };
    return { ok: false, error: `the configured ${r.name} (${file}) is not an executable file` };
  }
  const tried: string[] = [];
  if (r.workspace !== undefined) {
    for (const relative of r.in_workspace) {
      const file = path.join(r.workspace, relative);
      tried.push(file);
      if (r.is_executable(file)) return { ok: true, file };
    }
  }
  for (const dir of r.path_env.split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, r.name);
    if (r.is_executable(file)) return { ok: true, file };
  }
  tried.push(`${r.name} on PATH`);
  return { ok: false, error: `${r.name} not found (looked at ${tried.join(', ')}); set its path in the settings` };
}
