import { describe, expect, it } from 'vitest';
import { buildModelColumns, snakeCase } from '../../scripts/gen-columns.js';
import { FINDING_MODEL_COLUMNS, FINDING_MODEL_SOURCES } from '../../src/transform/columns.generated.js';
import { TABLES, FINDINGS_TABLE } from '../../src/transform/tables.js';

describe('findings column list', () => {
  it('covers every field of the installed SDK Finding model (re-run `npm run gen:columns` when this fails)', () => {
    // Prepare
    const fromModel = buildModelColumns();
    // Act
    const fresh = fromModel.map((c) => c.spec);
    const missing = fresh.filter((c) => !FINDING_MODEL_COLUMNS.some((k) => k.name === c.name && k.type === c.type));
    // Assess
    expect(missing.map((c) => `${c.name} ${c.type}`)).toEqual([]);
    expect(FINDING_MODEL_COLUMNS).toEqual(fresh);
    expect(FINDING_MODEL_SOURCES).toEqual(Object.fromEntries(fromModel.map((c) => [c.spec.name, c.source])));
  });

  it.each([
    ['InstanceId', 'instance_id'],
    ['IpAddressV4', 'ip_address_v4'],
    ['S3BucketDetails', 's3_bucket_details'],
    ['VolumeSizeInGB', 'volume_size_in_gb'],
    ['Ipv6Addresses', 'ipv6_addresses'],
    ['ThreatFileSha256', 'threat_file_sha256'],
    ['SourceIps', 'source_ips'],
  ])('snake-cases %s as %s', (pascal, snake) => {
    // Act / Assess
    expect(snakeCase(pascal)).toBe(snake);
  });

  it.each([
    ['resource_instance_details_instance_id', 'string'],
    ['service_action_network_connection_action_remote_ip_details_ip_address_v4', 'string'],
    ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
    ['service_event_first_seen', 'timestamp'],
    ['service_event_last_seen', 'timestamp'],
    ['resource_eks_cluster_details_created_at', 'timestamp'],
    ['severity', 'double'],
    ['confidence', 'double'],
    ['service_count', 'bigint'],
    ['service_archived', 'boolean'],
    ['service_action_network_connection_action_local_port_details_port', 'int'],
    ['resource_instance_details_tags', 'array<struct<key:string,value:string>>'],
    ['resource_instance_details_product_codes', 'array<struct<code:string,product_type:string>>'],
    ['service_action_kubernetes_api_call_action_source_ips', 'array<string>'],
    ['service_additional_info', 'string'],
    ['severity_label', 'string'],
    ['finding_family', 'string'],
    ['resource_id', 'string'],
    ['finding_json', 'string'],
    ['exported_at', 'timestamp'],
  ])('has column %s of type %s', (name, type) => {
    // Act
    const column = FINDINGS_TABLE.columns.find((c) => c.name === name);
    // Assess
    expect(column?.type).toBe(type);
  });

  it.each(Object.values(TABLES).map((t) => [t.name, t] as const))('%s: names unique, lowercase, Athena-safe and short', (_name, table) => {
    // Act
    const names = table.columns.map((c) => c.name);
    // Assess
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(n.length).toBeLessThanOrEqual(120);
    }
    for (const c of table.columns) expect(c.type).not.toMatch(/[A-Z]/);
  });
});
