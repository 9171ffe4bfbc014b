/**
 * Organizations (JSON 1.1), STS (query/XML) and SESv2 (REST-JSON) through the real SDK clients:
 * paginated org tree, AssumeRole keys that map to the member account, SendEmail kept for inspection.
 */
import { describe, expect, it } from 'vitest';
import {
  Account$, DescribeOrganizationCommand, ListAccountsCommand, OrganizationsClient, paginateListAccounts, paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent, paginateListRoots, type Account,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { missingMembers, withEmulator } from '../helpers/emulator.js';

const emu = withEmulator({ seed: 3, orgAccounts: 9, findingsPerAccount: 5, externalId: 'lake-ext-id' });
const REGION = 'us-east-1';
const orgs = () => new OrganizationsClient({ region: REGION, maxAttempts: 1 });
const sts = () => new STSClient({ region: REGION, maxAttempts: 1 });

describe('Organizations', () => {
  it('DescribeOrganization names the management account', async () => {
    // Act
    const out = await orgs().send(new DescribeOrganizationCommand({}));
    // Assess
    expect(out.Organization?.MasterAccountId).toBe(emu().world.managementAccountId);
    expect(out.Organization?.Id).toBe(emu().world.organizationId);
  });

  it('ListAccounts pages (small default pages) through every account with every field', async () => {
    // Prepare
    const { world } = emu();
    const first = await orgs().send(new ListAccountsCommand({}));
    // Act
    const accounts: Account[] = [];
    for await (const p of paginateListAccounts({ client: orgs() }, {})) accounts.push(...(p.Accounts ?? []));
    // Assess
    expect(first.NextToken).toBeDefined();
    expect(first.Accounts?.length).toBeLessThan(world.accounts.length);
    expect(accounts.map((a) => a.Id)).toEqual(world.accounts.map((a) => a.id));
    expect(accounts.filter((a) => a.Status === 'SUSPENDED').length).toBeGreaterThan(0);
    expect(accounts[0]?.JoinedTimestamp).toBeInstanceOf(Date);
    expect(missingMembers(Account$, accounts[0])).toEqual([]);
  });

  it('walks root → OUs (one nested) → accounts and finds every account exactly once', async () => {
    // Prepare
    const { world } = emu();
    const roots = [];
    for await (const p of paginateListRoots({ client: orgs() }, {})) roots.push(...(p.Roots ?? []));
    // Act
    const found: string[] = [];
    let depth = 0;
    const walk = async (parentId: string, level: number): Promise<void> => {
      depth = Math.max(depth, level);
      for await (const p of paginateListAccountsForParent({ client: orgs(), pageSize: 2 }, { ParentId: parentId })) found.push(...(p.Accounts ?? []).map((a) => a.Id ?? ''));
      for await (const p of paginateListOrganizationalUnitsForParent({ client: orgs() }, { ParentId: parentId })) {
        for (const ou of p.OrganizationalUnits ?? []) await walk(ou.Id ?? '', level + 1);
      }
    };
    await walk(roots[0]?.Id ?? '', 0);
    // Assess
    expect(roots.map((r) => r.Id)).toEqual([world.rootId]);
    expect(found.sort()).toEqual(world.accounts.map((a) => a.id).sort());
    expect(depth).toBe(2);
  });

  it('refuses a member account with AccessDeniedException', async () => {
    // Prepare
    const { world } = emu();
    const member = world.accounts.find((a) => a.role === 'member' && a.status === 'ACTIVE');
    const assumed = fromTemporaryCredentials({ params: { RoleArn: `arn:aws:iam::${member?.id}:role/${world.roleName}`, ExternalId: 'lake-ext-id' }, clientConfig: { region: REGION } });
    // Act
    const failure = await new OrganizationsClient({ region: REGION, credentials: assumed, maxAttempts: 1 }).send(new ListAccountsCommand({})).catch((e: unknown) => e);
    // Assess
    expect(failure).toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('STS', () => {
  it('GetCallerIdentity names the delegated administrator for the base keys', async () => {
    // Act
    const out = await sts().send(new GetCallerIdentityCommand({}));
    // Assess
    expect(out.Account).toBe(emu().world.adminAccountId);
  });

  it('AssumeRole issues keys that map to the member account, with Expiration from DurationSeconds', async () => {
    // Prepare
    const { world } = emu();
    const member = world.accounts.filter((a) => a.role === 'member' && a.status === 'ACTIVE')[1];
    const before = Date.now();
    // Act
    const out = await sts().send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${member?.id}:role/${world.roleName}`, RoleSessionName: 'lake', ExternalId: 'lake-ext-id', DurationSeconds: 900,
    }));
    const c = out.Credentials;
    const credentials = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
    const who = await new STSClient({ region: REGION, credentials }).send(new GetCallerIdentityCommand({}));
    const detectors = await new GuardDutyClient({ region: 'eu-west-1', credentials }).send(new ListDetectorsCommand({}));
    // Assess
    expect(who.Account).toBe(member?.id);
    expect(who.Arn).toBe(`arn:aws:sts::${member?.id}:assumed-role/${world.roleName}/lake`);
    expect(detectors.DetectorIds).toEqual([world.detectorFor(member?.id ?? '', 'eu-west-1')?.detectorId]);
    const expiresIn = (c?.Expiration?.getTime() ?? 0) - before;
    expect(expiresIn).toBeGreaterThan(890_000);
    expect(expiresIn).toBeLessThan(910_000);
  });

  it.each([
    ['a role other than the configured one', (id: string) => ({ RoleArn: `arn:aws:iam::${id}:role/Admin`, ExternalId: 'lake-ext-id' })],
    ['a wrong ExternalId', (id: string) => ({ RoleArn: `arn:aws:iam::${id}:role/GuardDutyLakeReadOnly`, ExternalId: 'nope' })],
    ['an account outside the Organization', () => ({ RoleArn: 'arn:aws:iam::999999999999:role/GuardDutyLakeReadOnly', ExternalId: 'lake-ext-id' })],
  ])('refuses %s with AccessDenied', async (_name, params) => {
    // Prepare
    const member = emu().world.accounts.find((a) => a.role === 'member' && a.status === 'ACTIVE');
    // Act
    const failure = await sts().send(new AssumeRoleCommand({ RoleSessionName: 'lake', ...params(member?.id ?? '') })).catch((e: unknown) => e);
    // Assess
    expect(failure).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });

  it('refuses a SUSPENDED account', async () => {
    // Prepare
    const suspended = emu().world.accounts.find((a) => a.status === 'SUSPENDED');
    // Act
    const failure = await sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${suspended?.id}:role/GuardDutyLakeReadOnly`, RoleSessionName: 'x1', ExternalId: 'lake-ext-id' })).catch((e: unknown) => e);
    // Assess
    expect(suspended).toBeDefined();
    expect(failure).toMatchObject({ name: 'AccessDenied' });
  });
});

describe('SESv2', () => {
  it('keeps a Simple message with its Html and Text parts', async () => {
    // Prepare
    const ses = new SESv2Client({ region: REGION });
    // Act
    const out = await ses.send(new SendEmailCommand({
      FromEmailAddress: 'lake@example.com',
      Destination: { ToAddresses: ['ciso@example.com', 'cto@example.com'] },
      Content: { Simple: { Subject: { Data: 'Weekly GuardDuty report' }, Body: { Html: { Data: '<p>hi</p>' }, Text: { Data: 'hi' } } } },
    }));
    // Assess
    expect(out.MessageId).toMatch(/^0100/);
    expect(emu().sentEmails.at(-1)).toMatchObject({
      from: 'lake@example.com', to: ['ciso@example.com', 'cto@example.com'], subject: 'Weekly GuardDuty report', html: '<p>hi</p>', text: 'hi',
    });
  });

  it('keeps a Raw MIME message and reads its headers', async () => {
    // Prepare
    const mime = 'From: lake@example.com\r\nTo: ciso@example.com\r\nSubject: Raw report\r\nContent-Type: text/html\r\n\r\n<p>raw</p>';
    // Act
    await new SESv2Client({ region: REGION }).send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(mime) } } }));
    // Assess
    expect(emu().sentEmails.at(-1)).toMatchObject({ from: 'lake@example.com', to: ['ciso@example.com'], subject: 'Raw report', html: '<p>raw</p>' });
  });

  it('reads the html and text parts of a multipart/alternative Raw message', async () => {
    // Prepare
    const mime = [
      'From: lake@example.com', 'To: ciso@example.com', 'Subject: Multipart', 'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'plain words',
      '--b1', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '', Buffer.from('<b>bold</b>').toString('base64'), '--b1--', '',
    ].join('\r\n');
    // Act
    await new SESv2Client({ region: REGION }).send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(mime) } } }));
    // Assess
    expect(emu().sentEmails.at(-1)).toMatchObject({ subject: 'Multipart', text: 'plain words', html: '<b>bold</b>' });
  });

  it('rejects a message without recipients with BadRequestException', async () => {
    // Act
    const failure = await new SESv2Client({ region: REGION, maxAttempts: 1 }).send(new SendEmailCommand({
      FromEmailAddress: 'lake@example.com', Destination: {}, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
    })).catch((e: unknown) => e);
    // Assess
    expect(failure).toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
  });
});
