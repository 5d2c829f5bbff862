// Discovers every conformance case under spec/cases/*.json (new files and
// cases are picked up as they appear) and builds each case's call as
// spec/README.md says: {operation, target?, rulebook?, jurisdiction?, as_of?, explain?, request},
// leaving out keys that are absent or null.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const casesDir = join(root, 'spec', 'cases');

export function loadCases(dir = casesDir) {
  const out = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const all = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    if (!Array.isArray(all)) throw new Error(`${file} must hold a JSON array of cases`);
    for (const c of all) out.push({ file, case: c });
  }
  return out;
}

export function callOf(c) {
  const call = {};
  for (const k of ['operation', 'target', 'rulebook', 'jurisdiction', 'as_of', 'explain', 'receipt', 'request']) {
    if (c[k] !== undefined && c[k] !== null) call[k] = c[k];
  }
  return call;
}
