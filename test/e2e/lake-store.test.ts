/**
 * The LakeStore contract, run against both stores: a local directory and S3 (s3rver over HTTP,
 * driven by the real @aws-sdk/client-s3 + lib-storage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLake } from '../../src/lake/open.js';
import { LakeKeyError, LakeStoreError } from '../../src/lake/errors.js';
import type { LakeStore } from '../../src/lake/types.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';

const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

async function* chunks(count: number, size: number, failAfter?: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < count; i++) {
    if (failAfter !== undefined && i === failAfter) throw new Error('source broke');
    yield new Uint8Array(size).fill(i % 251);
  }
}

let s3: RunningS3rver;
let localDir: string;
const stores: Record<'local' | 's3rver', () => LakeStore> = {
  local: () => openLake(localDir),
  s3rver: () => openLake(`s3://${s3.bucket}/lake/prefix`),
};

beforeAll(async () => {
  s3 = await startS3rver();
  localDir = await mkdtemp(path.join(tmpdir(), 'gdl-local-'));
});
afterAll(async () => {
  await s3.stop();
  await rm(localDir, { recursive: true, force: true });
});

describe.each(['local', 's3rver'] as const)('LakeStore contract: %s', (kind) => {
  it('round-trips string, bytes and streamed bodies, and overwrites on a second put', async () => {
    // Prepare
    const store = stores[kind]();
    // Act
    await store.put('t/a.txt', 'first');
    await store.put('t/a.txt', 'second');
    await store.put('t/b.bin', new Uint8Array([1, 2, 3]));
    await store.put('t/deep/c.bin', chunks(3, 10));
    // Assess
    expect(text(await store.get('t/a.txt'))).toBe('second');
    expect([...(await store.get('t/b.bin'))!]).toEqual([1, 2, 3]);
    expect((await store.get('t/deep/c.bin'))?.length).toBe(30);
  });

  it('answers undefined for a missing key and deletes idempotently', async () => {
    const store = stores[kind]();
    await store.put('del/x.json', '{}');
    // Act
    await store.delete('del/x.json');
    await store.delete('del/x.json');
    // Assess
    expect(await store.get('del/x.json')).toBeUndefined();
    expect(await store.get('never/written.json')).toBeUndefined();
    expect(await collect(store.list('del/'))).toEqual([]);
  });

  it('lists recursively under a prefix in byte order, relative to the lake root', async () => {
    const store = stores[kind]();
    for (const k of ['ls/dt=2026-01-02/b.parquet', 'ls/dt=2026-01-01/z.parquet', 'ls/dt=2026-01-01/a.parquet', 'ls/_state/w.json', 'lsx/other.json']) {
      await store.put(k, k);
    }
    // Act
    const all = await collect(store.list('ls/'));
    const partial = await collect(store.list('ls/dt=2026-01-0'));
    // Assess
    expect(all).toEqual(['ls/_state/w.json', 'ls/dt=2026-01-01/a.parquet', 'ls/dt=2026-01-01/z.parquet', 'ls/dt=2026-01-02/b.parquet']);
    expect(partial).toEqual(['ls/dt=2026-01-01/a.parquet', 'ls/dt=2026-01-01/z.parquet', 'ls/dt=2026-01-02/b.parquet']);
  });

  it('uploads a body larger than one part (multipart on S3) intact', async () => {
    const store = stores[kind]();
    // Act: 3 chunks of 4 MiB = 12 MiB, more than the 8 MiB part size
    await store.put('big/blob.bin', chunks(3, 4 * 1024 * 1024));
    // Assess
    const back = await store.get('big/blob.bin');
    expect(back?.length).toBe(12 * 1024 * 1024);
    expect(back?.[0]).toBe(0);
    expect(back?.[12 * 1024 * 1024 - 1]).toBe(2);
  });

  it('never shows a partial object when the body fails midway, and keeps the old one', async () => {
    const store = stores[kind]();
    await store.put('atomic/obj.bin', 'old');
    // Act
    const failing = store.put('atomic/obj.bin', chunks(4, 4 * 1024 * 1024, 3));
    // Assess
    await expect(failing).rejects.toBeInstanceOf(LakeStoreError);
    expect(text(await store.get('atomic/obj.bin'))).toBe('old');
    expect(await collect(store.list('atomic/'))).toEqual(['atomic/obj.bin']);
  });

  it.each(['../escape', '/abs', 'a//b', 'a/./b', 'a\\b', '', 'a/.hidden'])('rejects the key %j', async (key) => {
    const store = stores[kind]();
    await expect(store.put(key, 'x')).rejects.toBeInstanceOf(LakeKeyError);
  });

  it('locates keys for readers', () => {
    const store = stores[kind]();
    const where = store.locate('findings/dt=2026-01-01/f.parquet');
    expect(where).toBe(kind === 'local' ? path.join(localDir, 'findings', 'dt=2026-01-01', 'f.parquet') : `s3://${s3.bucket}/lake/prefix/findings/dt=2026-01-01/f.parquet`);
  });
});

describe('LocalStore specifics', () => {
  it('leaves no temporary file behind after a failed put', async () => {
    const store = openLake(localDir);
    await expect(store.put('tmpcheck/x.bin', chunks(3, 10, 1))).rejects.toThrow(/source broke/);
    expect(await readdir(path.join(localDir, 'tmpcheck'))).toEqual([]);
  });
});

describe('S3Store specifics', () => {
  it('sends SSE-KMS and ExpectedBucketOwner on every write and read', async () => {
    // Prepare: record the headers of the real requests on their way to s3rver
    const store = openLake(`s3://${s3.bucket}/enc`, { sse: 'aws:kms', kmsKeyId: 'alias/lake', expectedBucketOwner: '111122223333' });
    const seen: Array<Record<string, string>> = [];
    const { client } = store as unknown as { client: import('@aws-sdk/client-s3').S3Client };
    client.middlewareStack.add((next) => async (args) => {
      seen.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    }, { step: 'finalizeRequest', name: 'recordHeaders' });
    // Act
    await store.put('k.json', '{}', { contentType: 'application/json' });
    await store.get('k.json');
    // Assess
    expect(seen[0]?.['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(seen[0]?.['x-amz-server-side-encryption-aws-kms-key-id']).toBe('alias/lake');
    expect(seen.every((h) => h['x-amz-expected-bucket-owner'] === '111122223333')).toBe(true);
  });

  it('uploads a large body as a multipart upload', async () => {
    // Prepare
    const store = openLake(`s3://${s3.bucket}/mp`);
    const commands: string[] = [];
    const { client } = store as unknown as { client: import('@aws-sdk/client-s3').S3Client };
    client.middlewareStack.add((next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    }, { step: 'initialize', name: 'recordCommands' });
    // Act
    await store.put('mp.bin', chunks(5, 4 * 1024 * 1024));
    // Assess
    expect(commands).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    expect((await store.get('mp.bin'))?.length).toBe(20 * 1024 * 1024);
  });

  it('translates an S3 error into LakeStoreError naming the location', async () => {
    const store = openLake('s3://no-such-bucket-here/x');
    await expect(store.put('a.json', '{}')).rejects.toThrow(/lake put s3:\/\/no-such-bucket-here\/x\/a.json failed: NoSuchBucket/);
  });
});
