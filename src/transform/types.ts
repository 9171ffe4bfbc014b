/**
 * Contracts of the transform stage. One declarative column list drives flatten, the Arrow schema,
 * the Athena DDL and docs/columns.md.
 */

/** Athena (Hive DDL) type of a column; nested types use Hive syntax. */
export type AthenaType =
  | 'string' | 'timestamp' | 'double' | 'bigint' | 'int' | 'boolean' | 'date'
  | `array<${string}>` | `struct<${string}>` | `map<${string}>`;

export interface ColumnSpec {
  /** lowercase snake_case, Athena-safe, unique within its table. */
  readonly name: string;
  readonly type: AthenaType;
  /**
   * Path into the finding in the SDK's PascalCase shape (`['Resource','InstanceDetails','InstanceId']`);
   * empty for derived columns (`severity_label`, `run_id`, …).
   */
  readonly path: readonly string[];
  readonly nullable: boolean;
  /** One line for docs/columns.md and the DDL comment. */
  readonly doc: string;
}

/** The lake's tables. `quarantine` is raw JSON lines, not Parquet. */
export type TableName = 'findings' | 'finding_statistics' | 'investigations' | 'investigation_records';

export interface TableSpec {
  readonly name: TableName;
  readonly columns: readonly ColumnSpec[];
  /** Partition column(s) in the object key, not inside the Parquet file. */
  readonly partitionKeys: readonly ['dt'];
}

/** Where a finding came from; stamped on every row. */
export interface RowContext {
  /** Account whose credentials/detector returned the finding (not always the finding's own account). */
  readonly sourceAccountId: string;
  readonly detectorId: string;
  readonly runId: string;
  readonly exportedAt: Date;
}

/** A flattened row: column name → JS value ready for the Arrow builder (Date for timestamps, bigint for BIGINT, arrays/objects for nested). */
export type Row = Record<string, unknown>;

/** A record that could not become a row; kept raw in `<lake>/quarantine/`. */
export interface QuarantinedRecord {
  readonly reason: string;
  /** The record as received (text or parsed JSON). */
  readonly raw: unknown;
  /** e.g. "import:/path/file.jsonl:12" or "export:111122223333/us-east-1". */
  readonly source: string;
}

/**
 * Shape of a column's value, for flatten and the Arrow schema. Scalars by Athena type; `json` is text
 * holding a JSON document; `struct` fields carry the SDK (PascalCase) and wire (camelCase `jsonName`) keys.
 */
export type ValueShape =
  | { readonly kind: 'string' | 'timestamp' | 'double' | 'bigint' | 'int' | 'boolean' | 'json' }
  | { readonly kind: 'list'; readonly element: ValueShape }
  | { readonly kind: 'struct'; readonly fields: readonly StructFieldShape[] };

export interface StructFieldShape {
  /** snake_case field name in Parquet/Athena. */
  readonly name: string;
  /** PascalCase key (SDK shape). */
  readonly key: string;
  /** Wire key (model `jsonName`, e.g. `productCodeId` for `Code`). */
  readonly jsonKey: string;
  readonly shape: ValueShape;
}

/** How a model column is read: the wire (camelCase) path beside ColumnSpec.path, and the value shape. */
export interface ColumnSource {
  readonly jsonPath: readonly string[];
  readonly shape: ValueShape;
}
