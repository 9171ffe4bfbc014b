/** Investigations, attack sequences, coverage/quarantine, delivery (--out, --templates) and send-once. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { runReportFor } from '../../src/report/index.js';
import { manifest, seededFindings, writeReportLake } from '../helpers/report-lake.js';

const H = 3_600_000;
const WEEK_START = Date.parse('2026-11-16T00:00:00Z');
const NOW = Date.parse('2026-11-23T06:00:00Z');
let dir: string;

beforeAll(async () => {
  // Prepare
  dir = await mkdtemp(join(tmpdir(), 'gdl-sections-'));
  const findings = seededFindings(5, 200, Date.parse('2026-11-23T00:00:00Z'));
  await writeReportLake(dir, findings, {
    manifests: [
      manifest('run-old', '2026-11-10T02:00:00.000Z'),
      manifest('run-a', '2026-11-19T02:00:00.000Z', { '444444444444/us-east-1': { status: 'failed', error: 'ThrottlingException' }, '444444444444/eu-west-1': { status: 'no-detector' } }),
      manifest('run-b', '2026-11-20T02:00:00.000Z', { '444444444444/eu-west-1': { status: 'no-detector' } }),
    ],
    quarantine: [
      { dt: '2026-11-18', lines: ['{"reason":"missing id","raw":{}}', '{"reason":"missing id","raw":{}}', '{"reason":"bad updatedAt","raw":{}}'] },
      { dt: '2026-11-02', lines: ['{"reason":"outside the week","raw":{}}'] },
    ],
    investigations: [
      { investigation_id: 'inv-1', account_id: '111111111111', region: 'us-east-1', status: 'RUNNING', risk_level: 'MEDIUM', confidence: 'LOW', title: 'old status', summary: 's', start_time: WEEK_START + 2 * H, captured_at: WEEK_START + 3 * H, investigation_json: '{}' },
      { investigation_id: 'inv-1', account_id: '111111111111', region: 'us-east-1', status: 'COMPLETED', risk_level: 'HIGH', confidence: 'HIGH', title: 'Key observations', summary: 'Credential misuse: keys used from a TOR exit node.', start_time: WEEK_START + 2 * H, captured_at: WEEK_START + 30 * H, investigation_json: '{}',
        mitre_techniques: [{ phase: 'p', tactic_uid: 'TA0001', tactic_name: 'Initial Access', technique_uid: 'T1078', technique_name: 'Valid Accounts' }] },
      { investigation_id: 'inv-last-week', account_id: '111111111111', region: 'us-east-1', status: 'COMPLETED', risk_level: 'LOW', confidence: 'LOW', title: 'x', summary: 'x', start_time: WEEK_START - 20 * H, captured_at: WEEK_START + 1 * H, investigation_json: '{}' },
    ],
    records: [
      { investigation_id: 'inv-1', record_id: 'r2', type: 'ANALYSIS', title: 'Second', narrative: 'B'.repeat(5000), created_at: WEEK_START + 5 * H, captured_at: WEEK_START + 30 * H },
      { investigation_id: 'inv-1', record_id: 'r1', type: 'OBSERVATION', title: 'First', narrative: 'Logged in from 3 countries.', created_at: WEEK_START + 4 * H, captured_at: WEEK_START + 30 * H },
    ],
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report sections', () => {
  it('AI investigations: latest capture of each one started in the week, records in order and trimmed, MITRE techniques', async () => {
    // Act
    const { report, rendered } = await runReportFor({ lake: dir, week: '2026-W47', now: NOW });
    // Assess
    expect(report.investigations.total).toBe(1);
    const inv = report.investigations.rows[0]!;
    expect(inv).toMatchObject({ id: 'inv-1', status: 'COMPLETED', riskLevel: 'HIGH', confidence: 'HIGH', title: 'Credential misuse: keys used from a TOR exit node.', accountName: 'Production' });
    expect(inv.records.map((r) => r.title)).toEqual(['First', 'Second']);
    expect(inv.records[1]!.narrative.length).toBeLessThanOrEqual(300);
    expect(inv.techniques).toEqual([{ id: 'T1078', name: 'Valid Accounts' }]);
    expect(rendered.html).toContain('T1078 Valid Accounts');
  });

  it('attack sequences come with their signals and techniques from finding_json', async () => {
    const { report } = await runReportFor({ lake: dir, week: '2026-W47', now: NOW });
    expect(report.attackSequences.total).toBeGreaterThan(0);
    const seq = report.attackSequences.rows[0]!;
    expect(seq.type).toMatch(/^AttackSequence:/);
    expect(seq.signals.map((s) => [s.name, s.count])).toEqual([['UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B', 3], ['GetObject', 120]]);
    expect(seq.signals[1]!.firstSeen).toBe('2025-11-18T01:00:00Z');
    expect(seq.techniques.map((t) => t.id)).toEqual(['T1078', 'T1530']);
  });

  it('coverage: latest status per slice over the week\'s runs, failed slices of any run, quarantine of the week by reason', async () => {
    const { report } = await runReportFor({ lake: dir, week: '2026-W47', now: NOW });
    const c = report.coverage;
    expect([c.runs, c.slices, c.okSlices, c.gapsTotal, c.failedTotal]).toEqual([2, 8, 7, 1, 1]);
    expect(c.gaps[0]).toMatchObject({ accountId: '444444444444', region: 'eu-west-1', status: 'no-detector', accountName: 'Sandbox' });
    expect(c.failed[0]).toMatchObject({ accountId: '444444444444', region: 'us-east-1', error: 'ThrottlingException' });
    expect(c.quarantined).toBe(3);
    expect(c.quarantineReasons).toEqual([{ reason: 'missing id', count: 2 }, { reason: 'bad updatedAt', count: 1 }]);
    expect(c.lastSuccessfulExport).toBe('2026-11-20T02:01:00.000Z');
  });

  it('--out writes the three files there; --templates overrides a template and keeps the bundled partials', async () => {
    // Prepare
    const out = join(dir, 'out');
    const own = join(dir, 'brand');
    await mkdir(own, { recursive: true });
    await writeFile(join(own, 'weekly-report.txt.hbs'), 'ACME {{week}} {{#each tiles}}{{label}}={{newThisWeek}};{{/each}}');
    // Act
    const r = await runReportFor({ lake: dir, week: '2026-W47', now: NOW, out, templates: own });
    // Assess
    expect(r.files.html).toBe(join(out, 'report.html'));
    const text = await readFile(join(out, 'report.txt'), 'utf8');
    expect(text).toMatch(/^ACME 2026-W47 Critical=\d+;High=\d+;Medium=\d+;Low=\d+;$/);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('<h2 style="margin:0 0 6px 0;font-size:16px;">Top finding types</h2>');
    expect(await readFile(join(out, 'queries.sql'), 'utf8')).toMatch(/-- severity_tiles:[\s\S]*FROM findings f/);
  });
});

describe('send once per week', () => {
  it('sends Html+Text once, records sent.json, skips the rerun, and --resend sends again', async () => {
    // Prepare: a plain object standing in for the SES client (the e2e test uses the emulator over HTTP)
    const sent: Array<{ input: Record<string, unknown> }> = [];
    const client = { send: async (cmd: { input: Record<string, unknown> }) => { sent.push(cmd); return { MessageId: `m-${sent.length}` }; }, destroy: () => {} } as unknown as SESv2Client;
    const email = { to: ['ciso@example.com'], from: 'gd@example.com', region: 'us-east-1', client };
    // Act
    const first = await runReportFor({ lake: dir, week: '2026-W46', now: NOW, email });
    const second = await runReportFor({ lake: dir, week: '2026-W46', now: NOW, email });
    const third = await runReportFor({ lake: dir, week: '2026-W46', now: NOW, email: { ...email, resend: true } });
    // Assess
    expect([first.email, second.email, third.email]).toEqual(['sent', 'already-sent', 'sent']);
    expect(sent).toHaveLength(2);
    const content = (sent[0]!.input.Content as { Simple: { Subject: { Data: string }; Body: { Html: { Data: string }; Text: { Data: string } } } }).Simple;
    expect(content.Subject.Data).toBe(first.rendered.subject);
    expect(content.Body.Html.Data).toBe(first.rendered.html);
    expect(content.Body.Text.Data).toBe(first.rendered.text);
    const record = JSON.parse(await readFile(join(dir, 'reports', '2026-W46', 'sent.json'), 'utf8')) as { messageId: string };
    expect(record.messageId).toBe('m-2');
  });
});
