import { describe, expect, it } from 'vitest';
import { splitJsonValues } from '../../src/lake/json-split.js';

async function split(text: string, chunkSize = 3): Promise<Array<[number, string]>> {
  async function* chunks(): AsyncIterable<string> {
    for (let i = 0; i < text.length; i += chunkSize) yield text.slice(i, i + chunkSize);
  }
  const out: Array<[number, string]> = [];
  for await (const v of splitJsonValues(chunks())) out.push([v.line, v.text]);
  return out;
}

describe('splitJsonValues', () => {
  it.each([
    ['one document', '{"a":1}', [[1, '{"a":1}']]],
    ['pretty-printed documents one after another', '{\n  "a": "}{"\n}\n{\n "b": [1,2]\n}\n', [[1, '{\n  "a": "}{"\n}'], [4, '{\n "b": [1,2]\n}']]],
    ['a top-level array, element by element', '[\n {"id":"x\\"]"},\n {"id":"y"}\n]', [[2, '{"id":"x\\"]"}'], [3, '{"id":"y"}']]],
    ['scalars and strings inside a top-level array', '[1, "two", null]', [[1, '1'], [1, '"two"'], [1, 'null']]],
    ['an envelope kept whole', '{"Findings":[{"Id":"1"},{"Id":"2"}]}', [[1, '{"Findings":[{"Id":"1"},{"Id":"2"}]}']]],
    ['a truncated document at the end', '{"a":1}\n{"b":', [[1, '{"a":1}'], [2, '{"b":']]],
    ['nothing', '  \n ', []],
  ])('%s', async (_what, text, expected) => {
    for (const size of [1, 3, 1000]) expect(await split(text, size)).toEqual(expected);
  });
});
