/**
 * The pieces of a findings window and the bounded merge of their streams.
 */
import { describe, expect, it } from 'vitest';
import { utcDayPieces } from '../../src/collect/findings.js';
import { mergeBounded } from '../../src/collect/merge.js';

const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(iso);

describe('utcDayPieces', () => {
  it.each([
    ['inside one day', '2026-11-20T03:00:00Z', '2026-11-20T09:00:00Z', 8, 1],
    ['a nightly window across midnight', '2026-11-20T23:45:00Z', '2026-11-21T23:45:00Z', 8, 2],
    ['90 days into at most 8 pieces', '2026-08-24T00:00:00Z', '2026-11-22T00:00:00Z', 8, 8],
    ['90 days, one piece', '2026-08-24T00:00:00Z', '2026-11-22T00:00:00Z', 1, 1],
  ])('%s', (_name, from, to, maxPieces, expected) => {
    // Act
    const pieces = utcDayPieces({ fromMs: at(from), toMs: at(to) }, maxPieces);
    // Assess: the count, and together they are the window: disjoint, contiguous, cut at midnights
    expect(pieces).toHaveLength(expected);
    expect(pieces[0]?.fromMs).toBe(at(from));
    expect(pieces.at(-1)?.toMs).toBe(at(to));
    for (let i = 1; i < pieces.length; i++) {
      expect(pieces[i]?.fromMs).toBe((pieces[i - 1]?.toMs ?? 0) + 1);
      expect((pieces[i]?.fromMs ?? 1) % DAY).toBe(0);
    }
  });
});

async function* source(name: string, n: number, log: string[]): AsyncGenerator<string> {
  log.push(`start ${name}`);
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 1));
    yield `${name}${i}`;
  }
  log.push(`end ${name}`);
}

describe('mergeBounded', () => {
  it('yields every item of every source once, each source in its own order, at most `concurrency` running', async () => {
    // Prepare
    const log: string[] = [];
    const sources = ['a', 'b', 'c', 'd'].map((name) => () => source(name, 3, log));
    // Act
    const out: string[] = [];
    for await (const item of mergeBounded(sources, 2)) out.push(item);
    // Assess
    expect([...out].sort()).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'c0', 'c1', 'c2', 'd0', 'd1', 'd2']);
    for (const name of ['a', 'b', 'c', 'd']) expect(out.filter((x) => x.startsWith(name))).toEqual([0, 1, 2].map((i) => `${name}${i}`));
    let running = 0;
    let most = 0;
    for (const entry of log) {
      running += entry.startsWith('start') ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });

  it('ends with the error of a failing source and closes the others', async () => {
    // Prepare
    let closed = false;
    async function* endless(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) {
          await new Promise((r) => setTimeout(r, 1));
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    async function* failing(): AsyncGenerator<number> {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('ListFindings failed');
    }
    // Act
    const run = async (): Promise<void> => { for await (const _ of mergeBounded([endless, failing], 2)) { /* drain */ } };
    // Assess
    await expect(run()).rejects.toThrow('ListFindings failed');
    expect(closed).toBe(true);
  });
});
