import { LocalStore } from './local-store.js';
import { S3Store, type S3StoreOptions } from './s3-store.js';
import { LakeUriError } from './errors.js';
import type { LakeStore } from './types.js';

/** Options of {@link openLake}; they apply to S3 lakes only. */
export type OpenLakeOptions = Pick<S3StoreOptions, 'sse' | 'kmsKeyId' | 'expectedBucketOwner' | 'maxAttempts'>;

/** The S3 write settings of a command's config (`--sse`, `--kms-key-id`, `--expected-bucket-owner`) as store options. */
export function s3WriteOptions(config: { readonly sse?: OpenLakeOptions['sse']; readonly kmsKeyId?: string; readonly expectedBucketOwner?: string }): OpenLakeOptions {
  return {
    ...(config.sse === undefined ? {} : { sse: config.sse }),
    ...(config.kmsKeyId === undefined ? {} : { kmsKeyId: config.kmsKeyId }),
    ...(config.expectedBucketOwner === undefined ? {} : { expectedBucketOwner: config.expectedBucketOwner }),
  };
}

/**
 * Opens the lake at `uri`: `s3://bucket[/prefix]` → {@link S3Store}; a directory path (or a
 * `file://` URL) → {@link LocalStore}. The same keys and layout on both.
 */
export function openLake(uri: string, options: OpenLakeOptions = {}, env: NodeJS.ProcessEnv = process.env): LakeStore {
  if (uri.startsWith('s3://')) return new S3Store(uri, options, env);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://')) {
    throw new LakeUriError(`"${uri}": the lake must be s3://bucket[/prefix] or a local directory`);
  }
  const dir = uri.startsWith('file://') ? decodeURIComponent(new URL(uri).pathname) : uri;
  if (dir.trim() === '') throw new LakeUriError('the lake directory is empty');
  return new LocalStore(dir);
}
