/**
 * Test helpers for the offline AWS: start it for a vitest file with the SDK's env set, and check that
 * an SDK-parsed response carries every member of a schema (unknown wire names are dropped silently).
 */
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

/** Env vars that would make the SDK look elsewhere for credentials or endpoints. */
const CLEARED = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_DEFAULT_REGION', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE'];

/**
 * Starts the emulator before the file's tests, sets `process.env` from its `env` (restored after),
 * closes it after. Read the running emulator from the returned getter inside tests.
 */
export function withEmulator(options: EmulatorOptions = {}): () => RunningEmulator {
  let running: RunningEmulator | undefined;
  const saved = new Map<string, string | undefined>();
  beforeAll(async () => {
    running = await startEmulator(options);
    for (const name of [...CLEARED, ...Object.keys(running.env)]) saved.set(name, process.env[name]);
    for (const name of CLEARED) delete process.env[name];
    Object.assign(process.env, running.env);
  });
  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await running?.close();
  });
  return () => {
    if (!running) throw new Error('the emulator is not running (use the getter inside a test)');
    return running;
  };
}

/** An SDK runtime schema: a structure is `[3, namespace, name, traits, memberNames, memberSchemas]`. */
type Schema = unknown;

/**
 * Paths of members of `schema` that are undefined in `value` (as the SDK parsed it, PascalCase),
 * descending into structures and the first element of lists, at most `depth` levels deep.
 */
export function missingMembers(schema: Schema, value: unknown, path = '', depth = 8): string[] {
  const s = resolve(schema);
  if (!Array.isArray(s) || depth < 0 || value === undefined || value === null) return [];
  if (s[0] === 3) {
    const names = s[4] as string[];
    const members = s[5] as unknown[];
    return names.flatMap((name, i) => {
      const child = (value as Record<string, unknown>)[name];
      if (child === undefined) return [`${path}${name}`];
      return missingMembers(memberSchema(members[i]), child, `${path}${name}.`, depth - 1);
    });
  }
  if (s[0] === 1 && Array.isArray(value) && value.length > 0) {
    return missingMembers(memberSchema(s[4]), value[0], `${path}[0].`.replace('.[0]', '[0]'), depth);
  }
  return [];
}

function resolve(schema: Schema): unknown {
  return typeof schema === 'function' ? (schema as () => unknown)() : schema;
}

function memberSchema(member: unknown): Schema {
  // A member is either a bare schema or `[schema, traits]`.
  if (Array.isArray(member) && member.length === 2 && (typeof member[0] === 'function' || typeof member[0] === 'number')) return member[0];
  return member;
}
