/**
 * `guardduty-lake export`: exports the Organization into the lake; exit 0 when complete, 1 when a
 * slice failed or findings were quarantined (the last log line says why).
 */
import { openLake, s3WriteOptions } from '../lake/index.js';
import type { CommandHandler } from '../types.js';
import { failedRunBuffer, runBuffer } from '../metrics/index.js';
import { exportOrganization, type ExportOutcome } from './export.js';
import { LakeSink } from './lake-sink.js';

export const runExport: CommandHandler<'export'> = async (config, ctx) => {
  const lake = openLake(config.lake, {
    ...s3WriteOptions(config),
    maxAttempts: config.maxAttempts,
  }, ctx.env);
  let outcome: ExportOutcome | undefined;
  try {
    outcome = await exportOrganization(config, {
      log: ctx.log,
      sink: new LakeSink(lake),
      progress: ctx.progress,
      signal: ctx.signal,
    });
    return outcome.exitCode;
  } finally {
    // One EMF record per run, also when it threw (CloudWatch alarms read it; docs/operations.md).
    const metrics = outcome === undefined
      ? failedRunBuffer('export', config.runId === undefined ? {} : { properties: { run_id: config.runId } })
      : runBuffer(outcome.manifest, { throttles: outcome.stats.throttles });
    metrics.flush(ctx.stdout);
  }
};
