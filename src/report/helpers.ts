/**
 * Every Handlebars helper the templates use, registered in one place. Helpers return plain strings
 * (escaped by `{{ }}`), never SafeString, so no helper can smuggle markup from finding data.
 */
import type { HelperDelegate } from 'handlebars';
import { SEVERITY_LABELS, type SeverityLabel } from './types.js';

/** Badge colours per severity, chosen for contrast with white text; the label is always printed too. */
export const SEVERITY_COLOURS: Record<SeverityLabel, string> = {
  Critical: '#8b0000',
  High: '#c2410c',
  Medium: '#a16207',
  Low: '#1d4ed8',
};

const isLabel = (v: unknown): v is SeverityLabel => (SEVERITY_LABELS as readonly unknown[]).includes(v);
const fmt = new Intl.NumberFormat('en-US');
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? 0));

/** Signed change with an arrow: `▲ +4`, `▼ −3`, `= 0`. */
export function delta(v: unknown): string {
  const n = num(v);
  if (n > 0) return `▲ +${fmt.format(n)}`;
  if (n < 0) return `▼ −${fmt.format(-n)}`;
  return '= 0';
}

export const HELPERS: Record<string, HelperDelegate> = {
  /** Thousands separators: 1,234,567 */
  num: (v: unknown) => fmt.format(num(v)),
  delta,
  /** Background colour of a severity badge (constant per label, never from data). */
  sevColour: (label: unknown) => (isLabel(label) ? SEVERITY_COLOURS[label] : '#555555'),
  /** One-letter severity mark for narrow cells: C, H, M, L. */
  sevLetter: (label: unknown) => (isLabel(label) ? label[0]! : '?'),
  /** `2026-11-20T10:00:00Z` → `2026-11-20 10:00` */
  when: (iso: unknown) => (typeof iso === 'string' && iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—'),
  /** `2026-11-20T10:00:00Z` → `2026-11-20` */
  day: (iso: unknown) => (typeof iso === 'string' && iso.length >= 10 ? iso.slice(0, 10) : '—'),
  eq: (a: unknown, b: unknown) => a === b,
  gt: (a: unknown, b: unknown) => num(a) > num(b),
  /** `value` or `fallback` when empty. */
  or: (a: unknown, b: unknown) => (a === undefined || a === null || a === '' ? b : a),
  plural: (n: unknown, one: unknown, many: unknown) => (num(n) === 1 ? one : many),
  /** `Production (111111111111)`, or just `111111111111` when the account's name is unknown. */
  account: (name: unknown, id: unknown) => (typeof name === 'string' && name !== '' && name !== id ? `${name} (${String(id ?? '')})` : String(id ?? '')),
};
