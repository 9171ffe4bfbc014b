/** The report over an S3 lake (s3rver over HTTP, the real S3 client): ranged Parquet reads, reports written back to S3. */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLake } from '../../src/lake/index.js';
import { runReportFor } from '../../src/report/index.js';
import { manifest, seededFindings, writeReportLake } from '../helpers/report-lake.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';

let s3: RunningS3rver;
let dir: string;

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && !e.name.startsWith('.')) out.push(join(e.parentPath, e.name));
  }
  return out;
}

beforeAll(async () => {
  // Prepare: a local lake, copied object by object into the bucket
  dir = await mkdtemp(join(tmpdir(), 'gdl-report-s3-'));
  await writeReportLake(dir, seededFindings(31, 300, Date.parse('2026-11-23T00:00:00Z')), {
    manifests: [manifest('run-s3', '2026-11-21T02:00:00.000Z')],
  });
  s3 = await startS3rver();
  const lake = openLake(`s3://${s3.bucket}/lake`);
  for (const f of await files(dir)) await lake.put(relative(dir, f).split(sep).join('/'), await readFile(f));
});

afterAll(async () => {
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('report over S3', () => {
  it('gives the same report as over the local copy and writes report.html, report.txt, queries.sql to the bucket', async () => {
    // Act
    const local = await runReportFor({ lake: dir, week: '2026-W47', now: Date.parse('2026-11-23T06:00:00Z') });
    const remote = await runReportFor({ lake: `s3://${s3.bucket}/lake`, week: '2026-W47', now: Date.parse('2026-11-23T06:00:00Z') });
    // Assess
    expect(remote.report.totals.distinctFindings).toBe(300);
    expect(remote.rendered.html).toBe(local.rendered.html);
    expect(remote.files.html).toBe(`s3://${s3.bucket}/lake/reports/2026-W47/report.html`);
    const lake = openLake(`s3://${s3.bucket}/lake`);
    const keys: string[] = [];
    for await (const k of lake.list('reports/2026-W47/')) keys.push(k);
    expect(keys).toEqual(['reports/2026-W47/queries.sql', 'reports/2026-W47/report.html', 'reports/2026-W47/report.txt']);
    expect(new TextDecoder().decode(await lake.get('reports/2026-W47/report.html'))).toBe(remote.rendered.html);
  });

  it('an S3 prefix with no run manifest and no findings is not a lake: ConfigError naming --lake, nothing written there', async () => {
    // Prepare
    const uri = `s3://${s3.bucket}/not-the-lake`;
    // Act
    const run = runReportFor({ lake: uri, week: '2026-W47', now: Date.parse('2026-11-23T06:00:00Z') });
    // Assess
    await expect(run).rejects.toMatchObject({ name: 'ConfigError', setting: 'lake', message: `invalid --lake (GDL_LAKE) "${uri}": no run manifest (runs/) and no findings (findings/) there; not a guardduty-lake lake, or no export has run yet` });
    const keys: string[] = [];
    for await (const k of openLake(uri).list('')) keys.push(k);
    expect(keys).toEqual([]);
  });
});
