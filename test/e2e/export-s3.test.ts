/**
 * Export into an S3 lake (s3rver over HTTP, the real S3 client) from the emulator.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { S3Store, compactLake } from '../../src/lake/index.js';
import { createLogger } from '../../src/log.js';
import { TABLES } from '../../src/transform/tables.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';
import { lakeFindingIds, runExport, startWorld, tempLake, type TestWorld } from './export-harness.js';

describe('export into S3', () => {
  let t: TestWorld;
  let s3: RunningS3rver;
  beforeAll(async () => {
    t = await startWorld({ seed: 17, orgAccounts: 3, findingsPerAccount: 20, enabledRegions: ['us-east-1', 'us-west-1'] });
    s3 = await startS3rver('gdl-export-lake');
    Object.assign(process.env, t.emu.env); // GuardDuty keeps the emulator's keys; S3 gets its own client below
  });
  afterAll(async () => {
    await s3.stop();
    await t.stop();
  });

  it('writes findings, watermarks and the manifest to the bucket and leaves no in-flight state', async () => {
    // Prepare
    const client = new S3Client({ region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const store = new S3Store(`s3://${s3.bucket}/lake`, { client });
    // Act
    const { outcome } = await runExport(store, { regions: 'us-east-1,us-west-1' });
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    // Assess
    expect(outcome.exitCode).toBe(0);
    expect(keys.some((k) => k.startsWith('runs/dt='))).toBe(true);
    expect(keys.filter((k) => k.startsWith('_state/watermarks/'))).toHaveLength(outcome.manifest.slices.filter((s) => s.status === 'ok').length);
    expect(keys.some((k) => k.startsWith('_state/inflight/'))).toBe(false);
    // Read the Parquet objects back through DuckDB from a local copy.
    const local = await tempLake();
    for (const key of keys.filter((k) => k.endsWith('.parquet'))) {
      const file = path.join(local.dir, key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, (await store.get(key)) ?? new Uint8Array());
    }
    const ok = outcome.manifest.slices.filter((s) => s.status === 'ok');
    const expected = [...new Set(ok.flatMap((s) => t.emu.world.findingIds({ accountIds: [s.accountId], regions: [s.region], updatedFrom: new Date(s.windowStart ?? ''), updatedTo: new Date(s.windowEnd ?? '') })))].sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(await lakeFindingIds(local.dir)).toEqual(expected);
    await local.remove();
    client.destroy();
  });

  it('compacts the bucket\'s closed partitions: one object each, the same findings', async () => {
    // Prepare: the lake of the test above
    const client = new S3Client({ region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const store = new S3Store(`s3://${s3.bucket}/lake`, { client });
    const idsOf = async (): Promise<string[]> => {
      const local = await tempLake();
      for await (const key of store.list('findings/')) {
        const file = path.join(local.dir, key);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, (await store.get(key)) ?? new Uint8Array());
      }
      const ids = await lakeFindingIds(local.dir);
      await local.remove();
      return ids;
    };
    const perPartition = async (): Promise<number[]> => {
      const counts = new Map<string, number>();
      for await (const key of store.list('findings/')) counts.set(key.split('/')[1] ?? '', (counts.get(key.split('/')[1] ?? '') ?? 0) + 1);
      return [...counts.values()];
    };
    const before = await idsOf();
    expect(Math.max(...await perPartition())).toBeGreaterThan(1);
    // Act
    const summary = await compactLake(store, { tables: Object.values(TABLES), before: '2999-01-01', log: createLogger({ level: 'error', destination: new PassThrough() }) });
    // Assess
    expect(summary.partitions.length).toBeGreaterThan(0);
    expect(await perPartition()).toEqual((await perPartition()).map(() => 1));
    expect(await idsOf()).toEqual(before);
    client.destroy();
  });
});
