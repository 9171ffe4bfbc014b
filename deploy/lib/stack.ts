import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alarms } from './alarms.js';
import { LakeCatalog } from './catalog.js';
import { resolveProps, type GuardDutyLakeProps, type ResolvedProps } from './props.js';
import { Schedules } from './schedules.js';
import { LakeStorage } from './storage.js';
import { ExportTask } from './task.js';

/** Everything guardduty-lake needs in the GuardDuty delegated administrator account. */
export class GuardDutyLakeStack extends Stack {
  readonly settings: ResolvedProps;
  readonly storage: LakeStorage;
  readonly catalog: LakeCatalog;
  readonly task: ExportTask;
  readonly schedules: Schedules;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: GuardDutyLakeProps & StackProps) {
    super(scope, id, props);
    // Access logs are delivered under a bucket policy, not the deprecated LogDeliveryWrite ACL.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const s = resolveProps(props);
    this.settings = s;
    this.storage = new LakeStorage(this, 'Storage', { infrequentAccessAfterDays: s.infrequentAccessAfterDays });
    this.catalog = new LakeCatalog(this, 'Catalog', {
      bucket: this.storage.bucket, key: this.storage.key, lakePrefix: s.lakePrefix, databaseName: s.databaseName,
      tables: s.tables, bytesScannedCutoff: s.athenaBytesScannedCutoff,
    });
    this.task = new ExportTask(this, 'Task', { settings: s, bucket: this.storage.bucket, key: this.storage.key });
    this.schedules = new Schedules(this, 'Schedules', {
      cluster: this.task.cluster,
      taskDefinition: this.task.taskDefinition,
      containerName: this.task.container.containerName,
      subnets: this.task.vpc.publicSubnets,
      securityGroup: this.task.securityGroup,
      exportSchedule: s.exportSchedule,
      reportSchedule: s.reportSchedule,
      compactSchedule: s.compactSchedule,
      shards: s.shards,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      key: this.storage.key, deadLetterQueue: this.schedules.deadLetterQueue, alarmEmail: s.alarmEmail,
      throttleThreshold: s.throttleAlarmThreshold, maxRunSeconds: s.maxRunSeconds, reportEmailed: s.emailTo !== undefined,
    });
    new CfnOutput(this, 'LakeUri', { value: `s3://${this.storage.bucket.bucketName}/${s.lakePrefix}` });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.catalog.workgroup.ref });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}
