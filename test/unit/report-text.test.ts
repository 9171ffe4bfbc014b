import { describe, expect, it } from 'vitest';
import { safeText } from '../../src/report/text.js';
import { TopN } from '../../src/report/top-n.js';

describe('safeText', () => {
  it.each([
    ['bidi override', 'evil\u202Etxt.exe', 'eviltxt.exe'],
    ['zero-width', 'pay\u200Bpal\u200D', 'paypal'],
    ['BOM and word joiner', '\uFEFFa\u2060b', 'ab'],
    ['control characters', 'a\u0000b\u0007c', 'a b c'],
    ['whitespace runs', '  a \n\t b  ', 'a b'],
    ['javascript URL', 'javascript:alert(1)', 'javascript[:]alert(1)'],
    ['http URL', 'see https://evil.example/x', 'see https[:]//evil.example/x'],
    ['null', null, ''],
    ['number', 7.5, '7.5'],
  ])('%s', (_, input, expected) => {
    expect(safeText(input)).toBe(expected);
  });

  it('trims a 1 MB text to the limit with an ellipsis', () => {
    // Prepare
    const big = 'A'.repeat(1_000_000);
    // Act
    const out = safeText(big, 100);
    // Assess
    expect(out).toHaveLength(100);
    expect(out.endsWith('…')).toBe(true);
  });

  it('leaves Handlebars syntax as text (templates escape, never evaluate data)', () => {
    expect(safeText('{{constructor.constructor}}')).toBe('{{constructor.constructor}}');
  });
});

describe('TopN', () => {
  it.each([
    [[5, 1, 9, 3, 7, 2], 3, [9, 7, 5]],
    [[1, 2], 5, [2, 1]],
    [[4, 4, 4], 2, [4, 4]],
    [[], 3, []],
  ])('keeps the best of %j (capacity %i)', (items, capacity, expected) => {
    // Prepare
    const top = new TopN<number>(capacity, (a, b) => a > b);
    // Act
    for (const x of items) top.offer(x);
    // Assess
    expect(top.sorted()).toEqual(expected);
    expect(top.seen).toBe(items.length);
  });
});
