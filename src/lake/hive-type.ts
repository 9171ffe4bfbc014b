/**
 * Hive/Athena DDL types (`array<struct<key:string,value:string>>`) parsed into a tree, and printed
 * as the DuckDB and Presto/Trino spellings of the same type.
 */
export type HiveType =
  | { readonly kind: 'primitive'; readonly name: string }
  | { readonly kind: 'array'; readonly element: HiveType }
  | { readonly kind: 'map'; readonly key: HiveType; readonly value: HiveType }
  | { readonly kind: 'struct'; readonly fields: ReadonlyArray<{ readonly name: string; readonly type: HiveType }> };

/** @throws Error when the text is not a Hive type. */
export function parseHiveType(text: string): HiveType {
  let pos = 0;
  const peek = (): string => text[pos] ?? '';
  const expect = (c: string): void => {
    if (text[pos] !== c) throw new Error(`bad Hive type "${text}": expected "${c}" at ${pos}`);
    pos++;
  };
  const word = (): string => {
    const quoted = /^`((?:[^`]|``)+)`/.exec(text.slice(pos));
    if (quoted?.[1] !== undefined) {
      pos += quoted[0].length;
      return quoted[1].replace(/``/g, '`');
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!m) throw new Error(`bad Hive type "${text}": expected a name at ${pos}`);
    pos += m[0].length;
    return m[0];
  };
  const type = (): HiveType => {
    const name = word().toLowerCase();
    if (name === 'array') {
      expect('<');
      const element = type();
      expect('>');
      return { kind: 'array', element };
    }
    if (name === 'map') {
      expect('<');
      const key = type();
      expect(',');
      const value = type();
      expect('>');
      return { kind: 'map', key, value };
    }
    if (name === 'struct') {
      expect('<');
      const fields: Array<{ name: string; type: HiveType }> = [];
      while (peek() !== '>') {
        if (fields.length > 0) expect(',');
        const field = word();
        expect(':');
        fields.push({ name: field, type: type() });
      }
      expect('>');
      return { kind: 'struct', fields };
    }
    if (name === 'decimal' && peek() === '(') {
      const m = /^\(\d+,\s*\d+\)/.exec(text.slice(pos));
      if (!m) throw new Error(`bad Hive type "${text}": decimal precision at ${pos}`);
      pos += m[0].length;
      return { kind: 'primitive', name: `decimal${m[0].replace(/\s/g, '')}` };
    }
    return { kind: 'primitive', name };
  };
  const out = type();
  if (pos !== text.length) throw new Error(`bad Hive type "${text}": unexpected "${text.slice(pos)}"`);
  return out;
}

/** Athena's reserved keywords in DDL (docs: "Escape reserved keywords in queries"); such names need backticks. */
export const ATHENA_DDL_RESERVED: ReadonlySet<string> = new Set((
  'all alter and array as authorization between bigint binary boolean both by case cashe cast char column conf constraint commit '
  + 'create cross cube current current_date current_timestamp cursor database date dayofweek decimal delete describe distinct div '
  + 'double drop else end exchange exists extended external extract false fetch float floor following for foreign from full function '
  + 'grant group grouping having if import in inner insert int integer intersect interval into is join lateral left less like local '
  + 'macro map more none not null numeric of on only or order out outer over partialscan partition percent preceding precision '
  + 'preserve primary procedure range reads reduce regexp references revoke right rlike rollback rollup row rows select set smallint '
  + 'start table tablesample then time timestamp to transform trigger true truncate unbounded union uniquejoin update user using '
  + 'utc_tmestamp values varchar views when where window with').split(' '));

/** The Hive DDL spelling, with struct field names that are reserved words in backticks (`struct<\`user\`:string>`). */
export function toHiveDdlType(t: HiveType): string {
  switch (t.kind) {
    case 'primitive': return t.name;
    case 'array': return `array<${toHiveDdlType(t.element)}>`;
    case 'map': return `map<${toHiveDdlType(t.key)},${toHiveDdlType(t.value)}>`;
    case 'struct': return `struct<${t.fields.map((f) => `${ATHENA_DDL_RESERVED.has(f.name.toLowerCase()) ? `\`${f.name}\`` : f.name}:${toHiveDdlType(f.type)}`).join(',')}>`;
  }
}

const DUCKDB: Record<string, string> = {
  string: 'VARCHAR', varchar: 'VARCHAR', timestamp: 'TIMESTAMP', double: 'DOUBLE', float: 'FLOAT', bigint: 'BIGINT',
  int: 'INTEGER', integer: 'INTEGER', smallint: 'SMALLINT', tinyint: 'TINYINT', boolean: 'BOOLEAN', date: 'DATE', binary: 'BLOB',
};

const quoteDuck = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The DuckDB spelling (`STRUCT("key" VARCHAR, "value" VARCHAR)[]`). */
export function toDuckDbType(t: HiveType): string {
  switch (t.kind) {
    case 'primitive': return DUCKDB[t.name] ?? t.name.toUpperCase();
    case 'array': return `${toDuckDbType(t.element)}[]`;
    case 'map': return `MAP(${toDuckDbType(t.key)}, ${toDuckDbType(t.value)})`;
    case 'struct': return `STRUCT(${t.fields.map((f) => `${quoteDuck(f.name)} ${toDuckDbType(f.type)}`).join(', ')})`;
  }
}

const PRESTO: Record<string, string> = {
  string: 'varchar', varchar: 'varchar', timestamp: 'timestamp', double: 'double', float: 'real', bigint: 'bigint',
  int: 'integer', integer: 'integer', smallint: 'smallint', tinyint: 'tinyint', boolean: 'boolean', date: 'date', binary: 'varbinary',
};

/** The Presto/Trino spelling (`array(row(key varchar, value varchar))`), as Athena view definitions store it. */
export function toPrestoType(t: HiveType): string {
  switch (t.kind) {
    case 'primitive': return PRESTO[t.name] ?? t.name;
    case 'array': return `array(${toPrestoType(t.element)})`;
    case 'map': return `map(${toPrestoType(t.key)}, ${toPrestoType(t.value)})`;
    case 'struct': return `row(${t.fields.map((f) => `${f.name} ${toPrestoType(f.type)}`).join(', ')})`;
  }
}
