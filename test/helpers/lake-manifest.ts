/** Factories for run manifests and slice reports (lake tests, report tests). */
import type { RunManifest, SliceReport } from '../../src/lake/types.js';

export function sliceReport(overrides: Partial<SliceReport> = {}): SliceReport {
  return {
    accountId: '111122223333', region: 'us-east-1', status: 'ok', detectorId: 'd1',
    findings: 10, quarantined: 0, statistics: 4, investigations: 0, durationMs: 1200,
    windowStart: '2026-11-14T00:00:00.000Z', windowEnd: '2026-11-21T00:00:00.000Z',
    ...overrides,
  };
}

export function runManifest(overrides: Partial<RunManifest> = {}): RunManifest {
  const slices = overrides.slices ?? [sliceReport()];
  return {
    runId: 'run-1', command: 'export', startedAt: '2026-11-21T02:00:00.000Z', finishedAt: '2026-11-21T02:10:00.000Z',
    shard: { index: 0, count: 1 }, mode: 'delegated-admin',
    accounts: [{ id: '111122223333', name: 'prod', status: 'ACTIVE' }],
    slices,
    totals: {
      findings: slices.reduce((n, s) => n + s.findings, 0), quarantined: slices.reduce((n, s) => n + s.quarantined, 0),
      statistics: 0, investigations: 0, investigationRecords: 0, investigationsCreated: 0,
      failedSlices: slices.filter((s) => s.status === 'failed').length, gapSlices: 0, bytesWritten: 0,
    },
    ...overrides,
  };
}
