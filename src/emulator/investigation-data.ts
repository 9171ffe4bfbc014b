/**
 * GuardDuty AI investigations: the seeded ones per administrator detector in preview regions, and
 * their wire bodies (GetInvestigation, ListInvestigations summaries, ListInvestigationRecords).
 */
import { isInvestigationRegion } from '../collect/regions.js';
import { Rng } from './random.js';
import type { EmulatorDetector, EmulatorInvestigation, EmulatorWorld } from './types.js';

type Wire = Record<string, unknown>;
const DAY_MS = 86_400_000;
const sec = (ms: number): number => ms / 1000;

export const INVESTIGATION_STATUSES = ['COMPLETED', 'RUNNING', 'FAILED'] as const;
const RISK_LEVELS = ['Info', 'Low', 'Medium', 'High', 'Critical'] as const;
const CONFIDENCES = ['Unknown', 'Low', 'Medium', 'High'] as const;
const TYPES = ['ACCOUNT', 'FINDING', 'ORGANIZATION'] as const;

/** Per administrator detector in a preview region: 5 investigations with every status, type, risk. */
export function seedInvestigations(world: EmulatorWorld): EmulatorInvestigation[] {
  const out: EmulatorInvestigation[] = [];
  const nowMs = world.now.getTime();
  const members = world.accounts.filter((a) => a.status === 'ACTIVE');
  for (const detector of world.detectors) {
    if (detector.accountId !== world.adminAccountId || !isInvestigationRegion(detector.region)) continue;
    for (let n = 0; n < 5; n++) {
      const rng = new Rng(world.seed, 0x1a, world.enabledRegions.indexOf(detector.region), n);
      const status = INVESTIGATION_STATUSES[n % 3] ?? 'COMPLETED';
      const investigationType = TYPES[(n + 1) % 3] ?? 'ACCOUNT';
      const target = members[(n + 2) % members.length] ?? members[0];
      const startTime = Math.round(nowMs - rng.next() * 20 * DAY_MS);
      const findingIds = investigationType === 'FINDING' ? world.findingIds({ accountIds: [target?.id ?? ''], regions: [detector.region] }) : [];
      out.push({
        investigationId: rng.hex(32),
        adminAccountId: world.adminAccountId,
        region: detector.region,
        detectorId: detector.detectorId,
        status,
        investigationType,
        accountId: target?.id ?? world.adminAccountId,
        ...(findingIds[0] === undefined ? {} : { findingId: findingIds[0] }),
        riskLevel: RISK_LEVELS[n % RISK_LEVELS.length] ?? 'Medium',
        confidence: CONFIDENCES[(n + 1) % CONFIDENCES.length] ?? 'Medium',
        title: rng.pick(['Possible credential compromise', 'Unusual S3 data access', 'Cryptomining on EC2 fleet', 'Review of recent high findings']),
        triggerPrompt: rng.pick(['Investigate the high findings of this account', 'Summarize threats across the organization', 'Is this finding a true positive?']),
        startTime,
        ...(status === 'RUNNING' ? {} : { endTime: startTime + rng.int(60_000, 1_800_000) }),
      });
    }
  }
  return out;
}

/** A new investigation from CreateInvestigation; it starts RUNNING. */
export function newInvestigation(world: EmulatorWorld, detector: EmulatorDetector, prompt: string, clientToken: string | undefined, nowMs: number, n: number): EmulatorInvestigation {
  const rng = new Rng(world.seed, 0x1b, n);
  return {
    investigationId: rng.hex(32), adminAccountId: detector.accountId, region: detector.region, detectorId: detector.detectorId,
    status: 'RUNNING', investigationType: 'ORGANIZATION', accountId: detector.accountId, riskLevel: 'Info', confidence: 'Unknown',
    title: 'Investigation in progress', triggerPrompt: prompt, startTime: nowMs, ...(clientToken === undefined ? {} : { clientToken }),
  };
}

export function investigationSummaryWire(inv: EmulatorInvestigation): Wire {
  return {
    investigationId: inv.investigationId, status: inv.status, triggerPrompt: inv.triggerPrompt, riskLevel: inv.riskLevel,
    confidence: inv.confidence, title: inv.title, investigationType: inv.investigationType, ...(inv.findingId === undefined ? {} : { findingId: inv.findingId }),
    accountId: inv.accountId, adminAccountId: inv.adminAccountId, startTime: sec(inv.startTime),
    ...(inv.endTime === undefined ? {} : { endTime: sec(inv.endTime) }),
  };
}

export function investigationWire(inv: EmulatorInvestigation, summaryFormat: string | undefined): Wire {
  const rng = new Rng(inv.startTime, inv.investigationId.length, parseInt(inv.investigationId.slice(0, 8), 16));
  const done = inv.status === 'COMPLETED';
  const window = { startTime: sec(inv.startTime - 7 * DAY_MS), endTime: sec(inv.startTime) };
  const breakdown = { critical: rng.int(0, 3), high: rng.int(0, 10), medium: rng.int(0, 30), low: rng.int(0, 60), info: 0 };
  const total = breakdown.critical + breakdown.high + breakdown.medium + breakdown.low;
  const topFindingTypes = [{ findingType: 'Recon:EC2/PortProbeUnprotectedPort', count: rng.int(1, 20) }];
  const byTimeWindow = [{ ...window, findingCount: total }];
  const ref = { name: 'Valid Accounts', uid: 'T1078' };
  const summaryText = `${inv.title}: ${done ? 'analysis complete' : inv.status === 'FAILED' ? 'analysis failed' : 'analysis running'} for account ${inv.accountId}.`;
  return {
    investigationId: inv.investigationId,
    status: inv.status,
    triggerPrompt: inv.triggerPrompt,
    triggeredBy: `arn:aws:iam::${inv.adminAccountId}:role/SecurityAnalyst`,
    metadata: { version: '1.0', product: { name: 'GuardDuty', feature: 'AI_ANALYST' } },
    cloud: { provider: 'AWS', region: inv.region, account: inv.adminAccountId },
    riskLevel: inv.riskLevel,
    risk: `${inv.riskLevel} risk: ${inv.title.toLowerCase()}`,
    confidence: inv.confidence,
    summary: summaryFormat === 'STRUCTURED' ? JSON.stringify({ title: inv.title, text: summaryText }) : summaryText,
    summaryData: {
      findingType: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      threatAssessment: {
        attackProgression: [{
          phase: 'Credential Access', description: 'Instance credentials used outside AWS',
          attacks: [{ tactic: { name: 'Credential Access', uid: 'TA0006' }, technique: ref, findings: [{ findingType: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', uid: inv.findingId ?? rng.hex(32) }], version: '15.1' }],
        }],
        threatActorProfile: 'Opportunistic, financially motivated',
      },
      countermeasures: [{
        defenseTactic: 'Isolate',
        actions: [{
          title: 'Revoke active sessions', description: 'Revoke the role sessions issued before the finding.', priority: 'IMMEDIATE',
          defenseTechnique: 'Credential Revocation', mitigates: ['T1078'], cliCommands: ['aws iam put-role-policy --role-name app --policy-name revoke --policy-document file://revoke.json'],
          dispositionId: 1, disposition: 'Blocked',
          affectedResources: [{ identifier: 'app', type: 'AWS::IAM::Role', arn: `arn:aws:iam::${inv.accountId}:role/app` }],
        }],
        description: 'Contain the compromised credentials',
      }],
      accountAnalysis: {
        findingsSummary: { totalFindings: total, severityBreakdown: breakdown, topFindingTypes, byTimeWindow },
        tacticCoverage: [{ phase: 'Discovery', findingCount: rng.int(1, 9), findingTypes: ['Discovery:IAMUser/AnomalousBehavior'], techniques: [{ technique: ref, findingCount: 1, findingTypes: ['Discovery:IAMUser/AnomalousBehavior'] }] }],
        affectedResources: [{ identifier: `i-${rng.hex(17)}`, type: 'AWS::EC2::Instance', findingCount: rng.int(1, 9) }],
      },
      organizationAnalysis: {
        findingsSummary: { totalFindings: total * 3, severityBreakdown: breakdown, topFindingTypes, byTimeWindow, totalAccountCount: 6, affectedAccountCount: 2 },
        accountBreakdown: [{ accountId: inv.accountId, findingCount: total }],
      },
      keyObservations: { title: 'Key observations', narrative: summaryText, observations: ['Calls from an unfamiliar ASN', 'No MFA on the session'] },
      recommendations: [{ title: 'Enable Runtime Monitoring', rationale: 'Gives process-level evidence', category: 'ENABLE_PROTECTION', priority: 'SHORT_TERM', cliCommands: ['aws guardduty update-detector --features Name=RUNTIME_MONITORING,Status=ENABLED'] }],
    },
    scope: {
      investigationType: inv.investigationType, ...(inv.findingId === undefined ? {} : { findingId: inv.findingId }), accountId: inv.accountId, adminAccountId: inv.adminAccountId,
      queryTimeWindow: window,
    },
    startTime: sec(inv.startTime),
    ...(inv.endTime === undefined ? {} : { endTime: sec(inv.endTime) }),
    ...(inv.status === 'FAILED' ? { error: 'The investigation could not read the account\'s findings in time.' } : {}),
  };
}

const RECORD_TYPES = ['METADATA', 'FETCH', 'OBSERVATION', 'ANALYSIS', 'UPDATE'] as const;

/** The records of an investigation: 5 when it has ended, 2 while RUNNING. */
export function investigationRecordsWire(inv: EmulatorInvestigation): Wire[] {
  const count = inv.status === 'RUNNING' ? 2 : RECORD_TYPES.length;
  return RECORD_TYPES.slice(0, count).map((type, n) => {
    const rng = new Rng(parseInt(inv.investigationId.slice(0, 8), 16), n);
    const createdAt = sec(inv.startTime + n * 30_000);
    return {
      recordId: `${inv.investigationId.slice(0, 16)}-${n}`,
      type,
      title: `${type.charAt(0)}${type.slice(1).toLowerCase()} step ${n + 1}`,
      createdAt,
      narrative: `Step ${n + 1} of the investigation of account ${inv.accountId}.`,
      supportingData: supportingData(type, inv, rng, createdAt),
    };
  });
}

function supportingData(type: (typeof RECORD_TYPES)[number], inv: EmulatorInvestigation, rng: Rng, createdAt: number): Wire {
  switch (type) {
    case 'FETCH':
      return {
        fetch: {
          fetchType: 'FINDINGS',
          query: {
            criteria: [{ field: 'severity', condition: 'GREATER_THAN_OR_EQUAL', values: ['7'] }],
            timeWindow: { startedAt: createdAt - 7 * 86_400, durationInMinutes: 10_080 }, rowLimit: 100, accountId: inv.accountId,
            indicator: '203.0.113.7', indicatorType: 'IP_ADDRESS', findingType: 'Recon:EC2/PortProbeUnprotectedPort', findingId: inv.findingId ?? '',
          },
          result: {
            itemIds: [rng.hex(32)], totalCount: 1, features: [{ name: 'AI_ANALYST', status: 'ENABLED', updatedAt: createdAt }], verdict: 'MALICIOUS',
            documentation: { description: 'A port is being probed', severity: 'LOW', feature: 'FlowLogs', fullDescription: 'An unprotected port is probed by a known scanner.', remediation: 'Restrict the security group.', learnMoreLinks: ['https://docs.aws.amazon.com/guardduty/'] },
          },
        },
      };
    case 'ANALYSIS':
      return {
        analysis: {
          analysisType: 'THREAT_ASSESSMENT',
          threatAssessment: {
            reputation: { findingTimeDisposition: 'MALICIOUS', currentDisposition: 'MALICIOUS', reputationComparison: 'UNCHANGED' },
            threatConfidence: inv.confidence, classification: 'TRUE_POSITIVE', assessment: 'Credentials were used from a hosting provider.',
            authenticationContext: 'AssumedRole', rdsControlPlaneActivity: 'NONE', ipAccountActivity: 'FIRST_SEEN', credentialCompromise: 'LIKELY',
          },
          indicators: [{ value: '203.0.113.7', type: 'IP_ADDRESS' }],
        },
      };
    case 'OBSERVATION':
      return {
        observation: {
          observationType: 'FINDING_DETAIL',
          findingDetail: {
            findingId: inv.findingId ?? rng.hex(32), findingType: 'Recon:EC2/PortProbeUnprotectedPort', severity: 'LOW', accountId: inv.accountId,
            region: inv.region, activityWindow: { firstSeenAt: createdAt - 3600, lastSeenAt: createdAt },
          },
        },
      };
    default:
      return { metadata: { totalTimeMilliseconds: inv.endTime === undefined ? 0 : inv.endTime - inv.startTime } };
  }
}
