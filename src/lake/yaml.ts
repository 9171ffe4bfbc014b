/**
 * A small YAML writer for the CloudFormation snippet: maps, lists, strings (double-quoted, JSON
 * escapes are valid YAML), numbers and booleans. Intrinsics are written in their long form
 * (`Fn::Sub`) so no custom tags are needed.
 */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

const plainKey = /^[A-Za-z_][A-Za-z0-9_:.-]*$/;
const key = (k: string): string => (plainKey.test(k) ? k : JSON.stringify(k));
const scalar = (v: string | number | boolean | null): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const isScalar = (v: YamlValue): v is string | number | boolean | null => v === null || typeof v !== 'object';
const isEmpty = (v: YamlValue): boolean => (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0);
const inline = (v: YamlValue): string => (Array.isArray(v) ? '[]' : '{}');

export function toYaml(value: YamlValue, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (isScalar(value)) return `${pad}${scalar(value)}\n`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`;
    return value.map((item: YamlValue) => {
      if (isScalar(item) || isEmpty(item)) return `${pad}- ${isScalar(item) ? scalar(item) : inline(item)}\n`;
      const body = toYaml(item, indent + 2);
      return `${pad}- ${body.slice(indent + 2)}`;
    }).join('');
  }
  const entries = Object.entries(value as Record<string, YamlValue>);
  if (entries.length === 0) return `${pad}{}\n`;
  return entries.map(([k, v]) => {
    if (isScalar(v) || isEmpty(v)) return `${pad}${key(k)}: ${isScalar(v) ? scalar(v) : inline(v)}\n`;
    return `${pad}${key(k)}:\n${toYaml(v, indent + 2)}`;
  }).join('');
}
