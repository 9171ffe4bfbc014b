/**
 * GuardDuty AI investigations of the week, from investigations/ and investigation_records/.
 * Column names are looked up by candidates (and the raw investigation_json as a fallback), so a
 * renamed column degrades to an empty cell instead of a crash.
 */
import type { LakeStore } from '../lake/types.js';
import { findTechniques } from './details.js';
import { openParquet, partitionFiles, type ParquetRow } from './parquet.js';
import { safeText } from './text.js';
import type { InvestigationLine, Technique } from './types.js';
import { isoDate, WEEK_MS, type IsoWeek } from './week.js';

type Json = Record<string, unknown>;

async function readAll(store: LakeStore, table: string, from: string, to: string): Promise<ParquetRow[]> {
  const out: ParquetRow[] = [];
  for (const key of await partitionFiles(store, table, from, to)) {
    const file = await openParquet(store, key);
    try {
      for (const g of file.rowGroups) out.push(...(await file.read([...file.columns], g.start, g.end)));
    } finally {
      await file.close();
    }
  }
  return out;
}

const pick = (row: ParquetRow, json: Json | undefined, columns: string[], path: string[]): unknown => {
  for (const c of columns) if (row[c] !== undefined && row[c] !== null) return row[c];
  let v: unknown = json;
  for (const p of path) v = v && typeof v === 'object' ? ((v as Json)[p] ?? (v as Json)[p[0]!.toLowerCase() + p.slice(1)]) : undefined;
  return v;
};
const instant = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : v instanceof Date ? v.getTime() : NaN);
const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : '');

/** MITRE techniques: the `mitre_techniques` column when present, else any technique id in the raw JSON. */
function techniquesOf(row: ParquetRow, json: Json | undefined, records: ParquetRow[]): Technique[] {
  const col = row.mitre_techniques;
  if (Array.isArray(col) && col.length > 0) {
    const seen = new Map<string, string>();
    for (const t of col as Array<Record<string, unknown>>) {
      const id = typeof t?.technique_uid === 'string' ? t.technique_uid : typeof t?.tactic_uid === 'string' ? t.tactic_uid : undefined;
      if (id === undefined || seen.has(id)) continue;
      const name = t.technique_name ?? t.tactic_name;
      seen.set(id, typeof name === 'string' ? name : '');
    }
    return [...seen].slice(0, 12).map(([id, name]) => ({ id: safeText(id, 16), name: safeText(name, 60) }));
  }
  return findTechniques([json ?? null, ...records.map((r) => r.supporting_data_json ?? null)]);
}

export async function readInvestigations(store: LakeStore, week: IsoWeek, names: ReadonlyMap<string, string>, top: number, maxRecords = 3): Promise<{ rows: InvestigationLine[]; total: number; more: number }> {
  // Investigations are collected by the run after they start: read a week past the report week.
  const from = isoDate(week.start);
  const to = isoDate(week.end + WEEK_MS);
  const rows = await readAll(store, 'investigations', from, to);
  const latest = new Map<string, { row: ParquetRow; json: Json | undefined; start: number; stamp: number }>();
  for (const row of rows) {
    let json: Json | undefined;
    try {
      json = typeof row.investigation_json === 'string' ? (JSON.parse(row.investigation_json) as Json) : undefined;
      if (json && typeof json.Investigation === 'object') json = json.Investigation as Json;
    } catch { json = undefined; }
    const id = pick(row, json, ['investigation_id', 'id'], ['InvestigationId']);
    if (typeof id !== 'string') continue;
    const start = instant(pick(row, json, ['start_time', 'started_at', 'created_at'], ['StartTime']));
    if (!(start >= week.start && start < week.end)) continue;
    const stamp = instant(row.captured_at ?? row.exported_at ?? 0);
    const prev = latest.get(id);
    if (!prev || stamp >= prev.stamp) latest.set(id, { row, json, start, stamp });
  }
  const chosen = [...latest.entries()].sort(([ia, a], [ib, b]) => b.start - a.start || (ia < ib ? -1 : 1));
  const shown = chosen.slice(0, top);
  const wanted = new Set(shown.map(([id]) => id));
  const records = new Map<string, ParquetRow[]>();
  if (wanted.size > 0) {
    for (const r of await readAll(store, 'investigation_records', from, to)) {
      const id = r.investigation_id;
      if (typeof id !== 'string' || !wanted.has(id)) continue;
      const list = records.get(id) ?? [];
      const rid = r.record_id;
      if (typeof rid === 'string' && list.some((x) => x.record_id === rid)) continue;
      list.push(r);
      records.set(id, list);
    }
  }
  return {
    total: chosen.length,
    more: Math.max(0, chosen.length - top),
    rows: shown.map(([id, { row, json, start }]) => {
      const accountId = String(pick(row, json, ['account_id', 'source_account_id'], ['Cloud', 'AccountId']) ?? '');
      const recs = (records.get(id) ?? []).sort((a, b) => instant(a.created_at) - instant(b.created_at));
      const riskLevel = pick(row, json, ['risk_level'], ['RiskLevel']);
      const confidence = pick(row, json, ['confidence', 'confidence_level'], ['Confidence']);
      return {
        id: safeText(id, 80),
        accountId: safeText(accountId, 20),
        accountName: safeText(names.get(accountId) ?? '', 60),
        region: safeText(pick(row, json, ['region'], ['Cloud', 'Region']), 30),
        status: safeText(pick(row, json, ['status'], ['Status']), 30),
        riskLevel: safeText(typeof riskLevel === 'object' ? JSON.stringify(riskLevel) : riskLevel, 30),
        confidence: safeText(typeof confidence === 'object' ? JSON.stringify(confidence) : confidence, 30),
        title: safeText(pick(row, json, ['summary', 'title', 'trigger_prompt'], ['Summary']), 160),
        summary: safeText(pick(row, json, ['narrative'], ['SummaryData', 'KeyObservations', 'Narrative']), 400),
        findingType: safeText(pick(row, json, ['finding_type'], ['SummaryData', 'FindingType']), 100),
        startedAt: iso(start),
        records: recs.slice(0, maxRecords).map((r) => ({
          type: safeText(r.type ?? r.record_type, 40),
          title: safeText(r.title, 140),
          narrative: safeText(r.narrative, 300),
        })),
        recordsMore: Math.max(0, recs.length - maxRecords),
        techniques: techniquesOf(row, json, recs),
      };
    }),
  };
}
