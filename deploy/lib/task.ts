import { Aws, Duration, RemovalPolicy, Stack, type CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { suppress } from './nag.js';
import { taskStatements } from './permissions.js';
import type { ResolvedProps } from './props.js';

export interface ExportTaskProps {
  readonly settings: ResolvedProps;
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
}

/**
 * The Fargate task that runs `guardduty-lake <command>`: its network (public subnets, no inbound
 * rule, no NAT to pay for), cluster, log group, least-privilege task role and task definition.
 */
export class ExportTask extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;
  readonly cluster: ecs.Cluster;
  readonly logGroup: logs.LogGroup;
  readonly taskRole: iam.Role;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;

  constructor(scope: Construct, id: string, props: ExportTaskProps) {
    super(scope, id);
    const s = props.settings;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'guardduty-lake task: no inbound, HTTPS out to AWS APIs',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs over HTTPS');
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: s.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'guardduty-lake export/report: read GuardDuty and Organizations, write the lake, send the report',
      // A fixed name lets the member-account role trust exactly this role.
      roleName: `${TASK_ROLE_PREFIX}-${Aws.REGION}`,
    });
    const policy = new iam.Policy(this, 'TaskPolicy', {
      statements: taskStatements({
        bucket: props.bucket, key: props.key, lakePrefix: s.lakePrefix, mode: s.mode, memberRoleName: s.memberRoleName,
        autoInvestigate: s.autoInvestigate, sesIdentity: s.sesIdentity, emailFrom: s.emailFrom,
      }),
    });
    policy.attachToRole(this.taskRole);
    const stack = Stack.of(this);
    const bucketId = stack.resolve(stack.getLogicalId(props.bucket.node.defaultChild as CfnElement)) as string;
    suppress(policy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'guardduty:ListDetectors, the preview investigation reads and the Organizations reads have no resource-level permissions; '
        + 'detectors are the account\'s in every region; lake objects are scoped to the lake prefix; sts:AssumeRole to the member role name in any account.',
      appliesTo: [
        'Resource::*',
        'Resource::arn:<AWS::Partition>:guardduty:*:<AWS::AccountId>:detector/*',
        `Resource::<${bucketId}.Arn>/${s.lakePrefix}/*`,
        `Resource::arn:<AWS::Partition>:iam::*:role/${s.memberRoleName}`,
      ],
    }]);

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: s.cpu,
      memoryLimitMiB: s.memoryMiB,
      taskRole: this.taskRole,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.container = this.taskDefinition.addContainer('guardduty-lake', {
      image: containerImage(this, s),
      command: ['export'],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'guardduty-lake', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
      environment: environment(s, props.bucket.bucketName, props.key.keyArn),
      readonlyRootFilesystem: false,
      stopTimeout: Duration.seconds(60),
    });
    if (this.taskDefinition.executionRole !== undefined) {
      suppress(this.taskDefinition.executionRole, [{
        id: 'AwsSolutions-IAM5',
        reason: 'The execution role CDK generates pulls the image: ecr:GetAuthorizationToken has no resource-level permissions.',
        appliesTo: ['Resource::*'],
      }]);
    }
    suppress(this.taskDefinition, [
      { id: 'AwsSolutions-ECS2', reason: 'Environment variables hold only non-secret GDL_* settings (bucket, key ARN, regions, mode); credentials come from the task role.' },
    ]);
  }
}

/** Prefix of the task role's name (`GuardDutyLakeTask-<region>`), which the member-account role trusts. */
export const TASK_ROLE_PREFIX = 'GuardDutyLakeTask';

function containerImage(scope: Construct, s: ResolvedProps): ecs.ContainerImage {
  if (s.image.kind === 'asset') return ecs.ContainerImage.fromAsset(s.image.directory);
  const repository = ecr.Repository.fromRepositoryName(scope, 'Repository', s.image.repositoryName);
  return ecs.ContainerImage.fromEcrRepository(repository, s.image.tag);
}

/** The task's configuration, as the CLI's GDL_<FLAG> variables (no secrets). */
function environment(s: ResolvedProps, bucket: string, keyArn: string): Record<string, string> {
  const env: Record<string, string> = {
    GDL_LAKE: `s3://${bucket}/${s.lakePrefix}`,
    GDL_SSE: 'aws:kms',
    GDL_KMS_KEY_ID: keyArn,
    GDL_MODE: s.mode,
    GDL_REGIONS: s.regions,
    GDL_AUTO_INVESTIGATE: s.autoInvestigate,
    GDL_LOG_LEVEL: 'info',
  };
  if (s.mode === 'assume-role') env.GDL_ROLE_NAME = s.memberRoleName;
  if (s.externalId !== undefined) env.GDL_EXTERNAL_ID = s.externalId;
  if (s.emailFrom !== undefined) env.GDL_EMAIL_FROM = s.emailFrom;
  if (s.emailTo !== undefined) env.GDL_EMAIL_TO = s.emailTo;
  return env;
}
