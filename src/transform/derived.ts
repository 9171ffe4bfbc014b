/** Derived finding columns: severity_label, finding_family, resource_id. */
import type { Row } from './types.js';

export const SEVERITY_LABELS = ['Low', 'Medium', 'High', 'Critical'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/** Low 1.0–3.9 (and anything below 4), Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0 (and above). */
export function severityLabel(severity: number | null | undefined): SeverityLabel | null {
  if (severity === null || severity === undefined || !Number.isFinite(severity)) return null;
  if (severity < 4) return 'Low';
  if (severity < 7) return 'Medium';
  if (severity < 9) return 'High';
  return 'Critical';
}

/** Text before the first ':' of the finding type (`UnauthorizedAccess:EC2/SSHBruteForce` → `UnauthorizedAccess`). */
export function findingFamily(type: string | null | undefined): string | null {
  if (!type) return null;
  const i = type.indexOf(':');
  return i > 0 ? type.slice(0, i) : type;
}

type Pick = (row: Row) => unknown;
const col = (name: string): Pick => (row) => row[name];
const firstOf = (name: string, field: string): Pick => (row) => {
  const list = row[name];
  if (!Array.isArray(list)) return null;
  for (const e of list) {
    const v = e !== null && typeof e === 'object' ? (e as Record<string, unknown>)[field] : null;
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
};

const INSTANCE = col('resource_instance_details_instance_id');
const ACCESS_KEY = [col('resource_access_key_details_access_key_id'), col('resource_access_key_details_user_name')];
const S3 = firstOf('resource_s3_bucket_details', 'name');
const EKS = col('resource_eks_cluster_details_name');
const ECS = col('resource_ecs_cluster_details_name');
const CONTAINER = [col('resource_container_details_id'), col('resource_container_details_name')];
const RDS = [col('resource_rds_db_instance_details_db_instance_identifier'), col('resource_rds_db_instance_details_db_cluster_identifier')];
const RDS_LIMITLESS = [col('resource_rds_limitless_db_details_db_shard_group_identifier'), col('resource_rds_limitless_db_details_db_cluster_identifier')];
const LAMBDA = col('resource_lambda_details_function_name');
const EBS_VOLUME = firstOf('resource_ebs_volume_details_scanned_volume_details', 'volume_arn');
const SNAPSHOT = col('resource_ebs_snapshot_details_snapshot_arn');
const IMAGE = col('resource_ec2_image_details_image_arn');
const RECOVERY_POINT = col('resource_recovery_point_details_recovery_point_arn');
const MODEL = firstOf('resource_model_details', 'model_id');
const GUARDRAIL = col('resource_bedrock_guardrail_details_guardrail_arn');
const K8S_WORKLOAD = col('resource_kubernetes_details_kubernetes_workload_details_name');

/** Candidates per `resource.resourceType` (GuardDuty's values), most specific first. */
const BY_RESOURCE_TYPE: Readonly<Record<string, readonly Pick[]>> = {
  instance: [INSTANCE],
  accesskey: ACCESS_KEY,
  s3bucket: [S3],
  s3object: [S3],
  ekscluster: [EKS, K8S_WORKLOAD],
  kubernetescluster: [EKS, K8S_WORKLOAD],
  ecscluster: [ECS],
  container: [...CONTAINER, ECS, EKS],
  rdsdbinstance: RDS,
  rdslimitlessdb: RDS_LIMITLESS,
  lambda: [LAMBDA],
  ebsvolume: [EBS_VOLUME, INSTANCE],
  ebssnapshot: [SNAPSHOT],
  ec2image: [IMAGE],
  recoverypoint: [RECOVERY_POINT],
  bedrockmodel: [MODEL, GUARDRAIL],
};

/** Fallback order when the resource type is unknown or its own candidate is empty. */
const FALLBACK: readonly Pick[] = [INSTANCE, ...ACCESS_KEY, S3, EKS, ECS, ...CONTAINER, ...RDS, ...RDS_LIMITLESS, LAMBDA, EBS_VOLUME, SNAPSHOT, IMAGE, RECOVERY_POINT, MODEL, GUARDRAIL];

/** The most specific identifier of the affected resource in a flattened row; null if none. */
export function resourceId(row: Row): string | null {
  const type = row['resource_resource_type'];
  const own = typeof type === 'string' ? BY_RESOURCE_TYPE[type.toLowerCase()] : undefined;
  for (const pick of own ?? []) { const v = pick(row); if (typeof v === 'string' && v !== '') return v; }
  for (const pick of FALLBACK) { const v = pick(row); if (typeof v === 'string' && v !== '') return v; }
  return null;
}
