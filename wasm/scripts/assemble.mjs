// Assembles the npm package in <pkg> from the templates in wasm/npm/ and the
// wasm-bindgen output already there: the JS wrapper (ESM and a CJS copy), the
// .d.ts (one text, as .d.ts/.d.mts/.d.cts), package.json with the crate's
// version, README, and the `type` of each glue folder.
//
// usage: node scripts/assemble.mjs <pkg>
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = process.argv[2];
if (!pkg) throw new Error('usage: node scripts/assemble.mjs <pkg>');
const here = dirname(fileURLToPath(import.meta.url));
const npm = join(here, '..', 'npm');
const root = join(here, '..', '..');

// The crate version: [workspace.package] version.
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(cargo)?.[1];
if (!version) throw new Error('no [workspace.package] version in Cargo.toml');

const manifest = JSON.parse(readFileSync(join(npm, 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

for (const f of ['index.mjs', 'node.mjs', 'node.cjs', 'api.mjs', 'README.md']) copyFileSync(join(npm, f), join(pkg, f));

// api.cjs: the same wrapper for require(); the only ESM syntax in api.mjs is `export function createApi`.
const api = readFileSync(join(npm, 'api.mjs'), 'utf8');
if ((api.match(/^export /gm) ?? []).length !== 1 || !api.includes('export function createApi(')) {
  throw new Error('api.mjs must have exactly one export: `export function createApi(`');
}
writeFileSync(
  join(pkg, 'api.cjs'),
  "'use strict';\n" + api.replace('export function createApi(', 'function createApi(') + '\nmodule.exports = { createApi };\n',
);

const dts = readFileSync(join(npm, 'jindu.d.ts'), 'utf8');
for (const f of ['jindu.d.ts', 'jindu.d.mts', 'jindu.d.cts']) writeFileSync(join(pkg, f), dts);

// The web glue is ESM, the nodejs glue CommonJS, whatever the consumer's package type.
writeFileSync(join(pkg, 'web', 'package.json'), '{ "type": "module" }\n');
writeFileSync(join(pkg, 'node', 'package.json'), '{ "type": "commonjs" }\n');
console.error(`assembled ${pkg} (jindu ${version})`);
