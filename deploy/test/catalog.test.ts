import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { projectionProperties } from '../../src/lake/ddl.js';
import { TABLES } from '../../src/transform/tables.js';
import { LakeCatalog } from '../lib/catalog.js';

interface GlueTable {
  TableInput: {
    Name: string;
    Parameters: Record<string, unknown>;
    StorageDescriptor: { Columns: Array<{ Name: string; Type: string }> };
  };
}

describe('LakeCatalog with the real table list', () => {
  // Prepare
  const stack = new Stack(new App(), 'Catalog', { env: { account: '111122223333', region: 'eu-west-1' } });
  const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-lake');
  const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/abc');
  // Act
  new LakeCatalog(stack, 'Catalog', { bucket, key, lakePrefix: 'gd', databaseName: 'guardduty_lake', tables: Object.values(TABLES), bytesScannedCutoff: 1e9 });
  const glue = Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table'))
    .map((r) => (r as { Properties: GlueTable }).Properties.TableInput);

  it('has one Glue table per lake table', () => {
    // Assess
    expect(glue.map((t) => t.Name).sort()).toEqual(Object.keys(TABLES).sort());
  });

  it.each(Object.values(TABLES).map((t) => [t.name, t] as const))('%s: the same columns, in order, as the `ddl` command', (name, spec) => {
    // Assess
    const table = glue.find((t) => t.Name === name);
    expect(table?.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(spec.columns.map((c) => [c.name, c.type]));
    expect(table?.StorageDescriptor.Columns.length).toBeGreaterThan(0);
  });

  it('uses the `ddl` command\'s partition projection for the table location', () => {
    // Assess
    const findings = glue.find((t) => t.Name === 'findings');
    expect(findings?.Parameters).toMatchObject(Object.fromEntries(projectionProperties('s3://my-lake/gd/findings/')));
  });
});
