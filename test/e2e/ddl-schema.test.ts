/**
 * The DDL's column list equals the Parquet schema the transform writer produces: same names in the
 * same order, and each Hive type read by DuckDB as the DuckDB spelling of that type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { TABLES } from '../../src/transform/tables.js';
import { encodeParquet, extractFindings, flattenFinding } from '../../src/transform/index.js';
import { parseHiveType, toDuckDbType } from '../../src/lake/hive-type.js';
import { createTableSql } from '../../src/lake/ddl.js';
import { main } from '../../src/cli.js';
import type { Row, TableName } from '../../src/transform/types.js';
import { lit, openDuck, type Duck } from '../helpers/lake-duckdb.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.resolve(repoRoot, '../shared/fixtures/real-findings');

let dir: string;
let duck: Duck;

/** A value of a scalar Hive type, for the non-nullable columns. */
function filler(type: string): unknown {
  const scalars: Record<string, unknown> = { string: 'x', timestamp: new Date(0), double: 1, bigint: 1n, int: 1, boolean: true };
  return type.startsWith('array<') ? [] : scalars[type] ?? null;
}

/** A row per table: a real finding for `findings`; elsewhere values only where the column is non-nullable (the schema is what matters). */
async function sampleRow(table: TableName): Promise<Row> {
  if (table !== 'findings') {
    return Object.fromEntries(TABLES[table].columns.filter((c) => !c.nullable).map((c) => [c.name, filler(c.type)]));
  }
  const line = (await readFile(path.join(FIXTURES, 'elastic-integrations-wire.jsonl'), 'utf8')).split('\n')[0] ?? '';
  const [finding] = extractFindings(JSON.parse(line));
  return flattenFinding(finding, { sourceAccountId: '111122223333', detectorId: 'd', runId: 'r', exportedAt: new Date('2026-11-22T00:00:00Z') });
}

/** Column names and types of the DDL statement itself (parsed back from the printed SQL). */
function ddlColumns(sql: string): Array<[string, string]> {
  const body = sql.slice(sql.indexOf('(\n') + 2, sql.indexOf('\n)\n'));
  return body.split(',\n').map((line) => {
    const m = /^ {2}`([^`]+)` +(.+?) COMMENT '/.exec(line);
    if (!m?.[1] || !m[2]) throw new Error(`unexpected DDL line: ${line}`);
    return [m[1], m[2]];
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gdl-ddl-schema-'));
  duck = await openDuck();
});
afterAll(async () => {
  duck.close();
  await rm(dir, { recursive: true, force: true });
});

describe('DDL columns = Parquet schema', () => {
  it.each(Object.keys(TABLES) as TableName[])('%s', async (name) => {
    // Prepare
    const table = TABLES[name];
    const file = path.join(dir, `${name}.parquet`);
    await writeFile(file, await encodeParquet(table, [await sampleRow(name)]));
    const ddl = ddlColumns(createTableSql(table, 'gd', 's3://lake-bucket/p'));
    // Act
    const parquet = (await duck.all(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`)).map((r) => [String(r.column_name), String(r.column_type)]);
    const expected: Array<[string, string]> = [];
    for (const [col, type] of ddl) {
      const [canon] = await duck.all(`SELECT typeof(CAST(NULL AS ${toDuckDbType(parseHiveType(type))})) AS t`);
      expected.push([col, String(canon?.t)]);
    }
    // Assess
    expect(ddl.map(([c]) => c)).toEqual(table.columns.map((c) => c.name));
    expect(parquet).toEqual(expected);
  });
});

describe('deploy/glue-tables.yaml', () => {
  it('is what `ddl --format cloudformation` prints today (regenerate with the command in docs/lake.md)', async () => {
    // Prepare
    let printed = '';
    const stdout = new Writable({ write(chunk, _enc, cb) { printed += String(chunk); cb(); } });
    // Act
    const code = await main(['ddl', '--lake', 's3://guardduty-lake-example/lake', '--database', 'guardduty_lake', '--format', 'cloudformation', '--log-level', 'warn'], { stdout, env: {} });
    // Assess
    expect(code).toBe(0);
    expect(await readFile(path.join(repoRoot, 'deploy/glue-tables.yaml'), 'utf8')).toBe(printed);
  });

  it('refuses a local lake with exit 2 naming --lake', async () => {
    let err = '';
    const stderr = new Writable({ write(chunk, _enc, cb) { err += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream;
    const code = await main(['ddl', '--lake', '/tmp/lake'], { stdout: new Writable({ write(_c, _e, cb) { cb(); } }), stderr, env: {} });
    expect(code).toBe(2);
    expect(err).toMatch(/^guardduty-lake ddl: invalid --lake \(GDL_LAKE\) "\/tmp\/lake": ddl needs the lake on S3/);
  });
});
