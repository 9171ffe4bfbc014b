/**
 * Loads the INSTALLED @aws-sdk/client-guardduty Smithy schema (dist-es/schemas/schemas_0.js) as data.
 * The file is ESM with extensionless imports that Node cannot resolve, so its text is evaluated with
 * the two imports stubbed (they only register error classes). Used by gen:columns and by the test
 * that fails when the SDK grows a finding field the column list lacks.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A member's schema: a number (simple type, `64|x` list of simple, `128|x` map of simple) or a thunk. */
export type SchemaRef = number | (() => unknown);
/** [3, namespace, name, traits, memberNames, memberSchemas] */
export type StructSchema = [number, string, string, unknown, string[], Array<SchemaRef | [SchemaRef, Record<string, unknown>]>];

export const SIMPLE = { STRING: 0, NUMERIC: 1, BOOLEAN: 2, TIMESTAMP_DEFAULT: 4, TIMESTAMP_DATE_TIME: 5, TIMESTAMP_HTTP_DATE: 6, TIMESTAMP_EPOCH_SECONDS: 7, DOCUMENT: 15, BIG_INTEGER: 17, BIG_DECIMAL: 19, BLOB: 21, LIST: 64, MAP: 128 } as const;

export function schemaFilePath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@aws-sdk/client-guardduty/package.json');
  return path.join(path.dirname(pkg), 'dist-es', 'schemas', 'schemas_0.js');
}

export function sdkVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@aws-sdk/client-guardduty/package.json') as { version: string }).version;
}

/** All `export var X$ = …` schemas of the installed SDK, by name. */
export function loadSdkSchemas(): Record<string, unknown> {
  const text = readFileSync(schemaFilePath(), 'utf8');
  const exported: string[] = [];
  const body = text
    .replace(/^import .*$/gm, '')
    .replace(/^export (?:const|let) /gm, "const ")
    .replace(/^export var ([\w$]+)/gm, (_m, name: string) => { exported.push(name); return `var ${name}`; });
  const stub = 'class TypeRegistry { constructor() {} registerError() {} register() {} }\n'
    + 'class AccessDeniedException {} class BadRequestException {} class ConflictException {} class InternalServerErrorException {} class ResourceNotFoundException {} class GuardDutyServiceException {}\n';
  const fn = new Function(`${stub}${body}\nreturn { ${exported.join(', ')} };`) as () => Record<string, unknown>;
  return fn();
}

export interface Member { name: string; jsonName: string; schema: unknown }

/** Resolves a thunk/number/array member schema. */
export function resolve(ref: unknown): unknown {
  return typeof ref === 'function' ? (ref as () => unknown)() : ref;
}

export function isStruct(s: unknown): s is StructSchema {
  return Array.isArray(s) && s[0] === 3;
}

/** [1, ns, name, traits, memberSchema] */
export function isList(s: unknown): s is [number, string, string, unknown, unknown] {
  return Array.isArray(s) && s[0] === 1;
}
export function isMap(s: unknown): boolean {
  return Array.isArray(s) && s[0] === 2;
}
/** A simple-type schema wrapped with traits: [0, ns, name, traits, simpleType]. */
export function isSimpleWrapper(s: unknown): s is [number, string, string, unknown, number] {
  return Array.isArray(s) && s[0] === 0;
}

export function structName(s: StructSchema): string { return s[2]; }

/** A member/element entry is either a bare ref or `[ref, traits]` (traits: 0 or `{ jsonName, … }`). */
export function unwrap(entry: unknown): { ref: unknown; traits: Record<string, unknown> } {
  if (Array.isArray(entry) && entry.length === 2 && (typeof entry[0] === 'function' || typeof entry[0] === 'number')
    && (typeof entry[1] === 'number' || (typeof entry[1] === 'object' && entry[1] !== null))) {
    return { ref: resolve(entry[0]), traits: typeof entry[1] === 'object' ? entry[1] as Record<string, unknown> : {} };
  }
  return { ref: resolve(entry), traits: {} };
}

export function members(s: StructSchema): Member[] {
  const names = s[4];
  const schemas = s[5];
  return names.map((name, i) => {
    const { ref, traits } = unwrap(schemas[i]);
    const jn = traits['jsonName'];
    const jsonName = typeof jn === 'string' ? jn : name.charAt(0).toLowerCase() + name.slice(1);
    return { name, jsonName, schema: ref };
  });
}

/** Element schema of a list (`[1,…,element]`) or `64|x`. */
export function listElement(s: unknown): unknown {
  if (typeof s === 'number') return s & ~SIMPLE.LIST;
  return unwrap((s as unknown[])[4]).ref;
}
