import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../src/transform/extract.js';
import { flattenFinding } from '../../src/transform/flatten.js';
import { MalformedFindingError } from '../../src/transform/errors.js';
import type { Row, RowContext } from '../../src/transform/types.js';
import { fixtureDocuments, fixtureFiles } from '../helpers/fixtures.js';

const ctx: RowContext = { sourceAccountId: '000000000000', detectorId: 'import', runId: 'run-fixtures', exportedAt: new Date('2025-06-01T00:00:00Z') };

interface Outcome { rows: Row[]; malformed: string[]; emptyEnvelopes: number; statistics: number }

function run(file: string): Outcome {
  const out: Outcome = { rows: [], malformed: [], emptyEnvelopes: 0, statistics: 0 };
  for (const doc of fixtureDocuments(file)) {
    const x = extractDocument(doc);
    if (x.kind === 'empty-envelope') { out.emptyEnvelopes++; continue; }
    if (x.kind === 'statistics') { out.statistics++; continue; }
    for (const f of x.findings) {
      try { out.rows.push(flattenFinding(f, ctx)); } catch (e) {
        if (!(e instanceof MalformedFindingError)) throw e;
        out.malformed.push(e.reason);
      }
    }
  }
  return out;
}

describe('real findings fixtures (../shared/fixtures/real-findings)', () => {
  // Expected counts from the fixture README (complete findings per file).
  it.each([
    ['alertchain-sdk.jsonl', 2, 0],
    ['aws-cli-examples-sdk.jsonl', 1, 0],
    ['aws-samples-guardduty-automated-response-wire.jsonl', 3, 0],
    ['aws-samples-guardduty-waf-acl-eventbridge.jsonl', 1, 0],
    ['cisco-tr05-guardduty-sdk.jsonl', 2, 0],
    ['elastic-integrations-api-response.jsonl', 1, 0],
    ['elastic-integrations-wire.jsonl', 25, 0],
    ['panther-analysis-wire.jsonl', 8, 0],
    ['panther-legacy-wire.jsonl', 3, 0],
    ['panther-legacy-wire-invalid.jsonl', 0, 1],
    ['security-monkey-stackarmor-eventbridge.jsonl', 1, 0],
    ['sekoia-intake-formats-wire.jsonl', 10, 0],
    ['stix-shifter-sdk.jsonl', 5, 0],
    // Fragments are not complete findings: each is rejected (quarantined by callers), none silently dropped.
    ['stix-shifter-sdk-fragments.jsonl', 0, 10],
    ['spreaker-guardduty-exporter-stats-sdk.jsonl', 0, 0],
    ['streamalert-eventbridge-empty-detail.jsonl', 0, 0],
  ])('%s → %i rows, %i malformed', (file, rows, malformed) => {
    // Act
    const out = run(file);
    // Assess
    expect(out.rows).toHaveLength(rows);
    expect(out.malformed).toHaveLength(malformed);
  });

  it('covers every fixture file with a case above', () => {
    expect(fixtureFiles()).toHaveLength(16);
  });

  it('62 complete findings in total; the invalid record and fragments fail for a missing id', () => {
    // Act
    const all = fixtureFiles().map(run);
    // Assess
    expect(all.reduce((n, o) => n + o.rows.length, 0)).toBe(62);
    expect(all.flatMap((o) => o.malformed)).toEqual(Array(11).fill('missing id'));
    expect(all.reduce((n, o) => n + o.emptyEnvelopes, 0)).toBe(1);
    expect(all.reduce((n, o) => n + o.statistics, 0)).toBe(2);
  });

  it('every row has typed required columns', () => {
    for (const row of fixtureFiles().flatMap((f) => run(f).rows)) {
      expect(typeof row['id']).toBe('string');
      expect(row['updated_at']).toBeInstanceOf(Date);
      expect(Number.isNaN((row['updated_at'] as Date).getTime())).toBe(false);
      expect(typeof row['account_id']).toBe('string');
      expect(typeof row['finding_json']).toBe('string');
    }
  });

  it.each([
    // file, finding id, column, expected instant (source encoding in the comment)
    ['elastic-integrations-wire.jsonl', '12bf5144204c599bf635e5cbfad907e1', 'resource_eks_cluster_details_created_at', '2021-11-11T10:15:55.218Z'], // epoch s float
    ['panther-analysis-wire.jsonl', '8c258d654378414b9bc26f61a93eb816', 'updated_at', '2025-02-25T20:40:06.721Z'], // 'YYYY-MM-DD hh:mm:ss.fff'
  ])('%s %s: %s = %s', (file, id, column, iso) => {
    // Act
    const row = run(file).rows.find((r) => r['id'] === id);
    // Assess
    expect((row?.[column] as Date | undefined)?.toISOString()).toBe(iso);
  });

  it('nested timestamps in every encoding become real timestamps', () => {
    // Prepare
    const rows = fixtureFiles().flatMap((f) => run(f).rows);
    const values = (column: string): number[] => rows.map((r) => r[column]).filter((v): v is Date => v instanceof Date).map((d) => d.getTime());
    // Assess: epoch seconds in scientific notation (Sekoia S3 export)
    expect(values('resource_ecs_cluster_details_task_details_task_created_at')).toContain(Date.parse('2021-12-08T23:23:50.000Z'));
    expect(values('service_ebs_volume_scan_details_scan_started_at')).toContain(1639010703000);
    // epoch millis (security-monkey launchTime 1497058274000)
    expect(values('resource_instance_details_launch_time')).toContain(1497058274000);
    // Python str(datetime) with +05:30 (stix-shifter S3 bucket CreatedAt)
    const bucketDates = rows.flatMap((r) => (r['resource_s3_bucket_details'] as Array<{ created_at: Date | null }> | null) ?? []).map((b) => b.created_at?.getTime());
    expect(bucketDates).toContain(Date.parse('2017-12-18T15:58:11.551Z'));
  });
});
