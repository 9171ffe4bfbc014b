/**
 * Opening the lake for the report. A minimal local-directory store behind the LakeStore contract;
 * replaced by the lake stage's `openLake` once it is on main.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LakeStore, PutOptions } from '../lake/types.js';
import { LakeReadError } from './errors.js';

class LocalDirStore implements LakeStore {
  constructor(readonly uri: string) {}

  locate(key: string): string {
    return join(this.uri, ...key.split('/'));
  }

  async put(key: string, body: Uint8Array | string | AsyncIterable<Uint8Array>, _options?: PutOptions): Promise<void> {
    const path = this.locate(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      await writeFile(tmp, body);
    } else {
      const chunks: Uint8Array[] = [];
      for await (const c of body) chunks.push(c);
      await writeFile(tmp, Buffer.concat(chunks));
    }
    await rename(tmp, path);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.locate(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    const base = this.locate(prefix.replace(/\/$/, ''));
    const start = prefix.endsWith('/') || prefix === '' ? base : dirname(base);
    const keys: string[] = [];
    await walk(start, keys);
    const rootLen = this.uri.length;
    const out = keys
      .map((p) => relative(this.uri, p).split(sep).join('/'))
      .filter((k) => k.startsWith(prefix) && !/\.tmp-\d+-\d+$/.test(k));
    void rootLen;
    out.sort();
    yield* out;
  }

  async delete(key: string): Promise<void> {
    await rm(this.locate(key), { force: true });
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
    throw e;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** Opens `s3://bucket/prefix` or a local directory as a LakeStore. */
export async function openReportLake(uri: string): Promise<LakeStore> {
  if (uri.startsWith('s3://')) {
    throw new LakeReadError(`cannot open ${uri}: the S3 lake store is not available in this build`);
  }
  const dir = isAbsolute(uri) ? uri : resolve(uri);
  return new LocalDirStore(dir);
}
