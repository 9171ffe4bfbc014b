/**
 * `guardduty-lake report --lake X` when X is not a lake: a bad setting (exit 2, one line on stderr
 * naming --lake, nothing written, no metrics record); a lake with run manifests but no findings still
 * renders its (empty) report with exit 0. Through `main(argv, io)`, as the CLI runs it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { manifest, writeReportLake } from '../helpers/report-lake.js';

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _e, cb) { w.text += String(chunk); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

async function report(lake: string, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(['report', '--lake', lake, '--log-level', 'error', ...extra], { env: { PATH: process.env.PATH }, stdout, stderr: stderr as never });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const NO_DATA = 'no run manifest (runs/) and no findings (findings/) there; not a guardduty-lake lake, or no export has run yet';
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gdl-cli-lake-'));
  await mkdir(join(root, 'empty'));
  await writeFile(join(root, 'a-file'), 'not a lake');
  await mkdir(join(root, 'other', 'stuff'), { recursive: true });
  await writeFile(join(root, 'other', 'stuff', 'x.txt'), 'x');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('report --lake that is not a lake', () => {
  it.each([
    { name: 'a directory that does not exist', lake: 'missing', why: 'no such directory; the report reads the lake an export wrote' },
    { name: 'an empty directory', lake: 'empty', why: NO_DATA },
    { name: 'a directory of something else', lake: 'other', why: NO_DATA },
    { name: 'a file', lake: 'a-file', why: 'not a directory' },
  ])('$name: exit 2, one line naming --lake, nothing written', async ({ lake, why }) => {
    // Prepare
    const path = join(root, lake);
    const isDir = lake === 'empty' || lake === 'other';
    const before = isDir ? await readdir(path, { recursive: true }) : undefined;
    // Act
    const r = await report(path, ['--email-to', 'ciso@example.com', '--email-from', 'gd@example.com', '--home-region', 'us-east-1']);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`guardduty-lake report: invalid --lake (GDL_LAKE) ${JSON.stringify(path)}: ${why}\n`);
    expect(r.stdout).toBe('');
    if (isDir) expect(await readdir(path, { recursive: true })).toEqual(before);
    else expect(existsSync(join(path, 'reports'))).toBe(false);
    if (lake === 'missing') expect(existsSync(path)).toBe(false);
  });
});

describe('report on a lake with run manifests but no findings', () => {
  it('renders the empty week with exit 0 and prints the report path', async () => {
    // Prepare
    const lake = join(root, 'runs-only');
    await writeReportLake(lake, [], { manifests: [manifest('run-1', '2026-11-20T02:00:00.000Z')] });
    // Act
    const r = await report(lake, ['--week', '2026-W47']);
    // Assess
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const html = join(lake, 'reports', '2026-W47', 'report.html');
    expect(r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('{'))).toEqual([html]);
    expect(existsSync(html)).toBe(true);
  });
});
