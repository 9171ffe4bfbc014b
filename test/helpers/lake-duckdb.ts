/** An in-memory DuckDB for reading the lake back in tests. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface Duck {
  /** Rows as plain JS objects (BIGINT → bigint, TIMESTAMP → Date). */
  all(sql: string): Promise<Array<Record<string, unknown>>>;
  run(sql: string): Promise<void>;
  close(): void;
}

export async function openDuck(): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn: DuckDBConnection = await instance.connect();
  return {
    async all(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
    },
    async run(sql) {
      await conn.run(sql);
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** SQL string literal. */
export const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * Mirrors the Athena catalog in DuckDB: schema `database` with one view per lake table over its
 * Parquet files (dt from the folder name, as text like the Athena partition column).
 */
export async function attachLake(duck: Duck, lakeDir: string, database: string, tables: readonly string[]): Promise<void> {
  await duck.run(`CREATE SCHEMA IF NOT EXISTS "${database}"`);
  for (const table of tables) {
    const glob = `${lakeDir}/${table}/dt=*/*.parquet`;
    await duck.run(`CREATE OR REPLACE VIEW "${database}"."${table}" AS SELECT * FROM read_parquet(${lit(glob)}, hive_partitioning = true, hive_types = {'dt': VARCHAR})`);
  }
}
