/** ISO-8601 weeks in UTC: Monday 00:00 to the next Monday 00:00 (exclusive). */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface IsoWeek {
  /** `2026-W47` */
  readonly label: string;
  /** Monday 00:00 UTC, epoch ms. */
  readonly start: number;
  /** The following Monday 00:00 UTC, epoch ms (exclusive). */
  readonly end: number;
}

/** Monday 00:00 UTC of the ISO week containing `ms`. */
function mondayOf(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday; ISO weekday Monday=0 … Sunday=6.
  const weekday = (day + 3) % 7;
  return (day - weekday) * DAY_MS;
}

/** The ISO week that contains the instant `ms`. */
export function weekContaining(ms: number): IsoWeek {
  const start = mondayOf(ms);
  const thursday = new Date(start + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / WEEK_MS) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, start, end: start + WEEK_MS };
}

/** Parses `2026-W47`; throws RangeError when the year has no such week. */
export function parseIsoWeek(label: string): IsoWeek {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new RangeError(`"${label}" is not an ISO week like 2026-W47`);
  const year = Number(m[1]);
  const n = Number(m[2]);
  // Week 1 is the week containing January 4th.
  const week1 = mondayOf(Date.UTC(year, 0, 4));
  const w = weekContaining(week1 + (n - 1) * WEEK_MS);
  if (w.label !== label) throw new RangeError(`${year} has no ISO week ${n}`);
  return w;
}

/** The last complete ISO week before `now` (the one before the week containing now). */
export function lastCompleteWeek(now: number): IsoWeek {
  return weekContaining(mondayOf(now) - WEEK_MS);
}

/** The week chosen by `--week` / `--end`, else the last complete week. */
export function resolveWeek(options: { week?: string | undefined; end?: string | undefined; now: number }): IsoWeek {
  if (options.week !== undefined) return parseIsoWeek(options.week);
  if (options.end !== undefined) {
    const ms = Date.parse(`${options.end}T00:00:00Z`);
    if (Number.isNaN(ms)) throw new RangeError(`"${options.end}" is not a date`);
    return weekContaining(ms);
  }
  return lastCompleteWeek(options.now);
}

/** `count` consecutive weeks ending with `last` (oldest first). */
export function weeksEndingWith(last: IsoWeek, count: number): IsoWeek[] {
  const out: IsoWeek[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(weekContaining(last.start - i * WEEK_MS));
  return out;
}

/** `YYYY-MM-DD` of an epoch-ms instant (UTC). */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export { DAY_MS, WEEK_MS };
