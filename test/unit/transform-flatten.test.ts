import { describe, expect, it } from 'vitest';
import { extractDocument, extractFindings } from '../../src/transform/extract.js';
import { flattenFinding } from '../../src/transform/flatten.js';
import { MalformedFindingError } from '../../src/transform/errors.js';
import { findingFamily, severityLabel } from '../../src/transform/derived.js';
import { parseTimestamp } from '../../src/transform/timestamps.js';
import { FINDINGS_TABLE } from '../../src/transform/tables.js';
import type { RowContext } from '../../src/transform/types.js';
import { makeFinding, toWire } from '../helpers/findings.js';

const ctx: RowContext = { sourceAccountId: '999988887777', detectorId: 'det-1', runId: 'run-1', exportedAt: new Date('2025-06-01T00:00:00Z') };

describe('parseTimestamp', () => {
  it.each([
    ['ISO with ms', '2022-01-28T21:12:25.478Z', '2022-01-28T21:12:25.478Z'],
    ['ISO without ms', '2018-01-08T00:43:49Z', '2018-01-08T00:43:49.000Z'],
    ['ISO with offset', '2018-01-08T02:43:49+02:00', '2018-01-08T00:43:49.000Z'],
    ['epoch seconds float', 1513612691.551, '2017-12-18T15:58:11.551Z'],
    ['epoch seconds float, 7 decimals', 1728014790.3773646, '2024-10-04T04:06:30.377Z'],
    ['epoch seconds scientific (number)', 1.513612691551e9, '2017-12-18T15:58:11.551Z'],
    ['epoch seconds scientific (text)', '1.513612691551E9', '2017-12-18T15:58:11.551Z'],
    ['epoch seconds int', 1513312096, '2017-12-15T04:28:16.000Z'],
    ['epoch millis', 1497058274000, '2017-06-10T01:31:14.000Z'],
    ['epoch millis as text', '1497058274000', '2017-06-10T01:31:14.000Z'],
    ['python str(datetime) with offset', '2017-12-18 21:28:11.551000+05:30', '2017-12-18T15:58:11.551Z'],
    ['panther millis, no zone', '2025-02-25 20:40:06.721', '2025-02-25T20:40:06.721Z'],
    ['panther nanos, no zone', '2025-02-25 20:40:06.000000000', '2025-02-25T20:40:06.000Z'],
    ['date only', '2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['Date object', new Date('2020-05-26T22:55:21.703Z'), '2020-05-26T22:55:21.703Z'],
  ])('%s', (_label, input, iso) => {
    // Act
    const parsed = parseTimestamp(input);
    // Assess
    expect(parsed?.toISOString()).toBe(iso);
  });

  it.each([['not a date'], [''], [{}], [true], [Number.NaN]])('returns null for %j', (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });
});

describe('extractFindings', () => {
  const finding = { id: 'f1', type: 'T:X/Y', accountId: '1', updatedAt: '2024-01-01T00:00:00Z' };
  it.each([
    ['bare finding', finding, 1],
    ['array of findings', [finding, finding], 2],
    ['SDK page', { Findings: [finding, finding] }, 2],
    ['REST page', { findings: [finding] }, 1],
    ['empty REST page', { findings: [] }, 0],
    ['boto3 response', { ResponseMetadata: { RequestId: 'x', HTTPStatusCode: 200 }, Findings: [finding] }, 1],
    ['full EventBridge envelope', { version: '0', id: 'e', 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', account: '1', time: 't', region: 'r', resources: [], detail: finding }, 1],
    ['partial EventBridge envelope', { region: 'us-east-1', detail: finding }, 1],
    ['EventBridge with empty detail', { 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', detail: {} }, 0],
  ])('%s', (_label, doc, count) => {
    // Act
    const found = extractFindings(doc);
    // Assess
    expect(found).toHaveLength(count);
    for (const f of found) expect(f).toEqual(finding);
  });

  it('classifies an empty EventBridge detail and a statistics response', () => {
    expect(extractDocument({ 'detail-type': 'GuardDuty Finding', detail: {} }).kind).toBe('empty-envelope');
    expect(extractDocument({ FindingStatistics: { CountBySeverity: { '2.0': 3 } } }).kind).toBe('statistics');
  });
});

describe('flattenFinding', () => {
  it('reads SDK PascalCase and wire camelCase into the same row', () => {
    // Prepare
    const sdk = makeFinding({ index: 3 });
    const wire = toWire(sdk);
    // Act
    const a = flattenFinding(sdk, ctx);
    const b = flattenFinding(wire, ctx);
    // Assess
    const { finding_json: _a, service_additional_info: infoA, ...restA } = a;
    const { finding_json: _b, service_additional_info: infoB, ...restB } = b;
    expect(restB).toEqual(restA);
    expect(JSON.parse(infoB as string)).toMatchObject(JSON.parse(infoA as string) as object);
    expect(restA['resource_instance_details_product_codes']).toEqual([{ code: 'abc', product_type: 'marketplace' }]);
  });

  it('maps the non-mechanical wire names (productCodeId, sourceIPs, lat/lon, task createdAt)', () => {
    // Prepare
    const wire = {
      id: 'f', type: 'T:X/Y', accountId: '1', updatedAt: '2024-01-01T00:00:00Z',
      resource: {
        instanceDetails: { productCodes: [{ productCodeId: 'pc', productCodeType: 'marketplace' }] },
        ecsClusterDetails: { taskDetails: { createdAt: 1.63900583E9 } },
      },
      service: {
        action: { kubernetesApiCallAction: { sourceIPs: ['203.0.113.1'] } },
        detection: { sequence: { endpoints: [{ id: 'e', location: { lat: 1.5, lon: -2.25 } }] } },
      },
    };
    // Act
    const row = flattenFinding(wire, ctx);
    // Assess
    expect(row['resource_instance_details_product_codes']).toEqual([{ code: 'pc', product_type: 'marketplace' }]);
    expect(row['service_action_kubernetes_api_call_action_source_ips']).toEqual(['203.0.113.1']);
    expect(row['resource_ecs_cluster_details_task_details_task_created_at']).toEqual(new Date(1639005830000));
    const endpoints = row['service_detection_sequence_endpoints'] as Array<Record<string, Record<string, unknown>>>;
    expect(endpoints[0]?.['location']).toMatchObject({ latitude: 1.5, longitude: -2.25 });
  });

  it('types values: timestamps as Date, severity double, count bigint, string booleans and numbers', () => {
    // Prepare
    const f = makeFinding({ index: 0, overrides: { Severity: '7.5' } });
    (f['Service'] as Record<string, unknown>)['Archived'] = 'false';
    (f['Service'] as Record<string, unknown>)['Count'] = '42';
    // Act
    const row = flattenFinding(f, ctx);
    // Assess
    expect(row['created_at']).toBeInstanceOf(Date);
    expect(row['updated_at']).toBeInstanceOf(Date);
    expect(row['service_event_first_seen']).toBeInstanceOf(Date);
    expect(row['severity']).toBe(7.5);
    expect(row['severity_label']).toBe('High');
    expect(row['service_count']).toBe(42n);
    expect(row['service_archived']).toBe(false);
    expect(row['service_action_network_connection_action_local_port_details_port']).toBe(22);
    expect(row['resource_instance_details_tags']).toEqual([{ key: 'env', value: 'dev' }, { key: 'team', value: 'team-0' }]);
    expect(row['finding_family']).toBe('UnauthorizedAccess');
    expect(row['source_account_id']).toBe('999988887777');
    expect(row['detector_id']).toBe('det-1');
    expect(row['run_id']).toBe('run-1');
    expect(row['exported_at']).toEqual(ctx.exportedAt);
    expect(JSON.parse(row['finding_json'] as string)).toEqual(f);
    expect(JSON.parse(row['service_additional_info'] as string)).toEqual({ threatListName: 'ProofPoint', sample: true });
  });

  it('sets every column of the table and nothing else', () => {
    // Act
    const row = flattenFinding(makeFinding({ index: 1 }), ctx);
    // Assess
    expect(Object.keys(row).sort()).toEqual(FINDINGS_TABLE.columns.map((c) => c.name).sort());
  });

  it.each([
    [0, 'Instance', /^i-/],
    [1, 'AccessKey', /^ASIA/],
    [2, 'S3Bucket', /^bucket-/],
    [4, 'EKSCluster', /^cluster-/],
    [5, 'RDSDBInstance', /^db-/],
    [6, 'Lambda', /^fn/],
  ])('resource_id of finding %i (%s)', (index, _kind, pattern) => {
    // Act
    const row = flattenFinding(makeFinding({ index }), ctx);
    // Assess
    expect(row['resource_id']).toMatch(pattern);
  });

  it('resource_id is null when the resource has no identifier', () => {
    expect(flattenFinding(makeFinding({ index: 7 }), ctx)['resource_id']).toBeNull();
  });

  it.each([
    ['not an object', 'x', 'not an object: string'],
    ['null', null, 'not an object: null'],
    ['an array', [], 'not an object: array'],
    ['no id', { type: 'T', accountId: '1', updatedAt: '2024-01-01T00:00:00Z' }, 'missing id'],
    ['no type', { id: 'f', accountId: '1', updatedAt: '2024-01-01T00:00:00Z' }, 'missing type'],
    ['no updatedAt', { id: 'f', type: 'T', accountId: '1' }, 'missing updatedAt'],
    ['unparseable updatedAt', { id: 'f', type: 'T', accountId: '1', updatedAt: 'yesterday' }, 'unparseable updatedAt: yesterday'],
  ])('rejects %s with MalformedFindingError', (_label, raw, reason) => {
    // Act
    const act = (): unknown => flattenFinding(raw, ctx);
    // Assess
    expect(act).toThrow(MalformedFindingError);
    try { act(); } catch (e) { expect((e as MalformedFindingError).reason).toBe(reason); }
  });

  it('rejects a finding without accountId when no fallback account exists', () => {
    const raw = { id: 'f', type: 'T', updatedAt: '2024-01-01T00:00:00Z' };
    expect(() => flattenFinding(raw, { ...ctx, sourceAccountId: '' })).toThrow('missing accountId');
  });

  it('takes accountId from the ARN, then from the context, when the finding lacks it', () => {
    // Prepare
    const withArn = { id: 'f', type: 'T', updatedAt: '2024-01-01T00:00:00Z', arn: 'arn:aws:guardduty:us-east-1:111122223333:detector/d/finding/f' };
    const withoutArn = { id: 'f', type: 'T', updatedAt: '2024-01-01T00:00:00Z' };
    // Act / Assess
    expect(flattenFinding(withArn, ctx)['account_id']).toBe('111122223333');
    expect(flattenFinding(withoutArn, ctx)['account_id']).toBe('999988887777');
  });

  it('keeps an unparseable optional value as null (still in finding_json)', () => {
    const row = flattenFinding(makeFinding({ overrides: { CreatedAt: 'n/a', Severity: 'HIGH' } }), ctx);
    expect(row['created_at']).toBeNull();
    expect(row['severity']).toBeNull();
    expect(row['severity_label']).toBeNull();
  });
});

describe('derived columns', () => {
  it.each([
    [1, 'Low'], [3.9, 'Low'], [4, 'Medium'], [6.9, 'Medium'], [7, 'High'], [8.9, 'High'], [9, 'Critical'], [10, 'Critical'], [null, null],
  ])('severity %s → %s', (severity, label) => {
    expect(severityLabel(severity)).toBe(label);
  });

  it.each([
    ['UnauthorizedAccess:EC2/SSHBruteForce', 'UnauthorizedAccess'],
    ['Backdoor:EC2/C&CActivity.B!DNS', 'Backdoor'],
    ['NoColon', 'NoColon'],
    [null, null],
  ])('finding_family of %s → %s', (type, family) => {
    expect(findingFamily(type)).toBe(family);
  });
});
