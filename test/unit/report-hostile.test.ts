/**
 * Attacker-controlled text (finding titles, resource ids, account names, investigation narratives,
 * attack-sequence signals, quarantine reasons, slice errors) comes out escaped, trimmed and inert.
 * Parsed with a real HTML parser (htmlparser2, a dev dependency).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomUtils, parseDocument } from 'htmlparser2';
import { readdir, readFile } from 'node:fs/promises';
import { BUNDLED_TEMPLATES, runReportFor, type ReportRunResult } from '../../src/report/index.js';
import { manifest, seededFindings, writeReportLake, type LakeFinding } from '../helpers/report-lake.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';
const JS_URL = 'javascript:alert(3)';
const HBS = "{{constructor.constructor('x')()}}";
const BIDI = 'invoice\u202Egpj.exe';
const ZW = 'pay\u200Bpal\u200D.com';
const HOSTILE = [BIDI, ZW, SCRIPT, IMG, JS_URL, HBS].join(' ');
const MEGA = `${SCRIPT}${'A'.repeat(1_000_000)}`;

const WEEK_START = Date.parse('2026-11-16T00:00:00Z');
let dir: string;
let result: ReportRunResult;

function hostileFinding(i: number, over: Partial<LakeFinding>): LakeFinding {
  const t = WEEK_START + (i + 1) * 3_600_000;
  return {
    id: `hostile-${i}`, account_id: '111111111111', region: 'us-east-1', type: 'Recon:EC2/PortProbeUnprotectedPort',
    title: HOSTILE, description: MEGA, severity: 9.5, created_at: t, updated_at: t, exported_at: t + 1,
    service_archived: false, service_count: 1, resource_resource_type: 'S3Bucket', resource_id: `${IMG}${JS_URL}`,
    service_event_first_seen: t, service_event_last_seen: t, finding_json: null, ...over,
  };
}

beforeAll(async () => {
  // Prepare
  dir = await mkdtemp(join(tmpdir(), 'gdl-hostile-'));
  const sequence = {
    Service: { Detection: { Sequence: {
      Description: MEGA,
      Signals: [{ Name: HOSTILE, Type: 'FINDING', Description: `${JS_URL} ${IMG}`, Count: 1 }],
      SequenceIndicators: [{ Key: 'ATTACK_TECHNIQUE', Values: [`T1078 ${SCRIPT}`] }],
    } } },
  };
  await writeReportLake(dir, [
    ...seededFindings(3, 60, Date.parse('2026-11-23T00:00:00Z')),
    hostileFinding(0, {}),
    hostileFinding(1, { type: `AttackSequence:S3/${SCRIPT}`, finding_json: JSON.stringify(sequence) }),
    hostileFinding(2, { title: MEGA, type: HOSTILE, account_id: '222222222222' }),
  ], {
    manifests: [{
      ...manifest('run-h', '2026-11-20T02:00:00.000Z', { '333333333333/us-east-1': { status: 'failed', error: `AccessDenied ${SCRIPT} ${JS_URL}` } }),
      accounts: [{ id: '111111111111', name: `Prod ${IMG}` }, { id: '222222222222', name: BIDI }],
    }],
    quarantine: [{ dt: '2026-11-18', lines: [JSON.stringify({ reason: `bad ${SCRIPT}`, raw: {} })] }],
    investigations: [{
      investigation_id: 'inv-h', account_id: '111111111111', region: 'us-east-1', status: 'COMPLETED', risk_level: SCRIPT,
      confidence: 'HIGH', summary: MEGA, start_time: WEEK_START + 7_200_000, captured_at: WEEK_START + 86_400_000,
      investigation_json: JSON.stringify({ SummaryData: { FindingType: HOSTILE } }),
    }],
    records: [{ investigation_id: 'inv-h', record_id: 'r', type: 'ANALYSIS', title: IMG, narrative: MEGA, created_at: WEEK_START + 7_300_000, captured_at: WEEK_START + 86_400_000 }],
  });
  // Act
  result = await runReportFor({ lake: dir, week: '2026-W47', now: Date.parse('2026-11-23T06:00:00Z') });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hostile finding text in the HTML (htmlparser2)', () => {
  it('has no script element, no event-handler attribute and no href/src at all', () => {
    // Prepare
    const doc = parseDocument(result.rendered.html);
    const all = DomUtils.findAll(() => true, doc.children);
    // Assess
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((e) => e.name === 'script' || e.name === 'img' || e.name === 'iframe' || e.name === 'a')).toEqual([]);
    const attrs = all.flatMap((e) => Object.entries(e.attribs).map(([k, v]) => ({ el: e.name, k, v })));
    expect(attrs.filter((a) => a.k.toLowerCase().startsWith('on'))).toEqual([]);
    expect(attrs.filter((a) => ['href', 'src', 'action', 'formaction', 'background'].includes(a.k.toLowerCase()))).toEqual([]);
    expect(attrs.filter((a) => /javascript|url\(|expression\(/i.test(a.v))).toEqual([]);
  });

  it('shows the hostile text as text: escaped, defanged, trimmed', () => {
    // Prepare
    const doc = parseDocument(result.rendered.html);
    const text = DomUtils.textContent(doc);
    // Assess: the markup survives only as visible text
    expect(text).toContain(SCRIPT);
    expect(text).toContain('<img src=x onerror=alert(2)>');
    expect(text).toContain('javascript[:]alert(3)');
    expect(text).not.toMatch(/javascript:/i);
    expect(text).toContain(HBS);
    expect(result.rendered.html).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF]/);
    expect(text).toContain('invoicegpj.exe');
    expect(text).toContain('paypal.com');
    // 1 MB descriptions, summaries and narratives are cut short
    expect(text).not.toContain('A'.repeat(400));
    expect(Buffer.byteLength(result.rendered.html)).toBeLessThan(200_000);
  });
});

describe('bundled templates', () => {
  it('never use triple-stash {{{ }}} and never emit href/src', async () => {
    // Prepare
    const names = [
      ...(await readdir(BUNDLED_TEMPLATES)).filter((f) => f.endsWith('.hbs')),
      ...(await readdir(join(BUNDLED_TEMPLATES, 'partials'))).map((f) => `partials/${f}`),
    ];
    // Act
    const offenders = [];
    for (const name of names) {
      const text = await readFile(join(BUNDLED_TEMPLATES, name), 'utf8');
      if (/\{\{\{|\{\{&|\s(href|src)\s*=/i.test(text)) offenders.push(name);
    }
    // Assess
    expect(names.length).toBeGreaterThan(8);
    expect(offenders).toEqual([]);
  });
});

describe('hostile finding text in the plain-text part and the subject', () => {
  it('is neutralised and trimmed', () => {
    expect(result.rendered.text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF]/);
    expect(result.rendered.text).not.toMatch(/javascript:/i);
    expect(result.rendered.text).not.toContain('A'.repeat(400));
    expect(result.rendered.text.length).toBeLessThan(60_000);
    expect(result.rendered.subject).toMatch(/^GuardDuty weekly 2026-W47: \d+ Critical, \d+ High \([+-±]\d+\)$/);
  });

  it('reaches the report (the hostile findings are listed, not dropped)', () => {
    expect(result.report.newHighCritical.rows.map((r) => r.id)).toEqual(expect.arrayContaining(['hostile-0', 'hostile-1', 'hostile-2']));
    expect(result.report.attackSequences.rows[0]?.signals[0]?.name).toContain('<script>');
    expect(result.report.investigations.rows[0]?.records[0]?.title).toBe(IMG);
    expect(result.report.coverage.failed[0]?.error).toContain('javascript[:]alert(3)');
  });
});
