/**
 * Pass 2: the text of the few findings the report lists (top-N of each list), read from exactly the
 * row groups that hold their winning rows. Every text passes through safeText.
 */
import type { LakeStore } from '../lake/types.js';
import type { FindingIndex } from './finding-index.js';
import { openParquet, type ParquetRow } from './parquet.js';
import { safeText } from './text.js';
import { severityLabel, type AttackSequence, type FindingLine, type Technique } from './types.js';
import { DAY_MS } from './week.js';

const DETAIL_COLUMNS = ['id', 'title', 'description', 'service_event_first_seen', 'service_event_last_seen'];

export type AccountNames = ReadonlyMap<string, string>;

const iso = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? new Date(v).toISOString().replace('.000Z', 'Z') : '');

/** Reads detail rows of `slots` (with finding_json when `withJson`), keyed by slot. */
export async function readDetails(store: LakeStore, index: FindingIndex, slots: Iterable<number>, withJson: ReadonlySet<number>): Promise<Map<number, ParquetRow>> {
  const byFile = new Map<number, number[]>();
  for (const s of slots) {
    const f = index.cols.file[s]!;
    const list = byFile.get(f) ?? [];
    list.push(s);
    byFile.set(f, list);
  }
  const out = new Map<number, ParquetRow>();
  for (const [f, list] of byFile) {
    const file = await openParquet(store, index.files[f]!);
    try {
      for (const group of file.rowGroups) {
        const inGroup = list.filter((s) => index.cols.row[s]! >= group.start && index.cols.row[s]! < group.end);
        if (inGroup.length === 0) continue;
        const rows = await file.read(DETAIL_COLUMNS, group.start, group.end);
        const json = inGroup.some((s) => withJson.has(s)) ? await file.read(['finding_json'], group.start, group.end) : undefined;
        for (const s of inGroup) {
          const i = index.cols.row[s]! - group.start;
          const row = { ...rows[i] };
          if (withJson.has(s)) row.finding_json = json?.[i]?.finding_json;
          out.set(s, row);
        }
      }
    } finally {
      await file.close();
    }
  }
  return out;
}

export function findingLine(index: FindingIndex, slot: number, detail: ParquetRow | undefined, names: AccountNames, weekEnd: number): FindingLine {
  const c = index.cols;
  const accountId = index.accounts.values[c.account[slot]!]!;
  const r = c.resource[slot]!;
  return {
    id: safeText(index.idOf[slot], 80),
    severity: Math.round(c.severity[slot]! * 10) / 10,
    label: severityLabel(c.severity[slot]!),
    type: safeText(index.types.values[c.type[slot]!], 100),
    title: safeText(detail?.title, 140),
    accountId: safeText(accountId, 20),
    accountName: safeText(names.get(accountId) ?? '', 60),
    region: safeText(index.regions.values[c.region[slot]!], 30),
    resourceType: safeText(index.resourceTypes.values[c.resourceType[slot]!], 40),
    resourceId: r === 0xffffffff ? '' : safeText(index.resources.values[r], 80),
    firstSeen: iso(detail?.service_event_first_seen),
    lastSeen: iso(detail?.service_event_last_seen),
    createdAt: iso(c.createdAt[slot]),
    count: c.count[slot]!,
    ageDays: Math.floor((weekEnd - c.createdAt[slot]!) / DAY_MS),
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
/** A member by PascalCase or camelCase name. */
const member = (o: Json | undefined, name: string): unknown => o?.[name] ?? o?.[name[0]!.toLowerCase() + name.slice(1)];
const time = (v: unknown): string => {
  if (typeof v === 'number') return iso(v < 1e11 ? v * 1000 : v);
  if (typeof v === 'string') { const ms = Date.parse(v); return Number.isNaN(ms) ? '' : iso(ms); }
  return '';
};

/** MITRE ATT&CK technique ids (T1234 / T1234.001) found anywhere in a JSON value, with names where given. */
export function findTechniques(value: unknown, limit = 12): Technique[] {
  const found = new Map<string, string>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 12 || found.size >= limit) return;
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\b(T\d{4}(?:\.\d{3})?)\b/g)) if (!found.has(m[1]!) && found.size < limit) found.set(m[1]!, '');
      return;
    }
    if (Array.isArray(v)) { for (const x of v) visit(x, depth + 1); return; }
    const o = obj(v);
    if (!o) return;
    const id = member(o, 'Id');
    if (typeof id === 'string' && /^T\d{4}(\.\d{3})?$/.test(id)) {
      const name = member(o, 'Name');
      found.set(id, typeof name === 'string' ? name : found.get(id) ?? '');
    }
    for (const x of Object.values(o)) visit(x, depth + 1);
  };
  visit(value, 0);
  return [...found].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, name]) => ({ id: safeText(id, 12), name: safeText(name, 60) }));
}

/** An attack-sequence finding with its signals (from finding_json: Service.Detection.Sequence). */
export function attackSequence(line: FindingLine, detail: ParquetRow | undefined, maxSignals: number): AttackSequence {
  let doc: unknown;
  try {
    doc = typeof detail?.finding_json === 'string' ? JSON.parse(detail.finding_json) : undefined;
  } catch {
    doc = undefined;
  }
  const sequence = obj(member(obj(member(obj(member(obj(doc), 'Service')), 'Detection')), 'Sequence'));
  const signalsRaw = member(sequence, 'Signals');
  const signals = Array.isArray(signalsRaw) ? signalsRaw : [];
  const indicators = member(sequence, 'SequenceIndicators');
  return {
    ...line,
    description: safeText(member(sequence, 'Description') ?? detail?.description, 300),
    signals: signals.slice(0, maxSignals).map((raw) => {
      const s = obj(raw);
      const count = member(s, 'Count');
      return {
        name: safeText(member(s, 'Name'), 100),
        type: safeText(member(s, 'Type'), 40),
        description: safeText(member(s, 'Description'), 160),
        count: typeof count === 'number' ? count : Number(count ?? 0) || 0,
        firstSeen: time(member(s, 'FirstSeenAt')),
        lastSeen: time(member(s, 'LastSeenAt')),
      };
    }),
    signalsMore: Math.max(0, signals.length - maxSignals),
    techniques: findTechniques(indicators),
  };
}
