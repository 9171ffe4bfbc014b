import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { TableSpec } from '../../src/transform/types.js';
import { AwsSolutionsChecks } from '../lib/cdk-nag.js';
import { ALARM, GuardDutyLakeStack, MemberRoleStack, RETRY, type GuardDutyLakeProps } from '../lib/index.js';

/** A small table list; the real one (src/transform/tables.ts) is checked in catalog.test.ts. */
function tables(): TableSpec[] {
  return [{
    name: 'findings',
    partitionKeys: ['dt'],
    columns: [
      { name: 'id', type: 'string', path: ['Id'], nullable: false, doc: 'Finding id.' },
      { name: 'severity', type: 'double', path: ['Severity'], nullable: false, doc: 'Severity 1-10.' },
      { name: 'updated_at', type: 'timestamp', path: ['UpdatedAt'], nullable: false, doc: 'Last update.' },
    ],
  }];
}

function synth(over: Partial<GuardDutyLakeProps> = {}): { stack: GuardDutyLakeStack; template: Template } {
  const app = new App();
  const stack = new GuardDutyLakeStack(app, 'Lake', {
    env: { account: '111122223333', region: 'us-east-1' },
    image: { kind: 'ecr', repositoryName: 'guardduty-lake', tag: '0.1.0' },
    tables: tables(),
    ...over,
  });
  return { stack, template: Template.fromStack(stack) };
}

interface Statement { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown }

function policyStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((r) => (r as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

// One synth shared by the read-only assertions: synthesis is the slow part (~seconds).
const base = synth();

describe('GuardDutyLakeStack', () => {
  it('encrypts the lake bucket with its own KMS key, blocks public access, denies plain HTTP and moves objects to IA', () => {
    // Assess
    base.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] })]) },
    });
    base.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    base.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('declares each Glue table with partition projection on dt and the spec\'s columns', () => {
    // Assess
    base.template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'guardduty_lake',
      TableInput: Match.objectLike({
        Name: 'findings',
        PartitionKeys: [{ Name: 'dt', Type: 'string', Comment: Match.anyValue() }],
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.dt.type': 'date', 'projection.dt.format': 'yyyy-MM-dd' }),
        StorageDescriptor: Match.objectLike({
          Columns: [
            { Name: 'id', Type: 'string', Comment: 'Finding id.' },
            { Name: 'severity', Type: 'double', Comment: 'Severity 1-10.' },
            { Name: 'updated_at', Type: 'timestamp', Comment: 'Last update.' },
          ],
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        }),
      }),
    });
  });

  it('limits Athena scans and encrypts results with the lake key', () => {
    base.template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: { OutputLocation: Match.anyValue(), EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() } },
      }),
    });
  });

  it('defines a Fargate task with the CPU/memory parameters, awslogs and the export command', () => {
    // Prepare
    const { template } = synth({ cpu: 2048, memoryMiB: 4096 });
    // Assess
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '2048',
      Memory: '4096',
      ContainerDefinitions: [Match.objectLike({
        Command: ['export'],
        LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-stream-prefix': 'guardduty-lake' }) },
        Environment: Match.arrayWith([{ Name: 'GDL_SSE', Value: 'aws:kms' }, { Name: 'GDL_MODE', Value: 'delegated-admin' }]),
      })],
    });
  });

  it('schedules the nightly export, the Monday report and the Sunday compaction with a retry policy and a dead-letter queue', () => {
    // Assess
    const schedules = Object.values(base.template.findResources('AWS::Scheduler::Schedule'))
      .map((r) => (r as { Properties: Record<string, unknown> }).Properties);
    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual(['cron(0 12 ? * SUN *)', 'cron(0 7 ? * MON *)', 'cron(30 2 * * ? *)']);
    for (const s of schedules) {
      const target = s.Target as Record<string, unknown>;
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: RETRY.maximumRetryAttempts, MaximumEventAgeInSeconds: RETRY.maximumEventAgeInSeconds });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetters/), 'Arn'] } });
      expect((target.EcsParameters as Record<string, unknown>).LaunchType).toBe('FARGATE');
    }
    const commands = schedules.map((s) => JSON.parse((s.Target as { Input: string }).Input).containerOverrides[0].command);
    expect(commands).toEqual(expect.arrayContaining([['export'], ['report'], ['compact']]));
  });

  it('runs one export per shard with --shard K/N', () => {
    // Act
    const { template } = synth({ shards: 3 });
    // Assess
    const inputs = Object.values(template.findResources('AWS::Scheduler::Schedule'))
      .map((r) => JSON.parse((r as { Properties: { Target: { Input: string } } }).Properties.Target.Input).containerOverrides[0].command);
    expect(inputs).toEqual(expect.arrayContaining([['export', '--shard', '0/3'], ['export', '--shard', '1/3'], ['export', '--shard', '2/3'], ['report'], ['compact']]));
    expect(inputs).toHaveLength(5);
  });

  it('grants exactly the GuardDuty and Organizations operations the export uses, and no wildcard action on guardduty/s3/kms', () => {
    // Assess
    const statements = policyStatements(base.template);
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('guardduty:')).sort()).toEqual([
      'guardduty:GetDetector', 'guardduty:GetFindings', 'guardduty:GetFindingsStatistics', 'guardduty:GetInvestigation',
      'guardduty:ListDetectors', 'guardduty:ListFindings', 'guardduty:ListInvestigationRecords', 'guardduty:ListInvestigations', 'guardduty:ListMembers',
    ]);
    expect(actions.filter((a) => a.startsWith('organizations:')).sort()).toEqual([
      'organizations:DescribeOrganization', 'organizations:ListAccounts', 'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent', 'organizations:ListRoots',
    ]);
    expect(actions.filter((a) => a === '*' || /^(guardduty|s3|kms|organizations|ses|sts):.*\*/.test(a))).toEqual([]);
    // delegated-admin without email: no AssumeRole, no SES, no CreateInvestigation
    expect(actions).not.toContain('sts:AssumeRole');
    expect(actions).not.toContain('ses:SendEmail');
    expect(actions).not.toContain('guardduty:CreateInvestigation');
  });

  it('scopes S3 to the lake prefix and KMS to the lake key', () => {
    // Assess
    const statements = policyStatements(base.template);
    const objects = statements.find((s) => s.Sid === 'LakeObjects');
    expect(JSON.stringify(objects?.Resource)).toContain('/guardduty/*');
    const list = statements.find((s) => s.Sid === 'LakeList');
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['guardduty', 'guardduty/*'] } });
    const key = statements.find((s) => s.Sid === 'LakeKey');
    expect(key?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/StorageKey/), 'Arn'] });
  });

  it.each([
    ['assume-role', { mode: 'assume-role', memberRoleName: 'LakeReader' }, 'sts:AssumeRole', 'AssumeMemberRole'],
    ['auto-investigate', { autoInvestigate: 'critical' }, 'guardduty:CreateInvestigation', 'GuardDutyCreateInvestigation'],
    ['email', { sesIdentity: 'example.com', emailFrom: 'guardduty@example.com', emailTo: 'secops@example.com' }, 'ses:SendEmail', 'SendReport'],
  ] as const)('adds %s permissions only when enabled, narrowly', (_, over, action, sid) => {
    // Act
    const { template } = synth(over as Partial<GuardDutyLakeProps>);
    // Assess
    const statement = policyStatements(template).find((s) => s.Sid === sid);
    expect(statement && actionsOf(statement)).toEqual([action]);
    const resource = JSON.stringify(statement?.Resource);
    if (action === 'sts:AssumeRole') expect(resource).toContain(':role/LakeReader');
    if (action === 'ses:SendEmail') {
      expect(resource).toContain(':identity/example.com');
      expect(statement?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'guardduty@example.com' } });
    }
  });

  it.each([
    ['without email', {}, ['DurationSeconds', 'DurationSeconds', 'FindingsQuarantined', 'SlicesFailed', 'Throttles']],
    ['with email', { sesIdentity: 'example.com', emailFrom: 'g@example.com', emailTo: 's@example.com' },
      ['DurationSeconds', 'DurationSeconds', 'FindingsQuarantined', 'ReportSent', 'SlicesFailed', 'Throttles']],
  ] as const)('alarms on the EMF metrics and the dead-letter queue into one SNS topic (%s)', (_, over, metrics) => {
    // Act
    const { template } = synth(over as Partial<GuardDutyLakeProps>);
    // Assess
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((r) => (r as { Properties: Record<string, unknown> }).Properties);
    const expected = Object.values(ALARM).filter((n) => n !== ALARM.ReportNotSent || metrics.includes('ReportSent' as never));
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(expected.map((n) => `guardduty-lake-${n}`).sort());
    const emf = alarms.filter((a) => a.Namespace === 'GuardDutyLake');
    expect(emf.map((a) => a.MetricName).sort()).toEqual([...metrics]);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: expect.stringMatching(/AlarmsTopic/) }]);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it.each([
    ['delegated-admin, defaults', {}],
    ['assume-role, auto-investigate, email, 3 shards', {
      mode: 'assume-role', autoInvestigate: 'high', shards: 3, sesIdentity: 'example.com', emailFrom: 'g@example.com', emailTo: 's@example.com', alarmEmail: 'ops@example.com',
    }],
  ] as const)('passes cdk-nag AwsSolutions (%s): every finding fixed or acknowledged with a reason', (_, over) => {
    // Prepare
    const outdir = mkdtempSync(path.join(tmpdir(), 'gdl-cdk-'));
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new GuardDutyLakeStack(app, 'Lake', {
      env: { account: '111122223333', region: 'us-east-1' }, image: { kind: 'ecr', repositoryName: 'r', tag: 't' }, tables: tables(),
      ...(over as Partial<GuardDutyLakeProps>),
    });
    new MemberRoleStack(app, 'Member');
    try {
      // Act: cdk-nag 3 is a policy-validation plugin; a violation makes synth throw with the report.
      app.synth();
      // Assess
      const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ pluginName: string; violations: unknown[] }> };
      expect(report.pluginReports.flatMap((p) => p.violations)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('MemberRoleStack', () => {
  const app = new App();
  const stack = new MemberRoleStack(app, 'Member', { roleName: 'GuardDutyLakeReadOnly' });
  const template = Template.fromStack(stack);

  it('is StackSet-ready: parameters only, no bootstrap check, no assets', () => {
    // Assess
    const json = template.toJSON() as { Parameters?: Record<string, unknown>; Rules?: unknown };
    expect(Object.keys(json.Parameters ?? {}).sort()).toEqual(['AdministratorAccountId', 'ExternalId']);
    expect(json.Rules).toBeUndefined();
  });

  it('trusts only the task role of the administrator account, and reads GuardDuty only', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'GuardDutyLakeReadOnly',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({
        Action: 'sts:AssumeRole',
        Condition: {
          ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AdministratorAccountId' }, ':role/GuardDutyLakeTask-*']] } },
          // the external id is required exactly when the ExternalId parameter is not empty
          StringEquals: { 'Fn::If': ['HasExternalId', { 'sts:ExternalId': { Ref: 'ExternalId' } }, { Ref: 'AWS::NoValue' }] },
        },
      })] },
    });
    const actions = policyStatements(template).flatMap(actionsOf);
    expect(actions.every((a) => a.startsWith('guardduty:') && /^guardduty:(List|Get)/.test(a))).toBe(true);
    expect(actions.length).toBeGreaterThan(0);
  });

});

it('a stack without an env still synthesizes (tokens for account and region)', () => {
  // Act
  const stack = new GuardDutyLakeStack(new App(), 'NoEnv', { image: { kind: 'ecr', repositoryName: 'r', tag: 't' }, tables: tables() });
  // Assess
  expect(Stack.of(stack).resolve(stack.region)).toEqual({ Ref: 'AWS::Region' });
  expect(() => Template.fromStack(stack)).not.toThrow();
});
