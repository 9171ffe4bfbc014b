/**
 * Per-slice watermarks in `_state/watermarks/<account>/<region>.json`. The collector calls
 * {@link advanceWatermark} only after the slice's data objects are durable in the lake.
 */
import { z } from 'zod';
import { WATERMARK_PREFIX, watermarkKey } from './keys.js';
import { readJsonObject, writeJsonObject } from './json-object.js';
import { LakeStateError } from './errors.js';
import type { LakeStore, Watermark } from './types.js';

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), 'must be an ISO-8601 instant');

export const watermarkSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  region: z.string().min(1),
  updatedThrough: isoInstant,
  runId: z.string().min(1),
});

/** The slice's watermark, or undefined before its first successful export. */
export async function readWatermark(store: LakeStore, accountId: string, region: string): Promise<Watermark | undefined> {
  const key = watermarkKey(accountId, region);
  const wm = await readJsonObject(store, key, watermarkSchema);
  if (wm !== undefined && (wm.accountId !== accountId || wm.region !== region)) {
    throw new LakeStateError(store.locate(key), `holds the watermark of ${wm.accountId}/${wm.region}`);
  }
  return wm;
}

/** Writes the watermark as given (also backwards, e.g. to force a re-export). */
export async function writeWatermark(store: LakeStore, watermark: Watermark): Promise<void> {
  const checked = watermarkSchema.safeParse(watermark);
  if (!checked.success) {
    throw new LakeStateError(watermarkKey(watermark.accountId, watermark.region), `refusing to write an invalid watermark: ${checked.error.issues[0]?.message ?? ''}`);
  }
  await writeJsonObject(store, watermarkKey(watermark.accountId, watermark.region), {
    accountId: watermark.accountId,
    region: watermark.region,
    updatedThrough: new Date(watermark.updatedThrough).toISOString(),
    runId: watermark.runId,
  });
}

/**
 * Moves the watermark forward, never back: a rerun of an older window leaves a later watermark in
 * place. Returns the watermark that is stored afterwards.
 */
export async function advanceWatermark(store: LakeStore, watermark: Watermark): Promise<Watermark> {
  const current = await readWatermark(store, watermark.accountId, watermark.region);
  if (current !== undefined && Date.parse(current.updatedThrough) >= Date.parse(watermark.updatedThrough)) return current;
  await writeWatermark(store, watermark);
  return { ...watermark, updatedThrough: new Date(watermark.updatedThrough).toISOString() };
}

/** Every stored watermark, in key order (account, then region). */
export async function listWatermarks(store: LakeStore): Promise<Watermark[]> {
  const out: Watermark[] = [];
  for await (const key of store.list(WATERMARK_PREFIX)) {
    if (!key.endsWith('.json')) continue;
    const wm = await readJsonObject(store, key, watermarkSchema);
    if (wm !== undefined) out.push(wm);
  }
  return out;
}
