/**
 * Finds the findings inside any document a finding arrives in: a bare finding, an array, an SDK/CLI page
 * `{"Findings":[…]}` (boto3 `ResponseMetadata` included), a REST page `{"findings":[…]}`, an EventBridge
 * envelope (`detail-type: GuardDuty Finding`, full or partial, `detail` possibly empty).
 */

export type ExtractedDocument =
  | { readonly kind: 'findings'; readonly findings: readonly unknown[] }
  /** EventBridge envelope whose `detail` is empty or missing: nothing to import, worth a count. */
  | { readonly kind: 'empty-envelope' }
  /** A GetFindingsStatistics response (`FindingStatistics`/`findingStatistics`). */
  | { readonly kind: 'statistics'; readonly response: Record<string, unknown> };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isEventBridgeEnvelope(o: Record<string, unknown>): boolean {
  if ('detail-type' in o || o['source'] === 'aws.guardduty') return true;
  // Partial envelope (region + detail): a `detail` object and none of a finding's own keys.
  return 'detail' in o && !('id' in o) && !('Id' in o) && !('type' in o) && !('Type' in o);
}

/** Classifies a parsed JSON document. Anything unrecognised is returned as one finding candidate, so flatten can reject it with a reason. */
export function extractDocument(doc: unknown): ExtractedDocument {
  if (Array.isArray(doc)) {
    return { kind: 'findings', findings: doc.flatMap((d) => { const x = extractDocument(d); return x.kind === 'findings' ? x.findings : []; }) };
  }
  if (!isObject(doc)) return { kind: 'findings', findings: [doc] };
  const page = doc['Findings'] ?? doc['findings'];
  if (Array.isArray(page)) return { kind: 'findings', findings: page };
  if (isObject(doc['FindingStatistics']) || isObject(doc['findingStatistics'])) return { kind: 'statistics', response: doc };
  if (isEventBridgeEnvelope(doc)) {
    const detail = doc['detail'];
    if (detail === undefined || detail === null || (isObject(detail) && Object.keys(detail).length === 0)) return { kind: 'empty-envelope' };
    return { kind: 'findings', findings: [detail] };
  }
  return { kind: 'findings', findings: [doc] };
}

/** The finding candidates in a document (empty for empty envelopes and statistics responses). */
export function extractFindings(doc: unknown): unknown[] {
  const x = extractDocument(doc);
  return x.kind === 'findings' ? [...x.findings] : [];
}
