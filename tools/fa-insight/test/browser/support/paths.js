// What the browser tests run, as ctest passes it (tools/fa-insight/CMakeLists.txt), and where they
// leave their screenshots.
import fs from 'node:fs';
import path from 'node:path';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests through ctest (ctest -L insight)`);
  return v;
}

export const paths = {
  get fa_insight() { return need('FA_INSIGHT'); },
  get frame_demo() { return need('FRAME_DEMO'); },
  get budget_scenario() { return need('BUDGET_SCENARIO'); },
  get codes_json() { return need('CODES_JSON'); },
  get app() { return need('INSIGHT_APP'); },
  output(name) {
    const dir = path.join(need('INSIGHT_OUTPUT'), name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  },
};
