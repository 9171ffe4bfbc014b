/**
 * Timestamp parsing for every encoding seen in GuardDuty data: Date objects (SDK), ISO-8601 with or
 * without fraction/offset, `YYYY-MM-DD hh:mm:ss.fff[+hh:mm]` (Python str(datetime), Panther), date only,
 * epoch seconds (int, float, scientific notation, as number or string), epoch milliseconds.
 */

/** Below this absolute value an epoch number is seconds, at or above it milliseconds (1e11 s ≈ year 5138). */
const EPOCH_MS_THRESHOLD = 1e11;
/** At or above this, microseconds (1e14 ms ≈ year 5138). */
const EPOCH_US_THRESHOLD = 1e14;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function fromEpochNumber(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  const abs = Math.abs(n);
  if (abs < EPOCH_MS_THRESHOLD) return Math.round(n * 1000);
  if (abs < EPOCH_US_THRESHOLD) return Math.round(n);
  return Math.round(n / 1000);
}

/** `2022-01-28T21:12:25.478Z` / `2018-01-08T00:43:49Z`: the common case, parsed natively. */
function isPlainIsoUtc(s: string): boolean {
  return (s.length === 24 || s.length === 20) && s.charCodeAt(10) === 84 /* T */ && s.charCodeAt(s.length - 1) === 90 /* Z */ && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45;
}

function fromText(text: string): number | null {
  if (isPlainIsoUtc(text)) { const t = Date.parse(text); if (Number.isFinite(t)) return t; }
  const s = text.trim();
  if (s === '') return null;
  const m = DATE_TIME.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, frac, zone] = m;
    const ms = frac ? Number((frac + '00').slice(0, 3)) : 0;
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), ms);
    if (zone && zone !== 'Z' && zone !== 'z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
      t -= sign * offsetMin * 60_000;
    }
    return Number.isFinite(t) ? t : null;
  }
  if (NUMERIC.test(s)) return fromEpochNumber(Number(s));
  // RFC 1123 / other Date.parse-able text (HTTP dates); Date.parse returns NaN otherwise.
  const parsed = /[a-zA-Z]{3}/.test(s) ? Date.parse(s) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

/** Epoch milliseconds (UTC) of a timestamp in any supported encoding; null when absent or unparseable. */
export function parseTimestampMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return fromText(value);
  if (typeof value === 'number') return fromEpochNumber(value);
  if (value instanceof Date) { const t = value.getTime(); return Number.isFinite(t) ? t : null; }
  if (typeof value === 'bigint') return fromEpochNumber(Number(value));
  return null;
}

/** Like {@link parseTimestampMs} but a Date. */
export function parseTimestamp(value: unknown): Date | null {
  const ms = parseTimestampMs(value);
  return ms === null ? null : new Date(ms);
}
