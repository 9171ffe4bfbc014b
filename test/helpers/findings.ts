/**
 * Finding factory (SDK PascalCase shape, optionally converted to wire camelCase) for tests and benches.
 * Deterministic: the same (index, seed) gives the same finding.
 */

export type FindingShape = 'sdk' | 'wire';

export interface FindingOptions {
  /** Sequence number; varies id, type, resource kind, severity and timestamps. @default 0 */
  readonly index?: number;
  /** @default 'sdk' */
  readonly shape?: FindingShape;
  readonly accountId?: string;
  readonly region?: string;
  readonly detectorId?: string;
  /** Fields merged over the SDK-shape finding before any wire conversion (shallow, top level). */
  readonly overrides?: Record<string, unknown>;
}

const TYPES = [
  ['UnauthorizedAccess:EC2/SSHBruteForce', 'Instance', 2],
  ['Recon:IAMUser/MaliciousIPCaller', 'AccessKey', 5],
  ['Policy:S3/BucketBlockPublicAccessDisabled', 'S3Bucket', 2],
  ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 'Instance', 8],
  ['Discovery:Kubernetes/SuccessfulAnonymousAccess', 'EKSCluster', 5],
  ['CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin', 'RDSDBInstance', 8],
  ['Backdoor:Lambda/C&CActivity.B', 'Lambda', 8],
  ['AttackSequence:IAM/CompromisedCredentials', 'AttackSequence', 9.5],
] as const;

function hex(n: number, width: number): string {
  let x = (n * 2654435761) >>> 0;
  let out = '';
  while (out.length < width) { out += x.toString(16).padStart(8, '0'); x = (x * 1103515245 + 12345) >>> 0; }
  return out.slice(0, width);
}

function resourceFor(kind: string, i: number): Record<string, unknown> {
  const tags = [{ Key: 'env', Value: i % 2 ? 'prod' : 'dev' }, { Key: 'team', Value: `team-${i % 7}` }];
  switch (kind) {
    case 'Instance': return {
      ResourceType: 'Instance',
      InstanceDetails: {
        InstanceId: `i-${hex(i, 17)}`, InstanceType: 't3.large', InstanceState: 'running', AvailabilityZone: 'us-east-1a',
        ImageId: `ami-${hex(i + 1, 8)}`, LaunchTime: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(), Platform: null,
        IamInstanceProfile: { Arn: `arn:aws:iam::123456789012:instance-profile/p${i % 5}`, Id: `AIPA${hex(i, 16).toUpperCase()}` },
        NetworkInterfaces: [{
          NetworkInterfaceId: `eni-${hex(i, 8)}`, PrivateIpAddress: '10.0.0.12', Ipv6Addresses: [],
          PrivateIpAddresses: [{ PrivateDnsName: 'ip-10-0-0-12.ec2.internal', PrivateIpAddress: '10.0.0.12' }],
          SecurityGroups: [{ GroupId: 'sg-0123', GroupName: 'default' }], SubnetId: 'subnet-1', VpcId: 'vpc-1', PublicIp: '198.51.100.7',
        }],
        ProductCodes: [{ Code: 'abc', ProductType: 'marketplace' }],
        Tags: tags,
      },
    };
    case 'AccessKey': return {
      ResourceType: 'AccessKey',
      AccessKeyDetails: { AccessKeyId: `ASIA${hex(i, 16).toUpperCase()}`, PrincipalId: `AIDA${hex(i + 3, 16).toUpperCase()}`, UserName: `user${i % 11}`, UserType: 'IAMUser' },
    };
    case 'S3Bucket': return {
      ResourceType: 'S3Bucket',
      S3BucketDetails: [{
        Arn: `arn:aws:s3:::bucket-${i % 13}`, Name: `bucket-${i % 13}`, Type: 'Destination', CreatedAt: new Date(Date.UTC(2023, 5, 1)).toISOString(),
        Owner: { Id: hex(i, 64) }, Tags: tags,
        DefaultServerSideEncryption: { EncryptionType: 'AES256' },
        PublicAccess: { EffectivePermission: 'NOT_PUBLIC' },
      }],
    };
    case 'EKSCluster': return {
      ResourceType: 'EKSCluster',
      EksClusterDetails: { Name: `cluster-${i % 3}`, Arn: `arn:aws:eks:us-east-1:123456789012:cluster/cluster-${i % 3}`, VpcId: 'vpc-1', Status: 'ACTIVE', CreatedAt: new Date(Date.UTC(2022, 1, 1)).toISOString(), Tags: tags },
      KubernetesDetails: { KubernetesUserDetails: { Username: 'system:anonymous', Uid: '', Groups: ['system:unauthenticated'] } },
    };
    case 'RDSDBInstance': return {
      ResourceType: 'RDSDBInstance',
      RdsDbInstanceDetails: { DbInstanceIdentifier: `db-${i % 5}`, Engine: 'aurora-postgresql', EngineVersion: '15.4', DbClusterIdentifier: 'cl-1', DbInstanceArn: `arn:aws:rds:us-east-1:123456789012:db:db-${i % 5}`, Tags: tags },
      RdsDbUserDetails: { User: 'admin', Application: 'psql', Database: 'postgres', Ssl: 'true', AuthMethod: 'PASSWORD' },
    };
    case 'Lambda': return {
      ResourceType: 'Lambda',
      LambdaDetails: { FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:fn${i % 9}`, FunctionName: `fn${i % 9}`, Runtime: 'nodejs20.x', VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'lambda' }], VpcId: 'vpc-1' }, Tags: tags },
    };
    default: return { ResourceType: kind };
  }
}

/** One finding in SDK (PascalCase) shape unless `shape: 'wire'`. */
export function makeFinding(options: FindingOptions = {}): Record<string, unknown> {
  const i = options.index ?? 0;
  const [type, kind, baseSeverity] = TYPES[i % TYPES.length] as (typeof TYPES)[number];
  const accountId = options.accountId ?? '123456789012';
  const region = options.region ?? 'us-east-1';
  const detectorId = options.detectorId ?? 'abcdef0123456789abcdef0123456789';
  const id = hex(i + 17, 32);
  const created = Date.UTC(2025, 0, 1) + i * 60_000;
  const severity = baseSeverity + (i % 3) / 10;
  const sdk: Record<string, unknown> = {
    AccountId: accountId,
    Arn: `arn:aws:guardduty:${region}:${accountId}:detector/${detectorId}/finding/${id}`,
    CreatedAt: new Date(created).toISOString(),
    Description: `Finding ${i}: ${type} observed from 198.51.100.${i % 250}. <script>alert(1)</script>`,
    Id: id,
    Partition: 'aws',
    Region: region,
    Resource: resourceFor(kind, i),
    SchemaVersion: '2.0',
    Service: {
      Action: {
        ActionType: 'NETWORK_CONNECTION',
        NetworkConnectionAction: {
          Blocked: false, ConnectionDirection: 'INBOUND', Protocol: 'TCP',
          LocalPortDetails: { Port: 22, PortName: 'SSH' },
          RemotePortDetails: { Port: 40000 + (i % 20000), PortName: 'Unknown' },
          LocalIpDetails: { IpAddressV4: '10.0.0.12' },
          RemoteIpDetails: {
            IpAddressV4: `198.51.100.${i % 250}`,
            City: { CityName: 'Springfield' }, Country: { CountryCode: 'US', CountryName: 'United States' },
            GeoLocation: { Lat: 39.78, Lon: -89.65 },
            Organization: { Asn: '64496', AsnOrg: 'Example Org', Isp: 'Example ISP', Org: 'Example' },
          },
        },
      },
      Archived: i % 10 === 0,
      Count: 1 + (i % 50),
      DetectorId: detectorId,
      EventFirstSeen: new Date(created - 3_600_000).toISOString(),
      EventLastSeen: new Date(created).toISOString(),
      ResourceRole: 'TARGET',
      ServiceName: 'guardduty',
      AdditionalInfo: { Value: JSON.stringify({ threatListName: 'ProofPoint', sample: i % 4 === 0 }), Type: 'default' },
      FeatureName: 'FlowLogs',
    },
    Severity: severity,
    Title: `${type} on resource ${i}`,
    Type: type,
    UpdatedAt: new Date(created + 1000 * (i % 5)).toISOString(),
    ...options.overrides,
  };
  return options.shape === 'wire' ? toWire(sdk) as Record<string, unknown> : sdk;
}

/** Wire names that are not the lower-camel form of the SDK name (from the model's jsonName). */
const WIRE_NAMES: Readonly<Record<string, string>> = {
  Code: 'productCodeId', ProductType: 'productCodeType', SourceIps: 'sourceIPs', Latitude: 'lat', Longitude: 'lon', TaskCreatedAt: 'createdAt',
};

/** SDK PascalCase → wire camelCase, recursively (AdditionalInfo becomes the wire's free-form object plus `value`/`type`). */
export function toWire(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => toWire(v));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (key === 'AdditionalInfo' && typeof o['Value'] === 'string') {
    return { ...JSON.parse(o['Value']) as Record<string, unknown>, value: o['Value'], type: o['Type'] };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[WIRE_NAMES[k] ?? k.charAt(0).toLowerCase() + k.slice(1)] = toWire(v, k);
  return out;
}

/** `n` findings with indexes `start…start+n-1`. */
export function* makeFindings(n: number, options: Omit<FindingOptions, 'index'> & { start?: number } = {}): Generator<Record<string, unknown>> {
  const start = options.start ?? 0;
  for (let i = start; i < start + n; i++) yield makeFinding({ ...options, index: i });
}
