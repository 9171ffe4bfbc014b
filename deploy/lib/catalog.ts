import { Aws, Fn } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { projectionProperties } from '../../src/lake/ddl.js';
import type { TableSpec } from '../../src/transform/types.js';

export interface CatalogProps {
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
  readonly lakePrefix: string;
  readonly databaseName: string;
  readonly tables: readonly TableSpec[];
  readonly bytesScannedCutoff: number;
}

/**
 * Glue database and one Parquet table per lake table, with partition projection on `dt`
 * (no crawler, no MSCK REPAIR), and an Athena workgroup with encrypted results and a scan limit.
 */
export class LakeCatalog extends Construct {
  readonly database: glue.CfnDatabase;
  readonly tables: Map<string, glue.CfnTable> = new Map();
  readonly workgroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, props: CatalogProps) {
    super(scope, id);
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: props.databaseName, description: 'guardduty-lake: GuardDuty findings, statistics and investigations' },
    });
    const root = `s3://${props.bucket.bucketName}/${props.lakePrefix}`;
    for (const table of props.tables) {
      const location = `${root}/${table.name}/`;
      const cfn = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: props.databaseName,
        tableInput: {
          name: table.name,
          tableType: 'EXTERNAL_TABLE',
          // The same projection the `ddl` command prints (src/lake/ddl.ts): one source for both.
          parameters: { ...Object.fromEntries(projectionProperties(location)), 'parquet.compression': 'ZSTD' },
          partitionKeys: table.partitionKeys.map((name) => ({ name, type: 'string', comment: 'UTC date partition, YYYY-MM-DD' })),
          storageDescriptor: {
            location,
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
            columns: table.columns.map((c) => ({ name: c.name, type: c.type, comment: c.doc.slice(0, 255) })),
          },
        },
      });
      cfn.node.addDependency(this.database);
      this.tables.set(table.name, cfn);
    }
    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: Fn.join('-', [props.databaseName.replace(/_/g, '-'), Aws.REGION]),
      description: 'guardduty-lake analysts: encrypted results, per-query scan limit',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.bucket.bucketName}/athena-results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
        },
      },
    });
  }
}
