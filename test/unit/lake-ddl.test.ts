import { describe, expect, it } from 'vitest';
import { athenaDdl, createTableSql, findingsLatestViewSql, lakeLocation } from '../../src/lake/ddl.js';
import { glueTablesTemplate } from '../../src/lake/glue.js';
import { parseHiveType, toDuckDbType, toHiveDdlType, toPrestoType } from '../../src/lake/hive-type.js';
import { toYaml } from '../../src/lake/yaml.js';
import { LakeUriError } from '../../src/lake/errors.js';
import { SMALL_FINDINGS, SMALL_STATISTICS } from '../helpers/table-spec.js';

describe('Athena DDL', () => {
  it('creates one external Parquet table with dt partition projection on the lake location', () => {
    // Act
    const sql = createTableSql(SMALL_FINDINGS, 'gd', 's3://my-lake/prefix/');
    // Assess
    expect(sql).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS `gd`\.`findings` \(/);
    expect(sql).toContain("`resource_instance_details_tags` array<struct<key:string,value:string>> COMMENT 'the resource_instance_details_tags'");
    expect(sql).toContain("COMMENT 'When the finding was last updated (it\\'s UTC)'");
    expect(sql).toContain("PARTITIONED BY (`dt` string");
    expect(sql).toContain('STORED AS PARQUET');
    expect(sql).toContain("LOCATION 's3://my-lake/prefix/findings/'");
    for (const prop of ["'projection.enabled' = 'true'", "'projection.dt.type' = 'date'", "'projection.dt.format' = 'yyyy-MM-dd'",
      "'projection.dt.range' = '2010-01-01,NOW'", "'storage.location.template' = 's3://my-lake/prefix/findings/dt=${dt}/'"]) {
      expect(sql).toContain(prop);
    }
  });

  it('quotes reserved words and prints every table plus the view', () => {
    const ddl = athenaDdl({ database: 'gd', lake: 's3://my-lake', tables: [SMALL_FINDINGS, SMALL_STATISTICS] });
    expect(ddl).toMatch(/`count` +bigint/);
    expect(ddl).toMatch(/`date` +timestamp/);
    expect(ddl.match(/CREATE EXTERNAL TABLE/g)).toHaveLength(2);
    expect(ddl).toContain('CREATE OR REPLACE VIEW "gd"."findings_latest" AS');
    expect(ddl).toContain("LOCATION 's3://my-lake/finding_statistics/'");
  });

  it('picks one row per id with a deterministic order in the view', () => {
    const view = findingsLatestViewSql(SMALL_FINDINGS, 'gd');
    expect(view).toContain('PARTITION BY "id" ORDER BY "updated_at" DESC NULLS LAST, "exported_at" DESC NULLS LAST, "run_id" DESC, "source_account_id", "detector_id", "finding_json"');
    expect(view).toContain('FROM "gd"."findings"');
    expect(view).toMatch(/^SELECT "id", "account_id", .*"finding_json", "dt"$/m);
  });

  it.each(['/tmp/lake', './lake', 'file:///tmp/lake'])('needs an S3 lake, not %s', (lake) => {
    expect(() => lakeLocation(lake)).toThrow(LakeUriError);
  });
});

describe('Hive types', () => {
  it.each([
    ['string', 'VARCHAR', 'varchar'],
    ['timestamp', 'TIMESTAMP', 'timestamp'],
    ['int', 'INTEGER', 'integer'],
    ['array<string>', 'VARCHAR[]', 'array(varchar)'],
    ['array<struct<key:string,value:string>>', 'STRUCT("key" VARCHAR, "value" VARCHAR)[]', 'array(row(key varchar, value varchar))'],
    ['map<string,array<bigint>>', 'MAP(VARCHAR, BIGINT[])', 'map(varchar, array(bigint))'],
    ['struct<a:struct<b:double>,c:boolean>', 'STRUCT("a" STRUCT("b" DOUBLE), "c" BOOLEAN)', 'row(a row(b double), c boolean)'],
  ])('%s → DuckDB %s, Presto %s', (hive, duck, presto) => {
    const t = parseHiveType(hive);
    expect(toDuckDbType(t)).toBe(duck);
    expect(toPrestoType(t)).toBe(presto);
  });

  it('backticks struct field names that are reserved in Athena DDL, and reads them back', () => {
    const t = parseHiveType('array<struct<user:string,values:array<string>,name:string>>');
    expect(toHiveDdlType(t)).toBe('array<struct<`user`:string,`values`:array<string>,name:string>>');
    expect(parseHiveType(toHiveDdlType(t))).toEqual(t);
  });

  it.each(['array<string', 'struct<a>', 'string>', 'array<>'])('rejects %s', (bad) => {
    expect(() => parseHiveType(bad)).toThrow(/bad Hive type/);
  });
});

describe('CloudFormation', () => {
  it('writes nested YAML with quoted strings and long-form intrinsics', () => {
    expect(toYaml({ A: { 'Fn::Sub': '${X}y' }, L: [{ N: 'a', T: 'b' }, 'c'], E: [], B: true })).toBe(
      'A:\n  Fn::Sub: "${X}y"\nL:\n  - N: "a"\n    T: "b"\n  - "c"\nE: []\nB: true\n',
    );
  });

  it('declares one Glue table per lake table with the same columns and projection', () => {
    const yaml = glueTablesTemplate({ database: 'gd', lake: 's3://my-lake/p', tables: [SMALL_FINDINGS, SMALL_STATISTICS] });
    expect(yaml.match(/Type: "AWS::Glue::Table"/g)).toHaveLength(2);
    expect(yaml).toContain('FindingsTable:');
    expect(yaml).toContain('FindingStatisticsTable:');
    expect(yaml).toContain('Default: "s3://my-lake/p/"');
    expect(yaml).toContain('Fn::Sub: "${LakeLocation}findings/dt=${!dt}/"');
    expect(yaml).toContain('- Name: "resource_instance_details_tags"\n              Type: "array<struct<key:string,value:string>>"');
    expect(yaml.match(/- Name: "/g)).toHaveLength(SMALL_FINDINGS.columns.length + SMALL_STATISTICS.columns.length + 2);
  });
});
