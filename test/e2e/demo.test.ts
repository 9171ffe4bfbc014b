import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _e, cb) { w.text += String(chunk); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('guardduty-lake demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gdl-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the emulated Organization into a local lake and prints the report path', { timeout: 240_000 }, async () => {
    // Prepare
    const lake = join(dir, 'lake');
    const out = sink();
    // Act
    const code = await main(['demo', '--lake', lake, '--regions', 'us-east-1,eu-west-1,us-west-1,sa-east-1,eu-north-1,me-south-1'], {
      env: { PATH: process.env.PATH }, stdout: out, stderr: sink() as never,
    });
    // Assess
    expect(code).toBe(0);
    const reportPath = /Report:\s+(\S+report\.html)/.exec(out.text)?.[1];
    expect(reportPath).toBeDefined();
    expect(existsSync(reportPath!)).toBe(true);
    expect(readFileSync(reportPath!, 'utf8')).toMatch(/<html/i);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await db.runAndReadAll(
      `SELECT count(*) AS n, count(DISTINCT id) AS ids, min(updated_at) AS oldest FROM read_parquet('${lake}/findings/**/*.parquet')`,
    )).getRowObjects();
    const exported = Number(/Exported (\d+) findings/.exec(out.text)?.[1]);
    expect(Number(rows[0]?.n)).toBe(exported);
    expect(exported).toBeGreaterThan(0);
    // eight weeks of history for the trend
    const oldest = new Date(String(rows[0]?.oldest));
    expect(Date.now() - oldest.getTime()).toBeGreaterThan(49 * 86_400_000);
  });
});
