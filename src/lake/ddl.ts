/**
 * Athena DDL from the table specs: one CREATE EXTERNAL TABLE per table (Parquet, partition
 * projection on `dt`), the `findings_latest` view, and the same tables as Glue resources for
 * CloudFormation. The view's SQL is one source: DuckDB runs the very statement Athena gets.
 */
import type { ColumnSpec, TableSpec } from '../transform/types.js';
import { parseS3Uri } from './s3-store.js';
import { LakeUriError } from './errors.js';
import { parseHiveType, toHiveDdlType } from './hive-type.js';

/**
 * First `dt` partition projection enumerates. GuardDuty became available in November 2017, but sample
 * findings carry earlier dates (the fixtures have 2017-10-31); import quarantines anything earlier,
 * so no row sits in a partition Athena never looks at.
 */
export const PROJECTION_START = '2010-01-01';

export interface DdlTarget {
  /** Glue/Athena database. */
  readonly database: string;
  /** `s3://bucket[/prefix]` of the lake. */
  readonly lake: string;
  readonly tables: readonly TableSpec[];
}

/** `s3://bucket/prefix/` with exactly one trailing slash. */
export function lakeLocation(lake: string): string {
  if (!lake.startsWith('s3://')) throw new LakeUriError(`Athena needs the lake on S3 (s3://bucket/prefix), got "${lake}"`);
  const { bucket, prefix } = parseS3Uri(lake);
  return `s3://${bucket}/${prefix === '' ? '' : `${prefix}/`}`;
}

const tick = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
const dq = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const hiveString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const TABLE_DOCS: Record<string, string> = {
  findings: 'GuardDuty findings, one row per finding as exported (dt = UTC date of updated_at); see findings_latest for one row per id',
  finding_statistics: 'GetFindingsStatistics snapshots, one row per group (dt = UTC date of the run)',
  investigations: 'GuardDuty AI investigations (dt = UTC date of the run)',
  investigation_records: 'Records of GuardDuty AI investigations (dt = UTC date of the run)',
};

/** Table properties for partition projection on `dt` (`${dt}` is Athena's placeholder, not ours). */
export function projectionProperties(tableLocation: string): Array<[string, string]> {
  return [
    ['projection.enabled', 'true'],
    ['projection.dt.type', 'date'],
    ['projection.dt.format', 'yyyy-MM-dd'],
    ['projection.dt.range', `${PROJECTION_START},NOW`],
    ['projection.dt.interval', '1'],
    ['projection.dt.interval.unit', 'DAYS'],
    ['storage.location.template', `${tableLocation}dt=\${dt}/`],
    ['classification', 'parquet'],
  ];
}

export function createTableSql(table: TableSpec, database: string, lake: string): string {
  const location = `${lakeLocation(lake)}${table.name}/`;
  const width = Math.max(...table.columns.map((c) => c.name.length)) + 2;
  const columns = table.columns.map((c) => `  ${tick(c.name).padEnd(width)} ${toHiveDdlType(parseHiveType(c.type))} COMMENT ${hiveString(c.doc)}`);
  const props = projectionProperties(location).map(([k, v]) => `  ${hiveString(k)} = ${hiveString(v)}`);
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${tick(database)}.${tick(table.name)} (`,
    columns.join(',\n'),
    ')',
    `COMMENT ${hiveString(TABLE_DOCS[table.name] ?? table.name)}`,
    `PARTITIONED BY (${tick('dt')} string COMMENT 'UTC date partition, YYYY-MM-DD')`,
    'STORED AS PARQUET',
    `LOCATION ${hiveString(location)}`,
    'TBLPROPERTIES (',
    props.join(',\n'),
    ');',
  ].join('\n');
}

/**
 * Order that picks the one row of a finding id in `findings_latest`: the latest `updated_at`, then
 * the latest export, then fixed tie-breaks down to the finding's JSON, so the choice never depends on
 * file or scan order.
 */
export const LATEST_ORDER = ['"updated_at" DESC NULLS LAST', '"exported_at" DESC NULLS LAST', '"run_id" DESC', '"source_account_id"', '"detector_id"', '"finding_json"'] as const;

/** The view's columns: every findings column, then `dt`. */
export function findingsLatestColumns(findings: TableSpec): string[] {
  return [...findings.columns.map((c: ColumnSpec) => c.name), 'dt'];
}

/** `CREATE OR REPLACE VIEW "db"."findings_latest"`: one row per finding id. Valid in Athena (Trino) and DuckDB. */
export function findingsLatestViewSql(findings: TableSpec, database: string): string {
  return `CREATE OR REPLACE VIEW ${dq(database)}.${dq('findings_latest')} AS\n${findingsLatestSelect(findings, `${dq(database)}.${dq(findings.name)}`)};`;
}

/** The view's SELECT over `from` (a table reference). */
export function findingsLatestSelect(findings: TableSpec, from: string): string {
  const cols = findingsLatestColumns(findings).map(dq);
  return [
    `SELECT ${cols.join(', ')}`,
    'FROM (',
    `  SELECT *, row_number() OVER (PARTITION BY "id" ORDER BY ${LATEST_ORDER.join(', ')}) AS "latest_rank"`,
    `  FROM ${from}`,
    ') AS "ranked"',
    'WHERE "latest_rank" = 1',
  ].join('\n');
}

/** Every statement for Athena, in order, separated by blank lines (run them one at a time). */
export function athenaDdl(target: DdlTarget): string {
  const findings = target.tables.find((t) => t.name === 'findings');
  const statements = [
    `-- guardduty-lake: Athena DDL for ${lakeLocation(target.lake)} (run each statement separately)`,
    `CREATE DATABASE IF NOT EXISTS ${tick(target.database)};`,
    ...target.tables.map((t) => createTableSql(t, target.database, target.lake)),
    ...(findings === undefined ? [] : [findingsLatestViewSql(findings, target.database)]),
  ];
  return `${statements.join('\n\n')}\n`;
}
