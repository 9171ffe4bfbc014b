import { describe, expect, it } from 'vitest';
import { lastCompleteWeek, parseIsoWeek, resolveWeek, weekContaining, weeksEndingWith } from '../../src/report/week.js';

describe('ISO weeks (UTC)', () => {
  it.each([
    ['2026-11-16T00:00:00Z', '2026-W47', '2026-11-16'],
    ['2026-11-22T23:59:59Z', '2026-W47', '2026-11-16'],
    ['2026-01-01T12:00:00Z', '2026-W01', '2025-12-29'],
    ['2027-01-01T00:00:00Z', '2026-W53', '2026-12-28'],
    ['2021-01-03T00:00:00Z', '2020-W53', '2020-12-28'],
  ])('%s is in %s starting %s', (instant, label, monday) => {
    // Act
    const w = weekContaining(Date.parse(instant));
    // Assess
    expect(w.label).toBe(label);
    expect(new Date(w.start).toISOString().slice(0, 10)).toBe(monday);
    expect(w.end - w.start).toBe(7 * 86_400_000);
  });

  it.each(['2026-W47', '2026-W01', '2026-W53', '2020-W53'])('parses %s back to itself', (label) => {
    expect(parseIsoWeek(label).label).toBe(label);
  });

  it('rejects a week the year does not have', () => {
    expect(() => parseIsoWeek('2025-W53')).toThrow(/no ISO week 53/);
  });

  it('defaults to the last complete week, and --end picks the week containing the date', () => {
    // Prepare: Sunday 2026-11-22 is inside W47, so W46 is the last complete one.
    const now = Date.parse('2026-11-22T10:00:00Z');
    // Act / Assess
    expect(lastCompleteWeek(now).label).toBe('2026-W46');
    expect(resolveWeek({ now }).label).toBe('2026-W46');
    expect(resolveWeek({ now, end: '2026-11-22' }).label).toBe('2026-W47');
    expect(resolveWeek({ now, week: '2026-W40', end: '2026-11-22' }).label).toBe('2026-W40');
  });

  it('lists the 8 weeks of the trend, oldest first', () => {
    const ws = weeksEndingWith(parseIsoWeek('2026-W02'), 8);
    expect(ws.map((w) => w.label)).toEqual(['2025-W47', '2025-W48', '2025-W49', '2025-W50', '2025-W51', '2025-W52', '2026-W01', '2026-W02']);
  });
});
