/**
 * Import sources: `.json`, `.jsonl` and `.jsonl.gz` (also `.json.gz`) files, given directly or
 * found under directories — GuardDuty's native S3 export layout
 * `AWSLogs/<account>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz` included. Files are read as
 * streams, never whole.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ImportSourceError } from './errors.js';
import { splitJsonValues } from './json-split.js';

export interface ImportSource {
  /** Absolute path. */
  readonly path: string;
  /** `lines`: one JSON document per line; `json`: documents / a top-level array, possibly pretty-printed. */
  readonly format: 'lines' | 'json';
  readonly gzip: boolean;
  /** Account and region from the native export layout (`AWSLogs/<account>/GuardDuty/<region>/…`), when the path has it. */
  readonly exportAccountId?: string;
  readonly exportRegion?: string;
}

/** One JSON text read from a source, with its 1-based line. */
export interface SourceRecord {
  readonly text: string;
  readonly line: number;
}

const NATIVE = /(?:^|\/)AWSLogs\/(\d{12})\/GuardDuty\/([a-z]{2}(?:-[a-z]+)+-\d)\/\d{4}\/\d{2}\/\d{2}\/[^/]+$/;

/** How a file name is read, or undefined when import does not read it. */
export function sourceFormat(file: string): Pick<ImportSource, 'format' | 'gzip'> | undefined {
  const name = file.toLowerCase();
  if (name.endsWith('.jsonl.gz') || name.endsWith('.ndjson.gz')) return { format: 'lines', gzip: true };
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return { format: 'lines', gzip: false };
  if (name.endsWith('.json.gz')) return { format: 'json', gzip: true };
  if (name.endsWith('.json')) return { format: 'json', gzip: false };
  return undefined;
}

export function describeSource(file: string): ImportSource | undefined {
  const format = sourceFormat(file);
  if (format === undefined) return undefined;
  const native = NATIVE.exec(file.split(path.sep).join('/'));
  return {
    path: file,
    ...format,
    ...(native?.[1] === undefined || native[2] === undefined ? {} : { exportAccountId: native[1], exportRegion: native[2] }),
  };
}

export interface DiscoveredSources {
  /** In path order, each file once. */
  readonly sources: ImportSource[];
  /** Files under the given directories that import does not read (other extensions, hidden files). */
  readonly ignored: string[];
}

/**
 * Expands the given paths into source files. A file given directly must have a supported
 * extension; under a directory, other files are listed as ignored.
 * @throws ImportSourceError for a missing path or an unsupported file given directly.
 */
export async function discoverSources(paths: readonly string[]): Promise<DiscoveredSources> {
  const files = new Set<string>();
  const ignored: string[] = [];
  for (const given of paths) {
    const abs = path.resolve(given);
    let info;
    try {
      info = await stat(abs);
    } catch (error) {
      throw new ImportSourceError(given, 'no such file or directory', { cause: error });
    }
    if (info.isFile()) {
      if (sourceFormat(abs) === undefined) throw new ImportSourceError(given, 'not a .json, .jsonl or .jsonl.gz file');
      files.add(abs);
      continue;
    }
    const entries = await readdir(abs, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const parent = (entry as { parentPath?: string }).parentPath ?? (entry as { path?: string }).path ?? abs;
      const file = path.join(parent, entry.name);
      const hidden = path.relative(abs, file).split(path.sep).some((s) => s.startsWith('.'));
      if (hidden || sourceFormat(file) === undefined) ignored.push(file);
      else files.add(file);
    }
  }
  const sources = [...files].sort().map((f) => describeSource(f)).filter((s): s is ImportSource => s !== undefined);
  return { sources, ignored: ignored.sort() };
}

function open(source: ImportSource): Readable {
  const raw = createReadStream(source.path);
  if (!source.gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

/** The JSON texts of a source, streamed: non-blank lines, or top-level values / array elements. */
export async function* readSourceRecords(source: ImportSource): AsyncIterable<SourceRecord> {
  const stream = open(source);
  stream.setEncoding('utf8');
  try {
    if (source.format === 'lines') {
      let line = 0;
      for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
        line++;
        if (text.trim() !== '') yield { text, line };
      }
    } else {
      yield* splitJsonValues(stream as AsyncIterable<string>);
    }
  } catch (error) {
    throw new ImportSourceError(source.path, `read failed: ${(error as Error).message}`, { cause: error });
  } finally {
    stream.destroy();
  }
}

/** SHA-256 of the file's bytes as stored (compressed files are hashed compressed), hex. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new ImportSourceError(file, `read failed: ${(error as Error).message}`, { cause: error });
  }
  return hash.digest('hex');
}
