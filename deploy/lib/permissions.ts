import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { AutoInvestigate, Mode } from './props.js';

/** GuardDuty read operations the export calls (src/collect), nothing else. */
export const GUARDDUTY_DETECTOR_READS = [
  'guardduty:GetDetector',
  'guardduty:ListFindings',
  'guardduty:GetFindings',
  'guardduty:GetFindingsStatistics',
  'guardduty:ListMembers',
] as const;
/** GuardDuty AI investigations (preview): no resource types documented yet, so they are granted on `*`. */
export const GUARDDUTY_INVESTIGATION_READS = [
  'guardduty:ListInvestigations',
  'guardduty:GetInvestigation',
  'guardduty:ListInvestigationRecords',
] as const;
export const ORGANIZATIONS_READS = [
  'organizations:DescribeOrganization',
  'organizations:ListAccounts',
  'organizations:ListRoots',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
] as const;

export interface TaskPermissionsProps {
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
  readonly lakePrefix: string;
  readonly mode: Mode;
  readonly memberRoleName: string;
  readonly autoInvestigate: AutoInvestigate;
  readonly sesIdentity?: string;
  readonly emailFrom?: string;
}

const detectorArn = `arn:${Aws.PARTITION}:guardduty:*:${Aws.ACCOUNT_ID}:detector/*`;

/** The GuardDuty statements shared by the task role and the member-account role. */
export function guardDutyReadStatements(account: string = Aws.ACCOUNT_ID): iam.PolicyStatement[] {
  return [
    // ListDetectors has no resource-level permissions.
    new iam.PolicyStatement({ sid: 'GuardDutyListDetectors', actions: ['guardduty:ListDetectors'], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'GuardDutyReadDetectors',
      actions: [...GUARDDUTY_DETECTOR_READS],
      resources: [`arn:${Aws.PARTITION}:guardduty:*:${account}:detector/*`],
    }),
    new iam.PolicyStatement({ sid: 'GuardDutyReadInvestigations', actions: [...GUARDDUTY_INVESTIGATION_READS], resources: ['*'] }),
  ];
}

/** Least privilege for the export/report task: one statement per capability, no wildcard actions. */
export function taskStatements(p: TaskPermissionsProps): iam.PolicyStatement[] {
  const statements = [
    ...guardDutyReadStatements(),
    new iam.PolicyStatement({ sid: 'OrganizationsRead', actions: [...ORGANIZATIONS_READS], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'LakeObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [p.bucket.arnForObjects(`${p.lakePrefix}/*`)],
    }),
    new iam.PolicyStatement({
      sid: 'LakeList',
      actions: ['s3:ListBucket'],
      resources: [p.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [p.lakePrefix, `${p.lakePrefix}/*`] } },
    }),
    new iam.PolicyStatement({ sid: 'LakeBucketLocation', actions: ['s3:GetBucketLocation'], resources: [p.bucket.bucketArn] }),
    new iam.PolicyStatement({
      sid: 'LakeKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [p.key.keyArn],
    }),
  ];
  if (p.autoInvestigate !== 'off') {
    statements.push(new iam.PolicyStatement({ sid: 'GuardDutyCreateInvestigation', actions: ['guardduty:CreateInvestigation'], resources: [detectorArn] }));
  }
  if (p.mode === 'assume-role') {
    statements.push(new iam.PolicyStatement({
      sid: 'AssumeMemberRole',
      actions: ['sts:AssumeRole'],
      resources: [`arn:${Aws.PARTITION}:iam::*:role/${p.memberRoleName}`],
    }));
  }
  if (p.sesIdentity !== undefined && p.emailFrom !== undefined) {
    statements.push(new iam.PolicyStatement({
      sid: 'SendReport',
      actions: ['ses:SendEmail'],
      resources: [`arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${p.sesIdentity}`],
      conditions: { StringEquals: { 'ses:FromAddress': p.emailFrom } },
    }));
  }
  return statements;
}
