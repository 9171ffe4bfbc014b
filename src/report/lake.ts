/** Opening the lake (or the --out target) for the report through the lake stage's store. */
import { statSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { openLake, type OpenLakeOptions } from '../lake/open.js';
import { LocalStore } from '../lake/local-store.js';
import type { LakeStore } from '../lake/types.js';
import { envName } from '../options.js';

export type { OpenLakeOptions };

/** Opens `s3://bucket/prefix` or a local directory as a LakeStore. */
export function openReportLake(uri: string, options: OpenLakeOptions = {}): LakeStore {
  return openLake(uri, options);
}

async function hasAny(store: LakeStore, prefix: string): Promise<boolean> {
  for await (const _key of store.list(prefix)) return true;
  return false;
}

/**
 * Checks that `store` (opened from the `--lake` value `uri`) is a lake before anything is read or
 * written: a local directory must exist, and the lake must hold at least one run manifest (`runs/`)
 * or findings file (`findings/`). Otherwise a ConfigError naming `--lake` (exit 2): a report of an
 * empty or mistyped location would otherwise be written there, and emailed, as "0 findings".
 * An S3 prefix has no existence of its own, so for S3 only the second check applies.
 */
export async function assertReportLake(store: LakeStore, uri: string): Promise<void> {
  const bad = (why: string): ConfigError => new ConfigError('lake', `invalid --lake (${envName('lake')}) ${JSON.stringify(uri)}: ${why}`);
  if (store instanceof LocalStore) {
    const stat = statSync(store.uri, { throwIfNoEntry: false });
    if (stat === undefined) throw bad('no such directory; the report reads the lake an export wrote');
    if (!stat.isDirectory()) throw bad('not a directory');
  }
  if (!(await hasAny(store, 'runs/')) && !(await hasAny(store, 'findings/'))) {
    throw bad('no run manifest (runs/) and no findings (findings/) there; not a guardduty-lake lake, or no export has run yet');
  }
}
