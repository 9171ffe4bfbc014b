// Adds lock entries for @duckdb/node-bindings-* platform packages that the registry reachable from
// our machines does not serve (only linux-x64 is there). Without them `npm ci` reports the lock as out
// of sync. The entries carry os/cpu, so npm never fetches them on linux-x64. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const parent = lock.packages['node_modules/@duckdb/node-bindings'];
if (!parent) process.exit(0);
let added = 0;
for (const [name, version] of Object.entries(parent.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const [os, cpu, libc] = name.replace('@duckdb/node-bindings-', '').split('-');
  lock.packages[key] = { version, cpu: [cpu], dev: true, license: 'MIT', optional: true, os: [os], ...(libc ? { libc: [libc] } : {}) };
  added += 1;
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platform-stubs: added ${added} entries`);
