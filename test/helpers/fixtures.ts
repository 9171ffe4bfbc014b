/** Reads the shared real-findings fixtures (never copied into the repo). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const realFindingsDir = path.resolve(repoRoot, '../shared/fixtures/real-findings');

export function fixtureFiles(): string[] {
  return readdirSync(realFindingsDir).filter((f) => f.endsWith('.jsonl')).sort();
}

/** Parsed JSON documents (one per non-empty line) of a fixture file. */
export function fixtureDocuments(file: string): unknown[] {
  return readFileSync(path.join(realFindingsDir, file), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
}
