/**
 * `guardduty-lake export`: exports the Organization into the lake; exit 0 when complete, 1 when a
 * slice failed or findings were quarantined (the last log line says why).
 */
import { openLake } from '../lake/index.js';
import type { CommandHandler } from '../types.js';
import { exportOrganization } from './export.js';
import { LakeSink } from './lake-sink.js';

export const runExport: CommandHandler<'export'> = async (config, ctx) => {
  const lake = openLake(config.lake, {
    ...(config.sse === undefined ? {} : { sse: config.sse }),
    ...(config.kmsKeyId === undefined ? {} : { kmsKeyId: config.kmsKeyId }),
    ...(config.expectedBucketOwner === undefined ? {} : { expectedBucketOwner: config.expectedBucketOwner }),
    maxAttempts: config.maxAttempts,
  }, ctx.env);
  const outcome = await exportOrganization(config, {
    log: ctx.log,
    sink: new LakeSink(lake),
    progress: ctx.progress,
    signal: ctx.signal,
  });
  return outcome.exitCode;
};
