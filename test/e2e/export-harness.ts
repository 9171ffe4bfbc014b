/**
 * Shared by the export e2e tests: start the emulator with its env applied to process.env (the real
 * SDK clients read AWS_ENDPOINT_URL_* from there), run an export in-process, read the lake back
 * with DuckDB.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig, type RawOptions } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { exportOrganization, type ExportOutcome } from '../../src/collect/export.js';
import { LakeSink } from '../../src/collect/lake-sink.js';
import { openLake } from '../../src/lake/index.js';
import type { LakeStore, RunManifest, Watermark } from '../../src/lake/types.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/types.js';

export interface TestWorld {
  emu: RunningEmulator;
  stop(): Promise<void>;
}

const ENV_PREFIXES = ['AWS_'];

/** Starts the emulator and points the SDK at it through process.env; `stop` restores the env. */
export async function startWorld(options: EmulatorOptions = {}): Promise<TestWorld> {
  const emu = await startEmulator({ now: new Date(), ...options });
  const saved = Object.fromEntries(Object.keys(process.env).filter((k) => ENV_PREFIXES.some((p) => k.startsWith(p))).map((k) => [k, process.env[k]]));
  for (const k of Object.keys(saved)) delete process.env[k];
  Object.assign(process.env, emu.env);
  return {
    emu,
    async stop() {
      await emu.close();
      for (const k of Object.keys(process.env)) if (ENV_PREFIXES.some((p) => k.startsWith(p))) delete process.env[k];
      Object.assign(process.env, saved);
    },
  };
}

export async function tempLake(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gdl-export-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  outcome: ExportOutcome;
  logs: Array<Record<string, unknown>>;
}

/** Runs `export` in-process with command-line style flags (validated by the real config). */
export async function runExport(lake: string | LakeStore, flags: RawOptions, extra: { signal?: AbortSignal; now?: () => Date } = {}): Promise<RunResult> {
  const store = typeof lake === 'string' ? openLake(lake) : lake;
  const config = loadConfig('export', { lake: typeof lake === 'string' ? lake : lake.uri, 'home-region': 'us-east-1', ...flags }, process.env);
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = createLogger({ level: 'debug', destination });
  const outcome = await exportOrganization(config, { log, sink: new LakeSink(store), ...extra });
  return { outcome, logs };
}

/** Rows of a DuckDB query over the lake directory (`{lake}` in the SQL is replaced by it). */
export async function queryLake(dir: string, sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql.replaceAll('{lake}', dir.replaceAll("'", "''")));
    return reader.getRowsJS() as unknown[][];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Every distinct finding id in the lake's findings table ([] when there are no files). */
export async function lakeFindingIds(dir: string): Promise<string[]> {
  if (!(await hasFiles(path.join(dir, 'findings')))) return [];
  const rows = await queryLake(dir, "SELECT DISTINCT id FROM read_parquet('{lake}/findings/**/*.parquet') ORDER BY id");
  return rows.map((r) => String(r[0]));
}

async function hasFiles(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries.some((e) => e.endsWith('.parquet'));
  } catch {
    return false;
  }
}

/** The run manifests in the lake directory, oldest first. */
export async function manifests(dir: string): Promise<RunManifest[]> {
  const root = path.join(dir, 'runs');
  let files: string[] = [];
  try {
    files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const out = await Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(root, f), 'utf8')) as RunManifest));
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export async function watermarks(dir: string): Promise<Watermark[]> {
  const root = path.join(dir, '_state', 'watermarks');
  let files: string[] = [];
  try {
    files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(root, f), 'utf8')) as Watermark));
}

export const sliceKey = (s: { accountId: string; region: string }): string => `${s.accountId}/${s.region}`;
