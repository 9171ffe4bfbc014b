import type { CommandHandler } from '../types.js';
import { ConfigError } from '../errors.js';
import { TABLES } from '../transform/tables.js';
import { athenaDdl } from './ddl.js';
import { glueTablesTemplate } from './glue.js';

/**
 * `guardduty-lake ddl --lake s3://… --database … [--format sql|cloudformation]`: prints the Athena
 * DDL (or the Glue tables as CloudFormation YAML) to stdout.
 */
export const runDdl: CommandHandler<'ddl'> = async (config, ctx) => {
  if (!config.lake.startsWith('s3://')) {
    throw new ConfigError('lake', `invalid --lake (GDL_LAKE) "${config.lake}": ddl needs the lake on S3 (s3://bucket/prefix); Athena cannot read a local directory`);
  }
  const target = { database: config.database, lake: config.lake, tables: Object.values(TABLES) };
  ctx.stdout.write(config.format === 'cloudformation' ? glueTablesTemplate(target) : athenaDdl(target));
  ctx.log.debug({ format: config.format, tables: target.tables.map((t) => t.name) }, 'ddl printed');
  return 0;
};
