/**
 * The families of findings the emulator invents, with realistic GuardDuty finding types and titles.
 * Data only; the bodies are built in finding-body.ts.
 */

export interface FindingKind {
  name: string;
  resourceType: string;
  /** [type, title] pairs. */
  types: ReadonlyArray<readonly [string, string]>;
  /** Severity range; undefined = any band below critical. */
  severity?: readonly [number, number];
  featureName: string;
}

export const FINDING_KINDS: readonly FindingKind[] = [
  {
    name: 'ec2', resourceType: 'Instance', featureName: 'FlowLogs',
    types: [
      ['Recon:EC2/PortProbeUnprotectedPort', 'Unprotected port on EC2 instance is being probed.'],
      ['UnauthorizedAccess:EC2/SSHBruteForce', 'SSH brute force attacks against an EC2 instance.'],
      ['Backdoor:EC2/C&CActivity.B!DNS', 'EC2 instance queried a domain name associated with a known command and control server.'],
      ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 'EC2 instance queried a domain name that is associated with Bitcoin-related activity.'],
    ],
  },
  {
    name: 'iam', resourceType: 'AccessKey', featureName: 'CloudTrail',
    types: [
      ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 'Credentials for an EC2 instance role were used from a remote AWS account.'],
      ['Discovery:IAMUser/AnomalousBehavior', 'The API DescribeInstances was invoked using anomalous behavior.'],
      ['Policy:IAMUser/RootCredentialUsage', 'API ListBuckets was invoked using root credentials.'],
    ],
  },
  {
    name: 's3', resourceType: 'S3Bucket', featureName: 'S3DataEvents',
    types: [
      ['Exfiltration:S3/AnomalousBehavior', 'Anomalous GetObject calls on an S3 bucket.'],
      ['Policy:S3/BucketBlockPublicAccessDisabled', 'Amazon S3 Block Public Access was disabled for an S3 bucket.'],
      ['Discovery:S3/MaliciousIPCaller', 'S3 API ListObjects was invoked from a known malicious IP address.'],
    ],
  },
  {
    name: 'eks', resourceType: 'EKSCluster', featureName: 'EksAuditLogs',
    types: [
      ['PrivilegeEscalation:Kubernetes/PrivilegedContainer', 'A privileged container was launched on an EKS cluster.'],
      ['Discovery:Kubernetes/SuccessfulAnonymousAccess', 'An anonymous user was able to call a Kubernetes API.'],
    ],
  },
  {
    name: 'ecs', resourceType: 'ECSCluster', featureName: 'RuntimeMonitoring',
    types: [
      ['Execution:Runtime/NewBinaryExecuted', 'A newly created or recently modified binary file was executed in a container.'],
      ['CryptoCurrency:Runtime/BitcoinTool.B', 'A container is querying an IP address associated with cryptocurrency activity.'],
    ],
  },
  {
    name: 'rds', resourceType: 'RDSDBInstance', featureName: 'RdsLoginEvents',
    types: [
      ['CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin', 'A user logged in to an RDS database in an anomalous way.'],
      ['CredentialAccess:RDS/MaliciousIPCaller.FailedLogin', 'A known malicious IP address tried to log in to an RDS database.'],
    ],
  },
  {
    name: 'lambda', resourceType: 'Lambda', featureName: 'LambdaNetworkLogs',
    types: [
      ['Backdoor:Lambda/C&CActivity.B', 'A Lambda function is querying an IP address associated with a command and control server.'],
      ['CryptoCurrency:Lambda/BitcoinTool.B', 'A Lambda function is querying an IP address associated with cryptocurrency activity.'],
    ],
  },
  {
    name: 'ebs-malware', resourceType: 'Instance', featureName: 'EbsMalwareProtection',
    types: [['Execution:EC2/MaliciousFile', 'A malicious file was detected on the EBS volume of an EC2 instance.']],
  },
  {
    name: 'runtime', resourceType: 'Instance', featureName: 'RuntimeMonitoring',
    types: [
      ['Execution:Runtime/ReverseShell', 'A process on an EC2 instance opened a reverse shell.'],
      ['DefenseEvasion:Runtime/ProcessInjection.Ptrace', 'A process injection using the ptrace system call was detected.'],
    ],
  },
  {
    name: 'attack-sequence', resourceType: 'AccessKey', featureName: 'CloudTrail', severity: [9.0, 10.0],
    types: [
      ['AttackSequence:IAM/CompromisedCredentials', 'Potential credential compromise of an IAM user or role.'],
      ['AttackSequence:S3/CompromisedData', 'Potential data compromise of one or more S3 buckets.'],
    ],
  },
];

/** Severity bands as GuardDuty documents them. */
export const SEVERITY_BANDS = {
  low: [1.0, 3.9],
  medium: [4.0, 6.9],
  high: [7.0, 8.9],
  critical: [9.0, 10.0],
} as const;

/** Attacker-controlled strings that a report must escape; sprinkled into some findings. */
export const HOSTILE_TEXT = [
  '"><img src=x onerror=alert(1)>',
  '<script>alert("gd")</script>',
  'javascript:alert(document.cookie)',
  "{{constructor.constructor('alert(1)')()}}",
] as const;
