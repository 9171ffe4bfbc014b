import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, NAMESPACE } from '../../src/metrics/types.js';

export interface AlarmsProps {
  readonly key: kms.IKey;
  readonly deadLetterQueue: sqs.IQueue;
  readonly alarmEmail?: string;
  readonly throttleThreshold: number;
  readonly maxRunSeconds: number;
  /** The report emails (emailTo set): only then is a week without ReportSent an alarm. */
  readonly reportEmailed: boolean;
}

/** Alarm names, also the headings of docs/operations.md. */
export const ALARM = {
  SlicesFailed: 'SlicesFailed',
  FindingsQuarantined: 'FindingsQuarantined',
  ExportDidNotRun: 'ExportDidNotRun',
  Throttled: 'Throttled',
  ExportTooSlow: 'ExportTooSlow',
  ReportNotSent: 'ReportNotSent',
  ScheduleDeadLetters: 'ScheduleDeadLetters',
} as const;

const DAY = Duration.days(1);

/** CloudWatch alarms on the EMF metrics (src/metrics) and the schedules' dead-letter queue, to one SNS topic. */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: Map<string, cloudwatch.Alarm> = new Map();

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'guardduty-lake alarms', masterKey: props.key, enforceSSL: true });
    // CloudWatch publishes to the encrypted topic with the key.
    props.key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const metric = (name: string, command: 'export' | 'report', statistic: string): cloudwatch.Metric =>
      new cloudwatch.Metric({ namespace: NAMESPACE, metricName: name, dimensionsMap: { Command: command }, statistic, period: DAY });

    this.add(ALARM.SlicesFailed, {
      metric: metric(METRIC.SlicesFailed, 'export', 'Sum'), threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'Last night\'s export could not read some (account, region) slices: coverage gap. See docs/operations.md#slicesfailed.',
    });
    this.add(ALARM.FindingsQuarantined, {
      metric: metric(METRIC.FindingsQuarantined, 'export', 'Sum'), threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'Findings that could not be flattened were kept raw in quarantine/. See docs/operations.md#findingsquarantined.',
    });
    this.add(ALARM.ExportDidNotRun, {
      metric: metric(METRIC.DurationSeconds, 'export', 'SampleCount'), threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: 'No export finished in the last 24 hours (task did not start, crashed or was killed). See docs/operations.md#exportdidnotrun.',
    });
    this.add(ALARM.Throttled, {
      metric: metric(METRIC.Throttles, 'export', 'Sum'), threshold: props.throttleThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'GuardDuty throttled the export heavily; lower --concurrency or shard. See docs/operations.md#throttled.',
    });
    this.add(ALARM.ExportTooSlow, {
      metric: metric(METRIC.DurationSeconds, 'export', 'Maximum'), threshold: props.maxRunSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'An export took longer than expected. See docs/operations.md#exporttooslow.',
    });
    if (props.reportEmailed) this.add(ALARM.ReportNotSent, {
      metric: metric(METRIC.ReportSent, 'report', 'Sum'), threshold: 1, evaluationPeriods: 7, datapointsToAlarm: 7,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: 'No weekly report email was sent in the last 7 days. See docs/operations.md#reportnotsent.',
    });
    this.add(ALARM.ScheduleDeadLetters, {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'EventBridge Scheduler could not start a task after its retries. See docs/operations.md#scheduledeadletters.',
    });
  }

  private add(name: string, props: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'> & { evaluationPeriods?: number }): void {
    const alarm = new cloudwatch.Alarm(this, name, { evaluationPeriods: 1, ...props, alarmName: `guardduty-lake-${name}` });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.set(name, alarm);
  }
}
