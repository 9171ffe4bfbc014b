/** Watermarks, run manifests and quarantine on both stores (local directory and s3rver over HTTP). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLake } from '../../src/lake/open.js';
import { advanceWatermark, listWatermarks, readWatermark, writeWatermark } from '../../src/lake/watermark.js';
import { listManifests, readManifest, sliceFreshness, writeManifest } from '../../src/lake/manifest.js';
import { QuarantineWriter, readQuarantine } from '../../src/lake/quarantine.js';
import { LakeStateError } from '../../src/lake/errors.js';
import type { LakeStore } from '../../src/lake/types.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';
import { runManifest, sliceReport } from '../helpers/lake-manifest.js';

let s3: RunningS3rver;
let dir: string;
let n = 0;
/** A fresh, empty lake per test. */
const lakes: Record<'local' | 's3rver', () => LakeStore> = {
  local: () => openLake(path.join(dir, `lake-${++n}`)),
  s3rver: () => openLake(`s3://${s3.bucket}/lake-${++n}`),
};

beforeAll(async () => {
  s3 = await startS3rver();
  dir = await mkdtemp(path.join(tmpdir(), 'gdl-state-'));
});
afterAll(async () => {
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

describe.each(['local', 's3rver'] as const)('lake state on %s', (kind) => {
  it('reads no watermark before the first export, then the one written', async () => {
    // Prepare
    const lake = lakes[kind]();
    // Act
    const before = await readWatermark(lake, '111122223333', 'us-east-1');
    await writeWatermark(lake, { accountId: '111122223333', region: 'us-east-1', updatedThrough: '2026-11-21T00:00:00Z', runId: 'r1' });
    const after = await readWatermark(lake, '111122223333', 'us-east-1');
    // Assess
    expect(before).toBeUndefined();
    expect(after).toEqual({ accountId: '111122223333', region: 'us-east-1', updatedThrough: '2026-11-21T00:00:00.000Z', runId: 'r1' });
  });

  it('advances a watermark only forward, one object per slice', async () => {
    const lake = lakes[kind]();
    const base = { accountId: '111122223333', region: 'eu-west-1', runId: 'r1' };
    // Act
    await advanceWatermark(lake, { ...base, updatedThrough: '2026-11-21T00:00:00Z' });
    const older = await advanceWatermark(lake, { ...base, updatedThrough: '2026-11-01T00:00:00Z', runId: 'r0' });
    const newer = await advanceWatermark(lake, { ...base, updatedThrough: '2026-11-22T00:00:00Z', runId: 'r2' });
    await advanceWatermark(lake, { ...base, region: 'us-east-1', updatedThrough: '2026-11-20T00:00:00Z' });
    // Assess
    expect(older.updatedThrough).toBe('2026-11-21T00:00:00.000Z');
    expect(newer.runId).toBe('r2');
    expect((await listWatermarks(lake)).map((w) => `${w.region}@${w.updatedThrough}`)).toEqual([
      'eu-west-1@2026-11-22T00:00:00.000Z', 'us-east-1@2026-11-20T00:00:00.000Z',
    ]);
  });

  it('refuses a corrupt watermark with an error naming its location', async () => {
    const lake = lakes[kind]();
    await lake.put('_state/watermarks/111122223333/us-east-1.json', '{"accountId":"111122223333","region":"us-east-1","updatedThrough":"yesterday","runId":"r"}');
    await expect(readWatermark(lake, '111122223333', 'us-east-1')).rejects.toThrow(LakeStateError);
    await expect(readWatermark(lake, '111122223333', 'us-east-1')).rejects.toThrow(/us-east-1\.json: unexpected content at updatedThrough/);
  });

  it('writes, reads and lists manifests, and derives the latest successful export per slice', async () => {
    // Prepare: run 1 ok for both slices; run 2 fails eu-west-1; an import run is ignored for freshness
    const lake = lakes[kind]();
    const r1 = runManifest({ runId: 'run-1', startedAt: '2026-11-20T02:00:00Z', finishedAt: '2026-11-20T02:10:00Z', slices: [sliceReport(), sliceReport({ region: 'eu-west-1' })] });
    const r2 = runManifest({ runId: 'run-2', startedAt: '2026-11-21T02:00:00Z', finishedAt: '2026-11-21T02:10:00Z', slices: [sliceReport(), sliceReport({ region: 'eu-west-1', status: 'failed', error: 'AccessDenied' })] });
    const imp = runManifest({ runId: 'imp-1', command: 'import', startedAt: '2026-11-22T02:00:00Z', finishedAt: '2026-11-22T02:01:00Z', slices: [sliceReport({ region: 'eu-west-1' })] });
    // Act
    const key = await writeManifest(lake, r1);
    await writeManifest(lake, r2);
    await writeManifest(lake, imp);
    const back = await readManifest(lake, key);
    const listed: string[] = [];
    for await (const m of listManifests(lake, { from: '2026-11-21' })) listed.push(m.manifest.runId);
    const fresh = await sliceFreshness(lake);
    const asOfFirst = await sliceFreshness(lake, { asOf: new Date('2026-11-20T23:00:00Z') });
    // Assess
    expect(key).toBe('runs/dt=2026-11-20/run-1.json');
    expect(back).toEqual(r1);
    expect(listed).toEqual(['run-2', 'imp-1']);
    expect(fresh.map((f) => [f.region, f.latest.runId, f.latest.status, f.lastSuccess?.runId])).toEqual([
      ['eu-west-1', 'run-2', 'failed', 'run-1'],
      ['us-east-1', 'run-2', 'ok', 'run-2'],
    ]);
    expect(asOfFirst.map((f) => f.latest.runId)).toEqual(['run-1', 'run-1']);
  });

  it('quarantines records as JSON lines and clears the object on a clean rerun', async () => {
    const lake = lakes[kind]();
    const key = 'quarantine/dt=2026-11-22/import_abcdef0123456789.jsonl';
    const q = new QuarantineWriter(lake, key, () => new Date('2026-11-22T05:00:00Z'));
    // Act
    q.add({ reason: 'missing id', source: 'import:/x.jsonl:3', raw: { type: 'x' } });
    q.add({ reason: 'invalid JSON: Unexpected token', source: 'import:/x.jsonl:4', raw: '{"broken' });
    await q.flush();
    const lines = await readQuarantine(lake, key);
    await new QuarantineWriter(lake, key).flush();
    // Assess
    expect(q.count).toBe(2);
    expect(lines).toEqual([
      { reason: 'missing id', source: 'import:/x.jsonl:3', raw: { type: 'x' }, quarantined_at: '2026-11-22T05:00:00.000Z' },
      { reason: 'invalid JSON: Unexpected token', source: 'import:/x.jsonl:4', raw: '{"broken', quarantined_at: '2026-11-22T05:00:00.000Z' },
    ]);
    expect(await lake.get(key)).toBeUndefined();
  });
});
