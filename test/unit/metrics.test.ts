import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunManifest, SliceReport } from '../../src/lake/types.js';
import {
  EmfBuffer, METRIC, NAMESPACE, emfProblems, failedRunBuffer, emfRecordForReport, emfRecordForRun, emfRecordsIn, maskEmail, maskEmails, runBuffer,
} from '../../src/metrics/index.js';

function slice(over: Partial<SliceReport> = {}): SliceReport {
  return { accountId: '111111111111', region: 'us-east-1', status: 'ok', findings: 0, quarantined: 0, statistics: 0, investigations: 0, durationMs: 10, ...over };
}

function manifest(over: Partial<RunManifest> = {}): RunManifest {
  return {
    runId: 'r-1', command: 'export', startedAt: '2026-11-20T01:00:00.000Z', finishedAt: '2026-11-20T01:02:30.500Z',
    shard: { index: 1, count: 4 }, accounts: [{ id: '111111111111' }],
    slices: [slice({ findings: 5, throttles: 2 }), slice({ region: 'eu-west-1', status: 'failed', throttles: 3 })],
    totals: { findings: 5, quarantined: 1, statistics: 3, investigations: 0, investigationRecords: 0, investigationsCreated: 0, failedSlices: 1, gapSlices: 1, bytesWritten: 4096 },
    ...over,
  };
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('emfRecordForRun', () => {
  it('carries the manifest totals under the GuardDutyLake namespace with only the Command dimension', () => {
    // Prepare
    const m = manifest();
    // Act
    const record = emfRecordForRun(m);
    // Assess
    expect(emfProblems(record)).toEqual([]);
    const directive = record._aws.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe(NAMESPACE);
    expect(directive?.Dimensions).toEqual([['Command']]);
    expect(record).toMatchObject({
      Command: 'export', FindingsExported: 5, FindingsQuarantined: 1, SlicesFailed: 1, SlicesWithGaps: 1,
      Throttles: 5, DurationSeconds: 150.5, BytesWritten: 4096, run_id: 'r-1', shard: '1/4',
    });
    expect(record._aws.Timestamp).toBe(Date.parse(m.finishedAt));
    expect(JSON.stringify(record)).not.toContain('111111111111');
  });

  it('lets the caller override throttles and add a low-cardinality dimension', () => {
    // Act
    const record = emfRecordForRun(manifest(), { throttles: 9, dimensions: { Shard: '1/4' } });
    // Assess
    expect(record.Throttles).toBe(9);
    expect(record._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Command', 'Shard']]);
    expect(emfProblems(record)).toEqual([]);
  });
});

describe('emfRecordForReport', () => {
  it.each([
    [true, 1],
    [false, 0],
  ])('sent=%s → ReportSent %i', (sent, expected) => {
    // Act
    const record = emfRecordForReport({ sent, durationSeconds: 2 });
    // Assess
    expect(record.ReportSent).toBe(expected);
    expect(record.Command).toBe('report');
    expect(emfProblems(record)).toEqual([]);
  });
});

describe('EmfBuffer.flush', () => {
  it('writes one JSON line once, even when flushed again from a finally', () => {
    // Prepare
    const out = capture();
    const buffer = runBuffer(manifest());
    // Act
    try {
      throw new Error('run failed');
    } catch {
      // the run's error is handled elsewhere
    } finally {
      buffer.flush(out.stream);
      buffer.flush(out.stream);
    }
    // Assess
    const records = emfRecordsIn(`{"level":"info","msg":"x"}\n${out.text()}`);
    expect(records).toHaveLength(1);
    expect(records[0]?.FindingsExported).toBe(5);
    expect(out.text().endsWith('\n')).toBe(true);
  });

  it('writes nothing when no metric was put', () => {
    // Prepare
    const out = capture();
    // Act
    new EmfBuffer('export').flush(out.stream);
    // Assess
    expect(out.text()).toBe('');
  });

  it('records a non-finite value as 0', () => {
    // Act
    const record = new EmfBuffer('export').put(METRIC.DurationSeconds, Number.NaN, 'Seconds').toRecord();
    // Assess
    expect(record.DurationSeconds).toBe(0);
  });
});

describe('failedRunBuffer', () => {
  it('counts the failure without a DurationSeconds, so the did-not-run alarm still fires', () => {
    // Act
    const record = failedRunBuffer('export', { properties: { run_id: 'r-9' } }).toRecord();
    // Assess
    expect(emfProblems(record)).toEqual([]);
    expect(record).toMatchObject({ RunFailed: 1, Command: 'export', run_id: 'r-9' });
    expect(record).not.toHaveProperty('DurationSeconds');
  });
});

describe('emfProblems', () => {
  it.each([
    ['a string', 'x', 'not a JSON object'],
    ['no _aws', { a: 1 }, 'missing _aws'],
    ['wrong namespace', { _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'X', Dimensions: [], Metrics: [{ Name: 'A' }] }] }, A: 1 }, 'namespace X is not GuardDutyLake'],
    ['metric without value', { _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: [], Metrics: [{ Name: 'A' }] }] } }, 'metric A has no numeric value'],
    ['dimension without value', { _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: [['Command']], Metrics: [{ Name: 'A' }] }] }, A: 1 }, 'dimension Command has no string value'],
  ])('flags %s', (_, line, problem) => {
    expect(emfProblems(line)).toContain(problem);
  });
});

describe('maskEmail', () => {
  it.each([
    ['secops@example.com', 's***@example.com'],
    ['sent to a@b.io and bob.x@corp.example.org', 'sent to a***@b.io and b***@corp.example.org'],
    ['no address here', 'no address here'],
  ])('%s → %s', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });

  it('masks a recipient list', () => {
    expect(maskEmails(['x@y.com', 'zz@y.com'])).toEqual(['x***@y.com', 'z***@y.com']);
  });
});
