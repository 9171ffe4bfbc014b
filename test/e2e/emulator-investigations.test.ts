/**
 * GuardDuty AI investigations through the real SDK: seeded investigations with every status, the
 * full Investigation shape, records, CreateInvestigation (202, idempotent, quota, administrator only)
 * and the regions outside the preview.
 */
import { describe, expect, it } from 'vitest';
import {
  BadRequestException, CreateInvestigationCommand, GetInvestigationCommand, GuardDutyClient, Investigation$, InvestigationRecord$,
  InvestigationSummary$, ListDetectorsCommand, ListInvestigationsCommand, paginateListInvestigationRecords, paginateListInvestigations,
  type InvestigationSummary,
} from '@aws-sdk/client-guardduty';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { missingMembers, withEmulator } from '../helpers/emulator.js';

const emu = withEmulator({ seed: 11, findingsPerAccount: 10 });
const client = (region: string) => new GuardDutyClient({ region, maxAttempts: 1 });

async function detector(region: string, gd = client(region)): Promise<string> {
  return (await gd.send(new ListDetectorsCommand({}))).DetectorIds?.[0] ?? '';
}

describe('GuardDuty investigations', () => {
  it('lists seeded investigations with RUNNING, COMPLETED and FAILED, every summary field present', async () => {
    // Prepare
    const region = 'us-east-1';
    const detectorId = await detector(region);
    // Act
    const all: InvestigationSummary[] = [];
    for await (const p of paginateListInvestigations({ client: client(region), pageSize: 2 }, { DetectorId: detectorId })) all.push(...(p.Investigations ?? []));
    // Assess
    expect(new Set(all.map((i) => i.Status))).toEqual(new Set(['RUNNING', 'COMPLETED', 'FAILED']));
    expect(all.length).toBe(emu().world.investigations({ region }).length);
    const completed = all.find((i) => i.Status === 'COMPLETED' && i.InvestigationType === 'FINDING') ?? all.find((i) => i.Status === 'COMPLETED');
    expect(missingMembers(InvestigationSummary$, completed)).toEqual([]);
    const starts = all.map((i) => i.StartTime?.getTime() ?? 0);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('filters by status', async () => {
    // Act
    const out = await client('eu-west-1').send(new ListInvestigationsCommand({
      DetectorId: await detector('eu-west-1'), FilterCriteria: { Criterion: { STATUS: { Equals: ['FAILED'] } } },
    }));
    // Assess
    expect(out.Investigations?.length).toBeGreaterThan(0);
    expect(out.Investigations?.every((i) => i.Status === 'FAILED')).toBe(true);
  });

  it('GetInvestigation returns risk, confidence, summary and every modeled field of a completed one', async () => {
    // Prepare
    const region = 'us-east-1';
    const detectorId = await detector(region);
    const completed = emu().world.investigations({ region }).find((i) => i.status === 'COMPLETED');
    // Act
    const out = await client(region).send(new GetInvestigationCommand({ DetectorId: detectorId, InvestigationId: completed?.investigationId }));
    // Assess
    const inv = out.Investigation;
    expect(inv?.RiskLevel).toBe(completed?.riskLevel);
    expect(inv?.Summary).toContain(completed?.title ?? '?');
    expect(missingMembers(Investigation$, inv).filter((p) => p !== 'Error')).toEqual([]);
  });

  it('ListInvestigationRecords pages through the records', async () => {
    // Prepare
    const region = 'us-east-1';
    const detectorId = await detector(region);
    const completed = emu().world.investigations({ region }).find((i) => i.status === 'COMPLETED');
    // Act
    const records = [];
    for await (const p of paginateListInvestigationRecords({ client: client(region), pageSize: 2 }, { DetectorId: detectorId, InvestigationId: completed?.investigationId })) records.push(...(p.Records ?? []));
    // Assess
    expect(records.map((r) => r.Type)).toEqual(['METADATA', 'FETCH', 'OBSERVATION', 'ANALYSIS', 'UPDATE']);
    expect(missingMembers(InvestigationRecord$, records[1])).toEqual([]);
    expect(records[1]?.SupportingData?.Fetch?.Result?.TotalCount).toBe(1);
  });

  it('CreateInvestigation answers 202, is idempotent on ClientToken, and the investigation becomes listable', async () => {
    // Prepare
    const region = 'eu-west-1';
    const detectorId = await detector(region);
    // Act
    const first = await client(region).send(new CreateInvestigationCommand({ DetectorId: detectorId, TriggerPrompt: 'Investigate critical findings', ClientToken: 'tok-1' }));
    const again = await client(region).send(new CreateInvestigationCommand({ DetectorId: detectorId, TriggerPrompt: 'Investigate critical findings', ClientToken: 'tok-1' }));
    const got = await client(region).send(new GetInvestigationCommand({ DetectorId: detectorId, InvestigationId: first.InvestigationId }));
    // Assess
    expect(first.$metadata.httpStatusCode).toBe(202);
    expect(again.InvestigationId).toBe(first.InvestigationId);
    expect(got.Investigation?.Status).toBe('RUNNING');
    expect(got.Investigation?.TriggerPrompt).toBe('Investigate critical findings');
  });

  it('allows 10 investigations per account per day, then BadRequestException', async () => {
    // Prepare
    const region = 'us-east-1';
    const detectorId = await detector(region);
    const gd = client(region);
    // Act
    const results = [];
    for (let n = 0; n < 11; n++) {
      results.push(await gd.send(new CreateInvestigationCommand({ DetectorId: detectorId, TriggerPrompt: `quota ${n}`, ClientToken: `quota-${n}` })).then(() => 'ok', (e: unknown) => e));
    }
    // Assess: one was created by the previous test (eu-west-1) — the quota is per account, across regions.
    expect(results.filter((r) => r === 'ok')).toHaveLength(9);
    expect(results.at(-1)).toBeInstanceOf(BadRequestException);
  });

  it('rejects ListInvestigations MaxResults above 50 with BadRequestException', async () => {
    // Act
    const failure = await client('us-east-1').send(new ListInvestigationsCommand({ DetectorId: await detector('us-east-1'), MaxResults: 51 })).catch((e: unknown) => e);
    // Assess
    expect(failure).toBeInstanceOf(BadRequestException);
  });

  it.each(['us-west-1', 'sa-east-1'])('answers BadRequestException outside the preview regions (%s)', async (region) => {
    // Act
    const failure = await client(region).send(new ListInvestigationsCommand({ DetectorId: await detector(region) })).catch((e: unknown) => e);
    // Assess
    expect(failure).toBeInstanceOf(BadRequestException);
  });

  it('refuses CreateInvestigation from a member account', async () => {
    // Prepare
    const { world } = emu();
    const member = world.accounts.find((a) => a.role === 'member' && a.status === 'ACTIVE');
    const credentials = fromTemporaryCredentials({ params: { RoleArn: `arn:aws:iam::${member?.id}:role/${world.roleName}` }, clientConfig: { region: 'us-east-1' } });
    const gd = new GuardDutyClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
    // Act
    const failure = await gd.send(new CreateInvestigationCommand({ DetectorId: await detector('us-east-1', gd), TriggerPrompt: 'x' })).catch((e: unknown) => e);
    // Assess
    expect(failure).toBeInstanceOf(BadRequestException);
  });
});
