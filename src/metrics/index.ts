export { EmfBuffer, writeEmf, emfRecordForRun, runBuffer, emfRecordForReport, reportBuffer, failedRunBuffer } from './emf.js';
export type { EmfOptions, RunExtras, ReportOutcome } from './emf.js';
export { emfProblems, emfRecordsIn } from './validate.js';
export { METRIC, NAMESPACE, UNIT } from './types.js';
export type { EmfRecord, EmfDirective, MetricCommand, MetricDefinition, MetricName, MetricUnit } from './types.js';
export { maskEmail, maskEmails } from '../log-safe.js';
