/**
 * Value coercion for flatten, compiled once per column from its {@link ValueShape}. Accepts the loose
 * encodings seen in real findings: numbers as strings, booleans as "true"/"false", timestamps in any
 * encoding, PascalCase (SDK) or camelCase (wire `jsonName`) keys inside nested structures.
 */
import { parseTimestamp } from './timestamps.js';
import type { ValueShape } from './types.js';

/** Converts a present (non-null) input value; returns null when it cannot be represented. */
export type Converter = (value: unknown) => unknown;

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export function toText(v: unknown): string | null {
  switch (typeof v) {
    case 'string': return v;
    case 'number': case 'boolean': case 'bigint': return String(v);
    case 'object': return v === null ? null : v instanceof Date ? v.toISOString() : JSON.stringify(v);
    default: return null;
  }
}

export function toDouble(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && NUMERIC.test(v)) { const n = Number(v); return Number.isFinite(n) ? n : null; }
  if (typeof v === 'bigint') return Number(v);
  return null;
}

export function toInt(v: unknown): number | null {
  const n = toDouble(v);
  if (n === null) return null;
  const t = Math.trunc(n);
  return t >= -2147483648 && t <= 2147483647 ? t : null;
}

export function toBigint(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return BigInt(v.trim());
  const n = toDouble(v);
  return n === null ? null : BigInt(Math.trunc(n));
}

export function toBoolean(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    return null;
  }
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : null;
  return null;
}

/** JSON text: objects/arrays serialised; a string that already holds a JSON object/array is kept as is. */
export function toJsonText(v: unknown): string | null {
  if (typeof v === 'string') {
    const c = v.trimStart().charAt(0);
    return c === '{' || c === '[' ? v : JSON.stringify(v);
  }
  if (v === undefined) return null;
  return JSON.stringify(v);
}

/**
 * `Service.AdditionalInfo`: the SDK shape is `{Value: "<json>", Type}` and the wire shape free-form keys,
 * often plus `value: "<json>"`. The raw `value`/`Value` JSON is kept when present, else the object.
 */
export function additionalInfoText(v: unknown): string | null {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const raw = o['Value'] ?? o['value'];
    if (typeof raw === 'string' && Object.keys(o).every((k) => k === 'Value' || k === 'value' || k === 'Type' || k === 'type')) return raw;
  }
  return toJsonText(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** Compiles a converter for a shape. */
export function compileConverter(shape: ValueShape): Converter {
  switch (shape.kind) {
    case 'string': return toText;
    case 'double': return toDouble;
    case 'int': return toInt;
    case 'bigint': return toBigint;
    case 'boolean': return toBoolean;
    case 'timestamp': return parseTimestamp;
    case 'json': return toJsonText;
    case 'list': {
      const element = compileConverter(shape.element);
      return (v) => {
        if (Array.isArray(v)) {
          const out = new Array<unknown>(v.length);
          for (let i = 0; i < v.length; i++) { const e = v[i]; out[i] = e === null || e === undefined ? null : element(e); }
          return out;
        }
        return v === null || v === undefined ? null : [element(v)];
      };
    }
    case 'struct': {
      const fields = shape.fields.map((f) => ({ name: f.name, key: f.key, jsonKey: f.jsonKey, convert: compileConverter(f.shape) }));
      return (v) => {
        if (!isPlainObject(v)) return null;
        const out: Record<string, unknown> = {};
        for (const f of fields) {
          let x = v[f.key];
          if (x === undefined || x === null) x = v[f.jsonKey];
          out[f.name] = x === undefined || x === null ? null : f.convert(x);
        }
        return out;
      };
    }
  }
}
