export { FINDINGS_TABLE, FINDING_STATISTICS_TABLE, INVESTIGATIONS_TABLE, INVESTIGATION_RECORDS_TABLE, FINDING_DERIVED_COLUMNS, TABLES } from './tables.js';
export { FINDING_MODEL_COLUMNS, FINDING_MODEL_SOURCES } from './columns.generated.js';
export { extractDocument, extractFindings, type ExtractedDocument } from './extract.js';
export { flattenFinding } from './flatten.js';
export { severityLabel, findingFamily, resourceId, SEVERITY_LABELS, type SeverityLabel } from './derived.js';
export { parseTimestamp, parseTimestampMs } from './timestamps.js';
export { arrowSchema, arrowType, RecordBatchBuilder } from './arrow.js';
export {
  ParquetWriter, encodeParquet, parquetWasm, PARQUET_COMPRESSIONS,
  type ParquetCompression, type ParquetWriterOptions, type ParquetFileOutput, type ParquetFileSummary, type ParquetWriteSummary, type OnParquetFile,
} from './parquet.js';
export { MalformedFindingError, ParquetEncodeError } from './errors.js';
export type * from './types.js';
export { statisticsRows, STATISTICS_GROUPS, type StatisticsGroup, type StatisticsContext } from './statistics.js';
export { investigationRow, investigationRecordRows, type InvestigationContext } from './investigations.js';
export { MalformedRecordError } from './errors.js';
