import { statSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { envName } from '../options.js';
import { TABLES } from '../transform/tables.js';
import type { CommandHandler } from '../types.js';
import { compactLake } from './compact.js';
import { utcDate } from './keys.js';
import { LocalStore } from './local-store.js';
import { openLake, s3WriteOptions } from './open.js';

const DAY_MS = 86_400_000;

/**
 * `guardduty-lake compact --lake … [--before YYYY-MM-DD] [--dry-run]`: rewrites the small objects of
 * every closed dt partition (all four tables) into one object each. Exit 0 when done (partitions
 * whose objects have another schema, e.g. from before an upgrade, are left as they are and logged);
 * 1 when a store call failed (the run can be repeated: an interrupted compaction is finished or
 * rolled back first); 2 for a bad setting.
 */
export const runCompact: CommandHandler<'compact'> = async (config, ctx) => {
  const store = openLake(config.lake, s3WriteOptions(config), ctx.env);
  if (store instanceof LocalStore && statSync(store.uri, { throwIfNoEntry: false })?.isDirectory() !== true) {
    throw new ConfigError('lake', `invalid --lake (${envName('lake')}) ${JSON.stringify(config.lake)}: no such directory`);
  }
  // Yesterday's partition may still get rows from tonight's export; older ones are closed.
  const before = config.before ?? utcDate(new Date(Date.now() - DAY_MS));
  const summary = await compactLake(store, { tables: Object.values(TABLES), before, dryRun: config.dryRun, log: ctx.log });
  const done = summary.partitions.filter((p) => p.skipped === undefined);
  const left = summary.partitions.filter((p) => p.skipped !== undefined && p.skipped !== 'dry run');
  const fields = {
    horizon: summary.horizon, recovered: summary.recovered, partitions: done.length, left_as_is: left.length,
    objects_before: done.reduce((n, p) => n + p.sources, 0), objects_after: done.reduce((n, p) => n + p.outputs, 0),
    bytes_before: done.reduce((n, p) => n + p.sourceBytes, 0), bytes_after: done.reduce((n, p) => n + p.outputBytes, 0),
    rows: done.reduce((n, p) => n + p.rows, 0), dry_run: config.dryRun,
  };
  if (config.dryRun) {
    for (const p of summary.partitions) ctx.stdout.write(`${p.table}/dt=${p.dt}: ${p.sources} objects\n`);
    ctx.log.info({ ...fields, would_compact: summary.partitions.length }, `compact (dry run): ${summary.partitions.length} partitions before ${summary.horizon} would be compacted`);
    return 0;
  }
  ctx.log.info(fields, `compact finished: ${fields.objects_before} objects in ${done.length} partitions before ${summary.horizon} now ${fields.objects_after}${left.length > 0 ? `; ${left.length} partitions left as they are (see the warnings)` : ''}`);
  return 0;
};
