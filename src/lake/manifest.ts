/**
 * Run manifests in `runs/dt=<date>/<run_id>.json`: what a run covered (per account × region),
 * counted and failed. The report reads them for freshness and coverage.
 */
import { z } from 'zod';
import { MANIFEST_PREFIX, dtOfKey, manifestKey } from './keys.js';
import { readJsonObject, writeJsonObject } from './json-object.js';
import type { LakeStore, RunManifest, SliceReport, SliceStatus } from './types.js';

const SLICE_STATUSES = ['ok', 'no-detector', 'detector-suspended', 'region-disabled', 'access-denied', 'failed', 'skipped'] as const satisfies readonly SliceStatus[];

const sliceSchema = z.looseObject({
  accountId: z.string(),
  accountName: z.string().optional(),
  region: z.string(),
  status: z.enum(SLICE_STATUSES),
  detectorId: z.string().optional(),
  error: z.string().optional(),
  findings: z.number(),
  quarantined: z.number(),
  statistics: z.number(),
  investigations: z.number(),
  windowStart: z.string().optional(),
  windowEnd: z.string().optional(),
  watermarkBefore: z.string().optional(),
  watermarkAfter: z.string().optional(),
  durationMs: z.number(),
  throttles: z.number().optional(),
});

/** Checks the parts of a manifest that readers rely on; unknown extra fields are kept. */
export const manifestSchema = z.looseObject({
  runId: z.string().min(1),
  command: z.enum(['export', 'import']),
  startedAt: z.string(),
  finishedAt: z.string(),
  shard: z.object({ index: z.number(), count: z.number() }),
  accounts: z.array(z.looseObject({ id: z.string(), name: z.string().optional(), status: z.string().optional() })),
  slices: z.array(sliceSchema),
  totals: z.looseObject({ findings: z.number(), quarantined: z.number() }),
}) as unknown as z.ZodType<RunManifest>;

/** Writes the manifest under its deterministic key and returns the key. */
export async function writeManifest(store: LakeStore, manifest: RunManifest): Promise<string> {
  const key = manifestKey(manifest.runId, manifest.startedAt);
  await writeJsonObject(store, key, manifest);
  return key;
}

export async function readManifest(store: LakeStore, key: string): Promise<RunManifest | undefined> {
  return readJsonObject(store, key, manifestSchema);
}

export interface ListManifestsOptions {
  /** First `dt` (run start date, YYYY-MM-DD) to include. @default no lower bound */
  from?: string;
  /** Last `dt` to include. @default no upper bound */
  to?: string;
  /** Only manifests of this command. @default both */
  command?: RunManifest['command'];
}

/** Manifests in key order (by run start date, then run id). Throws LakeStateError on a corrupt one. */
export async function* listManifests(store: LakeStore, options: ListManifestsOptions = {}): AsyncIterable<{ key: string; manifest: RunManifest }> {
  for await (const key of store.list(MANIFEST_PREFIX)) {
    const dt = dtOfKey(key);
    if (dt === undefined || !key.endsWith('.json')) continue;
    if (options.from !== undefined && dt < options.from) continue;
    if (options.to !== undefined && dt > options.to) continue;
    const manifest = await readManifest(store, key);
    if (manifest === undefined) continue;
    if (options.command !== undefined && manifest.command !== options.command) continue;
    yield { key, manifest };
  }
}

/** A slice's line of one run, with the run it came from. */
export interface SliceRun extends SliceReport {
  readonly runId: string;
  readonly finishedAt: string;
}

/** Freshness and coverage of one (account, region) slice across runs. */
export interface SliceFreshness {
  readonly accountId: string;
  readonly accountName?: string;
  readonly region: string;
  /** The slice's line in the most recent run that covered it (any status). */
  readonly latest: SliceRun;
  /** The most recent run in which the slice exported successfully (`status: 'ok'`). */
  readonly lastSuccess?: SliceRun;
}

/**
 * Latest and latest successful export per slice, from the `export` manifests (optionally only
 * runs that finished at or before `asOf`, for a report about a past week). Sorted by account, region.
 */
export async function sliceFreshness(store: LakeStore, options: { from?: string; asOf?: Date } = {}): Promise<SliceFreshness[]> {
  const to = options.asOf?.toISOString().slice(0, 10);
  const bySlice = new Map<string, { latest: SliceRun; lastSuccess?: SliceRun }>();
  const newer = (a: SliceRun, b: SliceRun): boolean => a.finishedAt > b.finishedAt || (a.finishedAt === b.finishedAt && a.runId > b.runId);
  for await (const { manifest } of listManifests(store, { from: options.from, to, command: 'export' })) {
    const finishedAt = new Date(manifest.finishedAt).toISOString();
    if (options.asOf !== undefined && finishedAt > options.asOf.toISOString()) continue;
    for (const slice of manifest.slices) {
      const run: SliceRun = { ...slice, runId: manifest.runId, finishedAt };
      const id = `${slice.accountId}/${slice.region}`;
      const seen = bySlice.get(id);
      if (seen === undefined) {
        bySlice.set(id, { latest: run, ...(run.status === 'ok' ? { lastSuccess: run } : {}) });
        continue;
      }
      if (newer(run, seen.latest)) seen.latest = run;
      if (run.status === 'ok' && (seen.lastSuccess === undefined || newer(run, seen.lastSuccess))) seen.lastSuccess = run;
    }
  }
  return [...bySlice.values()]
    .map(({ latest, lastSuccess }) => ({
      accountId: latest.accountId,
      ...(latest.accountName === undefined ? {} : { accountName: latest.accountName }),
      region: latest.region,
      latest,
      ...(lastSuccess === undefined ? {} : { lastSuccess }),
    }))
    .sort((a, b) => (a.accountId === b.accountId ? (a.region < b.region ? -1 : a.region > b.region ? 1 : 0) : a.accountId < b.accountId ? -1 : 1));
}
