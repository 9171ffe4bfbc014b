import { NAMESPACE, type EmfRecord } from './types.js';

/**
 * Checks a parsed log line against the EMF specification's required members; returns the
 * problems (empty when valid). Used by tests and by anyone grepping a run's stdout.
 */
export function emfProblems(line: unknown): string[] {
  const problems: string[] = [];
  if (typeof line !== 'object' || line === null) return ['not a JSON object'];
  const record = line as Record<string, unknown>;
  const aws = record._aws as Record<string, unknown> | undefined;
  if (typeof aws !== 'object' || aws === null) return ['missing _aws'];
  if (typeof aws.Timestamp !== 'number' || !Number.isInteger(aws.Timestamp)) problems.push('_aws.Timestamp is not epoch milliseconds');
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives) || directives.length === 0) return [...problems, '_aws.CloudWatchMetrics is empty'];
  for (const d of directives as Array<Record<string, unknown>>) {
    if (d.Namespace !== NAMESPACE) problems.push(`namespace ${String(d.Namespace)} is not ${NAMESPACE}`);
    const dims = d.Dimensions;
    if (!Array.isArray(dims)) problems.push('Dimensions is not an array');
    else for (const set of dims as unknown[]) {
      if (!Array.isArray(set)) { problems.push('a dimension set is not an array'); continue; }
      for (const name of set as unknown[]) {
        if (typeof record[String(name)] !== 'string') problems.push(`dimension ${String(name)} has no string value`);
      }
    }
    const metrics = d.Metrics;
    if (!Array.isArray(metrics) || metrics.length === 0 || metrics.length > 100) problems.push('Metrics must hold 1..100 definitions');
    else for (const m of metrics as Array<Record<string, unknown>>) {
      const value = record[String(m.Name)];
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`metric ${String(m.Name)} has no numeric value`);
    }
  }
  return problems;
}

/** The EMF records among a run's stdout lines (pino log lines are skipped). */
export function emfRecordsIn(stdout: string): EmfRecord[] {
  const out: EmfRecord[] = [];
  for (const text of stdout.split('\n')) {
    if (!text.includes('"_aws"')) continue;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && '_aws' in parsed) out.push(parsed as EmfRecord);
    } catch {
      // not a JSON line
    }
  }
  return out;
}
