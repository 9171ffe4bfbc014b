/**
 * Splits a stream of JSON text into its top-level values without holding the whole text: one
 * document after another (pretty-printed or concatenated), and the elements of a top-level array
 * one by one. Each value comes with the line it starts on. Text that is not valid JSON still comes
 * out as (unparseable) values, so the caller can quarantine it with a reason.
 */
export interface JsonValueText {
  readonly text: string;
  /** 1-based line of the value's first character. */
  readonly line: number;
}

export async function* splitJsonValues(chunks: AsyncIterable<string>): AsyncIterable<JsonValueText> {
  let depth = 0;
  /** Depth at which values are emitted: 0, or 1 inside a top-level array. */
  let level = 0;
  let inString = false;
  let escaped = false;
  let capturing = false;
  /** The current value is a bare scalar (number, true, false, null). */
  let scalar = false;
  let parts: string[] = [];
  let line = 1;
  let startLine = 1;

  for await (const chunk of chunks) {
    let from = capturing ? 0 : -1;
    const out: JsonValueText[] = [];
    const finish = (end: number): void => {
      if (from >= 0) parts.push(chunk.slice(from, end));
      out.push({ text: parts.join(''), line: startLine });
      parts = [];
      from = -1;
      capturing = false;
      scalar = false;
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true; // backslash
        else if (c === 34) {
          inString = false;
          if (capturing && !scalar && depth === level) finish(i + 1); // a bare string value
        }
        continue;
      }
      if (capturing && scalar) {
        if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44 || c === 93 || c === 125) {
          finish(i);
        } else continue;
      }
      if (!capturing) {
        if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44) continue; // whitespace, ','
        if (level === 0 && depth === 0 && c === 91) { // '[' opens a top-level array: stream its elements
          level = 1;
          depth = 1;
          continue;
        }
        if (level === 1 && depth === 1 && c === 93) { // ']' closes the top-level array
          level = 0;
          depth = 0;
          continue;
        }
        capturing = true;
        from = i;
        startLine = line;
        if (c === 34) { inString = true; continue; }
        if (c !== 123 && c !== 91) { scalar = true; continue; }
      } else if (c === 34) {
        inString = true;
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === level) finish(i + 1);
        else if (depth < level) { depth = level; finish(i + 1); } // unbalanced: cut here, the parser will say why
      }
    }
    if (from >= 0) parts.push(chunk.slice(from));
    yield* out;
  }
  if (capturing && parts.join('').trim() !== '') yield { text: parts.join(''), line: startLine };
}
