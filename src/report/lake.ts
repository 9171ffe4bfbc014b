/** Opening the lake (or the --out target) for the report through the lake stage's store. */
import { openLake, type OpenLakeOptions } from '../lake/open.js';
import type { LakeStore } from '../lake/types.js';

export type { OpenLakeOptions };

/** Opens `s3://bucket/prefix` or a local directory as a LakeStore. */
export function openReportLake(uri: string, options: OpenLakeOptions = {}): LakeStore {
  return openLake(uri, options);
}
