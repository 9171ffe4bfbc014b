import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LakeStoreError } from './errors.js';
import { assertKey, assertPrefix } from './key-check.js';
import type { LakeStore, PutOptions } from './types.js';

/**
 * The lake in a local directory. A put writes `.<name>.<random>.tmp` beside the final file and
 * renames it into place, so a reader sees either the old object, the new one, or none — never a
 * part. The data and the rename are fsynced before put resolves (the collector advances watermarks
 * after that). Temporary names start with `.` and are never listed.
 */
export class LocalStore implements LakeStore {
  readonly uri: string;
  private readonly root: string;

  /** @param root directory of the lake; resolved to an absolute path, created on first write. */
  constructor(root: string) {
    this.root = path.resolve(root);
    this.uri = this.root;
  }

  async put(key: string, body: Uint8Array | string | AsyncIterable<Uint8Array>, _options?: PutOptions): Promise<void> {
    assertKey(key);
    const final = this.locate(key);
    const dir = path.dirname(final);
    const temp = path.join(dir, `.${path.basename(final)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      const source = typeof body === 'string' || body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body);
      await pipeline(source, createWriteStream(temp, { flags: 'wx' }));
      await fsync(temp);
      await rename(temp, final);
      await fsync(dir); // the rename itself survives a crash only once the directory is synced
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw new LakeStoreError('put', final, { cause: error });
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertKey(key);
    const file = this.locate(key);
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'EISDIR') || isCode(error, 'ENOTDIR')) return undefined;
      throw new LakeStoreError('get', file, { cause: error });
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    assertPrefix(prefix);
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const dir = path.join(this.root, ...base.split('/').filter((s) => s !== ''));
    let entries;
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return;
      throw new LakeStoreError('list', dir, { cause: error });
    }
    const keys: string[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      // `parentPath` (Node 20.12+) and the older `path` name the entry's directory.
      const parent = (entry as { parentPath?: string }).parentPath ?? (entry as { path?: string }).path ?? dir;
      const rel = path.relative(this.root, path.join(parent, entry.name)).split(path.sep).join('/');
      if (rel.split('/').some((s) => s.startsWith('.'))) continue;
      if (rel.startsWith(prefix)) keys.push(rel);
    }
    keys.sort(compareKeys);
    yield* keys;
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    const file = this.locate(key);
    try {
      await rm(file, { force: true });
    } catch (error) {
      throw new LakeStoreError('delete', file, { cause: error });
    }
  }

  locate(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }
}

/** Flushes a file's (or directory's) data to disk, so "put resolved" means durable, as on S3. */
async function fsync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Byte order of the UTF-8 keys, the order S3 lists in. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
