/**
 * Column encoders: a column's JS values → Arrow `Data`, written straight into typed arrays.
 * apache-arrow's generic builders cost ~140 µs per 341-column row here (and ~35 KB of transient memory
 * per row); these encoders do the same work several times faster — see docs/decisions.md.
 */
import { Data, DataType, Field, Type, makeBuilder, makeData, type List, type Struct } from 'apache-arrow';
import { ParquetEncodeError } from './errors.js';

/** Encodes one column (all rows of a batch) into Arrow Data. */
export type ColumnEncoder = (values: readonly unknown[]) => Data;

const TWO_32 = 4294967296;

/** makeData with the props checked by us, not by its per-type overloads. */
function mk(props: Record<string, unknown>): Data { return makeData(props as never) as Data; }

function validity(n: number): Uint8Array { return new Uint8Array((n + 7) >> 3); }

function utf8Encoder(type: DataType): ColumnEncoder {
  return (values) => {
    const n = values.length;
    const offsets = new Int32Array(n + 1);
    const bitmap = validity(n);
    const parts: string[] = [];
    let bytes = 0;
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      let v = values[i];
      if (v === null || v === undefined) { nulls++; offsets[i + 1] = bytes; continue; }
      if (typeof v !== 'string') v = typeof v === 'object' ? JSON.stringify(v) : String(v);
      const s = v as string;
      parts.push(s);
      bytes += Buffer.byteLength(s, 'utf8');
      bitmap[i >> 3]! |= 1 << (i & 7);
      offsets[i + 1] = bytes;
    }
    const buf = Buffer.from(parts.join(''), 'utf8');
    if (buf.length !== bytes) throw new ParquetEncodeError(`utf8 length mismatch (${buf.length} != ${bytes})`);
    const data = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    return mk({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null, valueOffsets: offsets, data });
  };
}

function numberEncoder(type: DataType, Array_: Float64ArrayConstructor | Int32ArrayConstructor, int: boolean): ColumnEncoder {
  return (values) => {
    const n = values.length;
    const data = new Array_(n);
    const bitmap = validity(n);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const x = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (v === null || v === undefined || Number.isNaN(x) || (int && !Number.isFinite(x))) { nulls++; continue; }
      data[i] = int ? Math.trunc(x) : x;
      bitmap[i >> 3]! |= 1 << (i & 7);
    }
    return mk({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null, data });
  };
}

/** Int64 and TimestampMillisecond: 64-bit little-endian values written as two int32 halves (no BigInt per value for Dates). */
function int64Encoder(type: DataType): ColumnEncoder {
  return (values) => {
    const n = values.length;
    const data = new BigInt64Array(n);
    const halves = new Int32Array(data.buffer);
    const bitmap = validity(n);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v === 'bigint') { data[i] = v; bitmap[i >> 3]! |= 1 << (i & 7); continue; }
      const x = v instanceof Date ? v.getTime() : typeof v === 'number' ? Math.trunc(v) : Number.NaN;
      if (!Number.isFinite(x)) { nulls++; continue; }
      const hi = Math.floor(x / TWO_32);
      halves[2 * i] = (x - hi * TWO_32) | 0;
      halves[2 * i + 1] = hi;
      bitmap[i >> 3]! |= 1 << (i & 7);
    }
    return mk({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null, data });
  };
}

function boolEncoder(type: DataType): ColumnEncoder {
  return (values) => {
    const n = values.length;
    const data = validity(n);
    const bitmap = validity(n);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== 'boolean') { nulls++; continue; }
      bitmap[i >> 3]! |= 1 << (i & 7);
      if (v) data[i >> 3]! |= 1 << (i & 7);
    }
    return mk({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null, data });
  };
}

function listEncoder(type: List): ColumnEncoder {
  const child = compileEncoder(type.valueType);
  return (values) => {
    const n = values.length;
    const offsets = new Int32Array(n + 1);
    const bitmap = validity(n);
    const items: unknown[] = [];
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (Array.isArray(v)) {
        for (const e of v) items.push(e);
        bitmap[i >> 3]! |= 1 << (i & 7);
      } else nulls++;
      offsets[i + 1] = items.length;
    }
    return mk({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null, valueOffsets: offsets, child: child(items) });
  };
}

function structEncoder(type: Struct): ColumnEncoder {
  const fields = type.children.map((f: Field) => ({ name: f.name, encode: compileEncoder(f.type) }));
  return (values) => {
    const n = values.length;
    const bitmap = validity(n);
    let nulls = 0;
    const columns = fields.map(() => new Array<unknown>(n));
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || typeof v !== 'object') {
        nulls++;
        for (const c of columns) c[i] = null;
        continue;
      }
      bitmap[i >> 3]! |= 1 << (i & 7);
      const o = v as Record<string, unknown>;
      for (let f = 0; f < fields.length; f++) (columns[f] as unknown[])[i] = o[(fields[f] as { name: string }).name] ?? null;
    }
    const children = fields.map((f, k) => f.encode(columns[k] as unknown[]));
    return mk({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null, children });
  };
}

/** Any other type: apache-arrow's builder (slower; not used by the lake tables today). */
function builderEncoder(type: DataType): ColumnEncoder {
  return (values) => {
    const b = makeBuilder({ type, nullValues: [null, undefined] });
    for (const v of values) b.append(v);
    return b.finish().flush() as Data;
  };
}

/** Compiles the encoder for an Arrow type. */
export function compileEncoder(type: DataType): ColumnEncoder {
  switch (type.typeId) {
    case Type.Utf8: return utf8Encoder(type);
    case Type.Float: return numberEncoder(type, Float64Array, false);
    case Type.Int:
      if ((type as unknown as { bitWidth: number }).bitWidth === 64) return int64Encoder(type);
      if ((type as unknown as { bitWidth: number }).bitWidth === 32) return numberEncoder(type, Int32Array, true);
      return builderEncoder(type);
    case Type.Timestamp: return int64Encoder(type);
    case Type.Bool: return boolEncoder(type);
    case Type.List: return listEncoder(type as List);
    case Type.Struct: return structEncoder(type as Struct);
    default: return builderEncoder(type);
  }
}
