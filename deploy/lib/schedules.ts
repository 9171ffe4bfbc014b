import { Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { suppress } from './nag.js';

export interface SchedulesProps {
  readonly cluster: ecs.ICluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly containerName: string;
  readonly subnets: readonly ec2.ISubnet[];
  readonly securityGroup: ec2.ISecurityGroup;
  readonly exportSchedule: string;
  readonly reportSchedule: string;
  readonly compactSchedule: string;
  readonly shards: number;
}

/** Scheduler retries a failed RunTask call this often, within this window, then dead-letters it. */
export const RETRY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 6 * 3600 } as const;

/**
 * EventBridge Scheduler: the nightly `export` (one schedule per shard, `--shard K/N`) and the Monday
 * `report` and the weekly `compact`, each an ECS RunTask with a retry policy and a dead-letter queue.
 */
export class Schedules extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;
  readonly exports: scheduler.CfnSchedule[] = [];
  readonly report: scheduler.CfnSchedule;
  readonly compact: scheduler.CfnSchedule;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppress(this.deadLetterQueue, [{ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the schedules.' }]);
    this.role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'guardduty-lake schedules: run the task, pass its roles, dead-letter failures',
    });
    const taskDefinitionArn = props.taskDefinition.taskDefinitionArn;
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['ecs:RunTask'],
      resources: [taskDefinitionArn],
      conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
    }));
    const passed = [props.taskDefinition.taskRole.roleArn];
    if (props.taskDefinition.executionRole !== undefined) passed.push(props.taskDefinition.executionRole.roleArn);
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: passed }));
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));

    const schedule = (name: string, expression: string, command: string[], description: string): scheduler.CfnSchedule =>
      new scheduler.CfnSchedule(this, name, {
        description,
        scheduleExpression: expression,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: props.cluster.clusterArn,
          roleArn: this.role.roleArn,
          retryPolicy: { ...RETRY },
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
          ecsParameters: {
            taskDefinitionArn,
            launchType: 'FARGATE',
            taskCount: 1,
            propagateTags: 'TASK_DEFINITION',
            networkConfiguration: {
              awsvpcConfiguration: {
                subnets: props.subnets.map((s) => s.subnetId),
                securityGroups: [props.securityGroup.securityGroupId],
                assignPublicIp: 'ENABLED',
              },
            },
          },
          input: JSON.stringify({ containerOverrides: [{ name: props.containerName, command }] }),
        },
      });

    for (let k = 0; k < props.shards; k += 1) {
      const command = props.shards === 1 ? ['export'] : ['export', '--shard', `${k}/${props.shards}`];
      this.exports.push(schedule(props.shards === 1 ? 'Export' : `Export${k}`, props.exportSchedule, command,
        `guardduty-lake nightly export${props.shards === 1 ? '' : ` shard ${k}/${props.shards}`}`));
    }
    this.report = schedule('Report', props.reportSchedule, ['report'], 'guardduty-lake weekly report (last complete ISO week)');
    // Midday Sunday, well clear of the nightly export: compaction leaves partitions an unfinished export window covers.
    this.compact = schedule('Compact', props.compactSchedule, ['compact'], 'guardduty-lake weekly compaction of closed dt partitions');
  }
}
