/** A small findings TableSpec for lake tests that must not depend on the full generated column list. */
import type { ColumnSpec, TableSpec } from '../../src/transform/types.js';

const c = (name: string, type: ColumnSpec['type'], doc = `the ${name}`, nullable = true): ColumnSpec => ({ name, type, path: [], nullable, doc });

export const SMALL_FINDINGS: TableSpec = {
  name: 'findings',
  columns: [
    c('id', 'string', 'Finding id', false),
    c('account_id', 'string'),
    c('updated_at', 'timestamp', "When the finding was last updated (it's UTC)"),
    c('severity', 'double'),
    c('service_count', 'bigint'),
    c('service_archived', 'boolean'),
    c('resource_instance_details_tags', 'array<struct<key:string,value:string>>'),
    c('source_account_id', 'string', 'who returned it', false),
    c('detector_id', 'string', 'detector', false),
    c('exported_at', 'timestamp', 'export time', false),
    c('run_id', 'string', 'run', false),
    c('finding_json', 'string', 'raw', false),
  ],
  partitionKeys: ['dt'],
};

export const SMALL_STATISTICS: TableSpec = {
  name: 'finding_statistics',
  columns: [c('group_by', 'string'), c('count', 'bigint'), c('date', 'timestamp')],
  partitionKeys: ['dt'],
};
