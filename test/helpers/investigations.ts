/** Investigation / statistics factories in SDK shape (Dates for timestamps, as the SDK returns them). */
import type { GetFindingsStatisticsResponse, Investigation, ListInvestigationRecordsResponse } from '@aws-sdk/client-guardduty';

export function makeInvestigation(overrides: Partial<Investigation> = {}): Investigation {
  return {
    InvestigationId: 'inv-0001',
    Status: 'COMPLETED',
    TriggeredBy: 'USER',
    TriggerPrompt: 'Investigate the SSH brute force',
    Cloud: { Provider: 'AWS', Region: 'us-east-1', Account: '123456789012' },
    RiskLevel: 'HIGH',
    Risk: 'Credential compromise likely',
    Confidence: 'MEDIUM',
    Summary: 'An instance was brute-forced <b>from</b> a Tor exit node.',
    SummaryData: {
      FindingType: 'UnauthorizedAccess:EC2/SSHBruteForce',
      ThreatAssessment: {
        ThreatActorProfile: 'Opportunistic',
        AttackProgression: [{
          Phase: 'InitialAccess',
          Description: 'Brute force',
          Attacks: [
            { Tactic: { Name: 'Credential Access', Uid: 'TA0006' }, Technique: { Name: 'Brute Force', Uid: 'T1110' }, Findings: [{ FindingType: 'UnauthorizedAccess:EC2/SSHBruteForce', Uid: 'f-1' }, { Uid: 'f-2' }] },
          ],
        }],
      },
      KeyObservations: { Title: 'SSH brute force succeeded', Narrative: 'Many attempts, then success.', Observations: ['1,000 attempts', 'one success'] },
    },
    Scope: {
      InvestigationType: 'FINDING', FindingId: 'f-1', AccountId: '123456789012', AdminAccountId: '999999999999',
      QueryTimeWindow: { StartTime: new Date('2025-06-01T00:00:00Z'), EndTime: new Date('2025-06-02T00:00:00Z') },
    },
    StartTime: new Date('2025-06-02T01:00:00Z'),
    EndTime: new Date('2025-06-02T01:05:00Z'),
    ...overrides,
  } as Investigation;
}

export function makeInvestigationRecords(overrides: Partial<ListInvestigationRecordsResponse> = {}): ListInvestigationRecordsResponse {
  return {
    InvestigationId: 'inv-0001',
    Status: 'COMPLETED',
    Records: [
      { RecordId: 'r-1', Type: 'ANALYSIS', Title: 'Looked at VPC flow logs', Narrative: 'Traffic from 198.51.100.7', CreatedAt: new Date('2025-06-02T01:01:00Z') },
      { RecordId: 'r-2', Type: 'OBSERVATION', Title: 'Login succeeded', CreatedAt: new Date('2025-06-02T01:02:00Z') },
    ],
    ...overrides,
  } as ListInvestigationRecordsResponse;
}

export function makeGroupedStatistics(): GetFindingsStatisticsResponse {
  const at = new Date('2025-06-01T10:00:00Z');
  return {
    FindingStatistics: {
      GroupedByAccount: [{ AccountId: '123456789012', LastGeneratedAt: at, TotalFindings: 10 }],
      GroupedByDate: [{ Date: new Date('2025-06-01T00:00:00Z'), LastGeneratedAt: at, Severity: 8, TotalFindings: 4 }],
      GroupedByFindingType: [{ FindingType: 'Recon:EC2/PortProbeUnprotectedPort', LastGeneratedAt: at, TotalFindings: 7 }],
      GroupedByResource: [{ AccountId: '123456789012', ResourceId: 'i-0abc', ResourceType: 'AWS::EC2::Instance', LastGeneratedAt: at, TotalFindings: 3 }],
      GroupedBySeverity: [{ Severity: 5, LastGeneratedAt: at, TotalFindings: 2 }],
    },
  } as GetFindingsStatisticsResponse;
}
