/**
 * GuardDuty through the wire: the real SDK client against the emulator — detectors, findings with
 * criteria/sort/pagination, every finding field the SDK models for each resource kind, statistics,
 * members, sample findings, and each BadRequestException case.
 */
import { describe, expect, it } from 'vitest';
import {
  AccountStatistics$, DateStatistics$, FindingTypeStatistics$, ResourceStatistics$, SeverityStatistics$,
  AwsApiCallAction$, BadRequestException, CreateSampleFindingsCommand, EbsVolumeDetails$, EbsVolumeScanDetails$, EcsClusterDetails$,
  EksClusterDetails$, Finding$, GetDetectorCommand, GetDetectorResponse$, GetFindingsCommand, GetFindingsStatisticsCommand, GuardDutyClient,
  InstanceDetails$, KubernetesApiCallAction$, KubernetesDetails$, LambdaDetails$, ListDetectorsCommand, ListFindingsCommand, ListMembersCommand,
  Member$, NetworkConnectionAction$, PortProbeAction$, RdsDbInstanceDetails$, RdsLoginAttemptAction$, RuntimeDetails$, S3BucketDetail$,
  Sequence$, paginateListFindings, paginateListMembers, type Condition, type Finding,
} from '@aws-sdk/client-guardduty';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { flattenFinding } from '../../src/transform/index.js';
import { missingMembers, withEmulator } from '../helpers/emulator.js';

const NOW = new Date('2026-11-20T06:00:00Z');
const emu = withEmulator({ seed: 7, now: NOW, orgAccounts: 6, findingsPerAccount: 30 });
const REGION = 'us-east-1';
const client = (region = REGION) => new GuardDutyClient({ region, maxAttempts: 1 });

async function adminDetector(region = REGION): Promise<string> {
  const out = await client(region).send(new ListDetectorsCommand({}));
  const id = out.DetectorIds?.[0];
  if (id === undefined) throw new Error(`no detector in ${region}`);
  return id;
}

async function allIds(detectorId: string, criterion?: Record<string, Condition>, region = REGION): Promise<string[]> {
  const ids: string[] = [];
  const pages = paginateListFindings({ client: client(region), pageSize: 50 }, { DetectorId: detectorId, ...(criterion ? { FindingCriteria: { Criterion: criterion } } : {}) });
  for await (const p of pages) ids.push(...(p.FindingIds ?? []));
  return ids;
}

async function getAll(detectorId: string, ids: string[]): Promise<Finding[]> {
  const out: Finding[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    const res = await client().send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids.slice(i, i + 50) }));
    out.push(...(res.Findings ?? []));
  }
  return out;
}

describe('GuardDuty detectors', () => {
  it('lists one detector per enabled region and none elsewhere, region taken from SigV4', async () => {
    // Prepare
    const { world } = emu();
    // Act
    const enabled = await client('eu-west-1').send(new ListDetectorsCommand({}));
    const noDetector = await client('ap-south-1').send(new ListDetectorsCommand({}));
    // Assess
    expect(enabled.DetectorIds).toEqual([world.detectorFor(world.adminAccountId, 'eu-west-1')?.detectorId]);
    expect(noDetector.DetectorIds).toEqual([]);
  });

  it('GetDetector returns every modeled field', async () => {
    // Act
    const out = await client().send(new GetDetectorCommand({ DetectorId: await adminDetector() }));
    // Assess
    expect(out.Status).toBe('ENABLED');
    expect(out.CreatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(missingMembers(GetDetectorResponse$, out)).toEqual([]);
  });

  it('answers the opt-in region that is not enabled with 403 UnrecognizedClientException', async () => {
    // Act
    const failure = await client(emu().world.disabledOptInRegion).send(new ListDetectorsCommand({})).catch((e: unknown) => e);
    // Assess
    expect(failure).toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
    expect((failure as Error).message).toBe('The security token included in the request is invalid');
  });

  it('rejects a detector id the caller does not own', async () => {
    // Prepare
    const { world } = emu();
    const memberDetector = world.detectors.find((d) => d.accountId !== world.adminAccountId && d.region === REGION);
    // Act
    const failure = await client().send(new GetDetectorCommand({ DetectorId: memberDetector?.detectorId ?? 'x' })).catch((e: unknown) => e);
    // Assess
    expect(failure).toBeInstanceOf(BadRequestException);
  });
});

describe('GuardDuty findings', () => {
  it('the administrator lists all members\' findings of the region across pages, each once', async () => {
    // Prepare
    const { world } = emu();
    const detectorId = await adminDetector();
    // Act
    const ids = await allIds(detectorId);
    // Assess
    const expected = world.findingIds({ regions: [REGION], includeArchived: true });
    expect(ids.length).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(expected);
    expect(new Set(ids.map((id) => world.findingMeta(id)?.accountId)).size).toBeGreaterThan(2);
  });

  it.each([
    ['old operators', { updatedAt: { Gte: 0, Lt: 0 } }],
    ['new operators', { updatedAt: { GreaterThanOrEqual: 0, LessThan: 0 } }],
  ])('filters updatedAt in epoch ms with %s', async (_name, shape) => {
    // Prepare
    const { world } = emu();
    const from = NOW.getTime() - 14 * 86_400_000;
    const to = NOW.getTime() - 7 * 86_400_000;
    const cond: Condition = 'Gte' in shape.updatedAt ? { Gte: from, Lt: to } : { GreaterThanOrEqual: from, LessThan: to };
    // Act
    const ids = await allIds(await adminDetector(), { updatedAt: cond });
    // Assess
    const expected = world.findingIds({ regions: [REGION], includeArchived: true, updatedFrom: new Date(from), updatedTo: new Date(to - 1) });
    expect(ids.length).toBeGreaterThan(0);
    expect([...ids].sort()).toEqual(expected);
  });

  it.each([
    ['Eq', { Eq: ['false'] }],
    ['Equals', { Equals: ['false'] }],
  ])('filters service.archived with %s', async (_name, cond) => {
    // Act
    const ids = await allIds(await adminDetector(), { 'service.archived': cond });
    // Assess
    const metas = ids.map((id) => emu().world.findingMeta(id));
    expect(metas.length).toBe(emu().world.findingIds({ regions: [REGION] }).length);
    expect(metas.every((m) => m?.archived === false)).toBe(true);
  });

  it('filters severity and accountId together, and sorts by severity descending', async () => {
    // Prepare
    const { world } = emu();
    const member = world.accounts.find((a) => a.role === 'member' && a.status === 'ACTIVE');
    // Act
    const res = await client().send(new ListFindingsCommand({
      DetectorId: await adminDetector(),
      FindingCriteria: { Criterion: { severity: { GreaterThanOrEqual: 7 }, accountId: { Eq: [member?.id ?? ''] } } },
      SortCriteria: { AttributeName: 'severity', OrderBy: 'DESC' },
      MaxResults: 50,
    }));
    // Assess
    const metas = (res.FindingIds ?? []).map((id) => world.findingMeta(id));
    expect(metas.length).toBeGreaterThan(0);
    expect(metas.every((m) => m !== undefined && m.severity >= 7 && m.accountId === member?.id)).toBe(true);
    const severities = metas.map((m) => m?.severity ?? 0);
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
  });

  it('a member\'s own detector lists only its own findings', async () => {
    // Prepare
    const { world } = emu();
    const { GuardDutyClient: Client } = await import('@aws-sdk/client-guardduty');
    const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const member = world.accounts.find((a) => a.role === 'member' && a.status === 'ACTIVE');
    const assumed = await new STSClient({ region: REGION }).send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${member?.id}:role/${world.roleName}`, RoleSessionName: 'test',
    }));
    const creds = assumed.Credentials;
    const memberClient = new Client({
      region: REGION,
      credentials: { accessKeyId: creds?.AccessKeyId ?? '', secretAccessKey: creds?.SecretAccessKey ?? '', sessionToken: creds?.SessionToken ?? '' },
    });
    // Act
    const detectors = await memberClient.send(new ListDetectorsCommand({}));
    const ids: string[] = [];
    for await (const p of paginateListFindings({ client: memberClient }, { DetectorId: detectors.DetectorIds?.[0] ?? '' })) ids.push(...(p.FindingIds ?? []));
    // Assess
    expect(detectors.DetectorIds).toEqual([world.detectorFor(member?.id ?? '', REGION)?.detectorId]);
    expect([...ids].sort()).toEqual(world.findingIds({ accountIds: [member?.id ?? ''], regions: [REGION], includeArchived: true }));
  });

  it('GetFindings returns wire shapes the SDK parses: ISO top-level times, nested epoch-second timestamps as Dates', async () => {
    // Prepare
    const detectorId = await adminDetector();
    const ids = (await allIds(detectorId)).slice(0, 50);
    // Act
    const res = await client().send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids, SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'ASC' } }));
    // Assess
    const findings = res.Findings ?? [];
    expect(findings).toHaveLength(50);
    const optional = ['AssociatedAttackSequenceArn', 'CustomDetectionRuleName'];
    const topLevel = findings.flatMap((f) => missingMembers(Finding$, f, '', 0));
    expect(topLevel.filter((p) => !optional.includes(p))).toEqual([]);
    const updated = findings.map((f) => f.UpdatedAt ?? '');
    expect(updated).toEqual([...updated].sort());
    for (const f of findings) {
      expect(Date.parse(f.CreatedAt ?? '')).toBeLessThanOrEqual(Date.parse(f.UpdatedAt ?? ''));
      expect(Date.parse(f.CreatedAt ?? '')).toBeGreaterThanOrEqual(NOW.getTime() - 56 * 86_400_000);
    }
    const ebs = findings.find((f) => f.Service?.EbsVolumeScanDetails);
    expect(ebs?.Service?.EbsVolumeScanDetails?.ScanStartedAt).toBeInstanceOf(Date);
  });

  it('every resource kind carries every modeled field of its parts', async () => {
    // Prepare
    const detectorId = await adminDetector();
    const findings = await getAll(detectorId, (await allIds(detectorId)).slice(0, 200));
    const kind = (type: string) => findings.find((f) => f.Type === type || f.Type?.startsWith(type));
    const checks: Array<[string, unknown, (f: Finding) => unknown]> = [
      ['Recon:EC2', InstanceDetails$, (f) => f.Resource?.InstanceDetails],
      ['Recon:EC2', PortProbeAction$, (f) => f.Service?.Action?.PortProbeAction],
      ['UnauthorizedAccess:EC2', NetworkConnectionAction$, (f) => f.Service?.Action?.NetworkConnectionAction],
      ['Discovery:IAMUser', AwsApiCallAction$, (f) => f.Service?.Action?.AwsApiCallAction],
      ['Exfiltration:S3', S3BucketDetail$, (f) => f.Resource?.S3BucketDetails?.[0]],
      ['PrivilegeEscalation:Kubernetes', EksClusterDetails$, (f) => f.Resource?.EksClusterDetails],
      ['PrivilegeEscalation:Kubernetes', KubernetesDetails$, (f) => f.Resource?.KubernetesDetails],
      ['PrivilegeEscalation:Kubernetes', KubernetesApiCallAction$, (f) => f.Service?.Action?.KubernetesApiCallAction],
      ['Execution:Runtime/NewBinaryExecuted', EcsClusterDetails$, (f) => f.Resource?.EcsClusterDetails],
      ['Execution:Runtime/ReverseShell', RuntimeDetails$, (f) => f.Service?.RuntimeDetails],
      ['CredentialAccess:RDS', RdsDbInstanceDetails$, (f) => f.Resource?.RdsDbInstanceDetails],
      ['CredentialAccess:RDS', RdsLoginAttemptAction$, (f) => f.Service?.Action?.RdsLoginAttemptAction],
      ['Backdoor:Lambda', LambdaDetails$, (f) => f.Resource?.LambdaDetails],
      ['Execution:EC2/MaliciousFile', EbsVolumeDetails$, (f) => f.Resource?.EbsVolumeDetails],
      ['Execution:EC2/MaliciousFile', EbsVolumeScanDetails$, (f) => f.Service?.EbsVolumeScanDetails],
      ['AttackSequence:', Sequence$, (f) => f.Service?.Detection?.Sequence],
    ];
    // Act
    const missing = checks.map(([type, schema, part]) => {
      const f = kind(type);
      if (!f) return `${type}: no finding of this type`;
      const gaps = missingMembers(schema, part(f)).filter((p) => !p.includes('.Data.') || p.endsWith('.Data.AccessKey'));
      return gaps.length === 0 && part(f) !== undefined ? '' : `${type}: ${gaps.join(' ') || 'part absent'}`;
    }).filter((x) => x !== '');
    const everyTopLevelSomewhere = missingMembers(Finding$, Object.assign({}, ...findings), '', 0);
    const sequenceArn = findings.find((f) => f.AssociatedAttackSequenceArn)?.AssociatedAttackSequenceArn ?? '';
    const sequence = await client().send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [sequenceArn.split('/').pop() ?? ''] }));
    // Assess
    expect(missing).toEqual([]);
    expect(everyTopLevelSomewhere).toEqual([]);
    expect(sequence.Findings?.[0]?.Type).toMatch(/^AttackSequence:/);
  });
});

describe('GuardDuty findings meet the transform', () => {
  it('every finding the SDK parsed flattens into a row with its timestamps', async () => {
    // Prepare
    const detectorId = await adminDetector();
    const findings = await getAll(detectorId, (await allIds(detectorId)).slice(0, 100));
    const ctx = { sourceAccountId: emu().world.adminAccountId, detectorId, runId: 'emulator-test', exportedAt: NOW };
    // Act
    const rows = findings.map((f) => flattenFinding(f, ctx));
    // Assess
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => r.updated_at instanceof Date && r.created_at instanceof Date)).toBe(true);
    expect(rows.some((r) => r.service_ebs_volume_scan_details_scan_started_at instanceof Date)).toBe(true);
  });
});

describe('GuardDuty BadRequestException cases', () => {
  it.each([
    ['ListDetectors MaxResults 51', async () => client().send(new ListDetectorsCommand({ MaxResults: 51 }))],
    ['ListFindings MaxResults 51', async (d: string) => client().send(new ListFindingsCommand({ DetectorId: d, MaxResults: 51 }))],
    ['ListMembers MaxResults 51', async (d: string) => client().send(new ListMembersCommand({ DetectorId: d, MaxResults: 51 }))],
    ['GetFindings with 51 ids', async (d: string) => client().send(new GetFindingsCommand({ DetectorId: d, FindingIds: Array.from({ length: 51 }, (_, i) => i.toString(16).padStart(32, '0')) }))],
    ['statistics MaxResults 101', async (d: string) => client().send(new GetFindingsStatisticsCommand({ DetectorId: d, GroupBy: 'SEVERITY', MaxResults: 101 }))],
    ['statistics GroupBy and FindingStatisticTypes at once', async (d: string) => client().send(new GetFindingsStatisticsCommand({ DetectorId: d, GroupBy: 'SEVERITY', FindingStatisticTypes: ['COUNT_BY_SEVERITY'] }))],
    ['ListFindings with a foreign NextToken', async (d: string) => client().send(new ListFindingsCommand({ DetectorId: d, NextToken: 'bm90LW91cnM' }))],
    ['ListFindings on an unknown criterion field', async (d: string) => client().send(new ListFindingsCommand({ DetectorId: d, FindingCriteria: { Criterion: { 'no.such.field': { Eq: ['x'] } } } }))],
  ])('%s', async (_name, call) => {
    // Act
    const failure = await call(await adminDetector()).catch((e: unknown) => e);
    // Assess
    expect(failure).toBeInstanceOf(BadRequestException);
    expect(failure).toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });
});

describe('GuardDuty statistics, members, sample findings', () => {
  it.each(['SEVERITY', 'FINDING_TYPE', 'ACCOUNT', 'RESOURCE', 'DATE'] as const)('GroupBy %s counts every matching finding', async (groupBy) => {
    // Prepare
    const { world } = emu();
    const criterion = { 'service.archived': { Equals: ['false'] } };
    // Act
    const res = await client().send(new GetFindingsStatisticsCommand({
      DetectorId: await adminDetector(), GroupBy: groupBy, OrderBy: 'DESC', MaxResults: 100, FindingCriteria: { Criterion: criterion },
    }));
    // Assess
    const stats = res.FindingStatistics;
    const rows = {
      SEVERITY: stats?.GroupedBySeverity, FINDING_TYPE: stats?.GroupedByFindingType, ACCOUNT: stats?.GroupedByAccount,
      RESOURCE: stats?.GroupedByResource, DATE: stats?.GroupedByDate,
    }[groupBy] ?? [];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]?.LastGeneratedAt).toBeInstanceOf(Date);
    const schema = { SEVERITY: SeverityStatistics$, FINDING_TYPE: FindingTypeStatistics$, ACCOUNT: AccountStatistics$, RESOURCE: ResourceStatistics$, DATE: DateStatistics$ }[groupBy];
    expect(missingMembers(schema, rows[0])).toEqual([]);
    const totals = rows.map((r) => r.TotalFindings ?? 0);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    if (rows.length < 100) expect(totals.reduce((a, b) => a + b, 0)).toBe(world.findingIds({ regions: [REGION] }).length);
  });

  it('deprecated COUNT_BY_SEVERITY counts by severity value', async () => {
    // Act
    const res = await client().send(new GetFindingsStatisticsCommand({ DetectorId: await adminDetector(), FindingStatisticTypes: ['COUNT_BY_SEVERITY'] }));
    // Assess
    const counts = Object.values(res.FindingStatistics?.CountBySeverity ?? {});
    expect(counts.reduce((a, b) => a + b, 0)).toBe(emu().world.findingIds({ regions: [REGION], includeArchived: true }).length);
  });

  it('ListMembers pages through associated members with every field', async () => {
    // Prepare
    const { world } = emu();
    // Act
    const members = [];
    for await (const p of paginateListMembers({ client: client(), pageSize: 2 }, { DetectorId: await adminDetector() })) members.push(...(p.Members ?? []));
    // Assess
    const active = world.accounts.filter((a) => a.status === 'ACTIVE' && a.id !== world.adminAccountId);
    expect(members.map((m) => m.AccountId).sort()).toEqual(active.map((a) => a.id).sort());
    expect(members.every((m) => m.RelationshipStatus === 'Enabled' && m.AdministratorId === world.adminAccountId)).toBe(true);
    expect(missingMembers(Member$, members[0])).toEqual([]);
  });

  it('CreateSampleFindings adds listable findings to the detector', async () => {
    // Prepare
    const detectorId = await adminDetector('eu-west-1');
    const before = await allIds(detectorId, undefined, 'eu-west-1');
    // Act
    await client('eu-west-1').send(new CreateSampleFindingsCommand({ DetectorId: detectorId, FindingTypes: ['Recon:EC2/PortProbeUnprotectedPort'] }));
    const after = await allIds(detectorId, undefined, 'eu-west-1');
    // Assess
    const added = after.filter((id) => !before.includes(id));
    expect(added).toHaveLength(1);
    const res = await client('eu-west-1').send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: added }));
    expect(res.Findings?.[0]?.Type).toBe('Recon:EC2/PortProbeUnprotectedPort');
    expect(res.Findings?.[0]?.Service?.AdditionalInfo?.Value).toContain('"sample":true');
  });

  it('one detector of the world is suspended: GetDetector answers status DISABLED to its account', async () => {
    // Prepare
    const { world } = emu();
    const suspended = world.detectors.filter((d) => d.status === 'DISABLED');
    const detector = suspended[0];
    const credentials = fromTemporaryCredentials({ params: { RoleArn: `arn:aws:iam::${detector?.accountId}:role/${world.roleName}` }, clientConfig: { region: REGION } });
    // Act
    const out = await new GuardDutyClient({ region: detector?.region ?? '', credentials }).send(new GetDetectorCommand({ DetectorId: detector?.detectorId }));
    // Assess
    expect(suspended).toHaveLength(1);
    expect(detector?.accountId).not.toBe(world.adminAccountId);
    expect(out.Status).toBe('DISABLED');
  });
});
