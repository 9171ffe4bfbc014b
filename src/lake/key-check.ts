import { LakeKeyError } from './errors.js';

/**
 * Keys are relative, `/`-separated, and never leave the lake root: no empty, `.` or `..` segment,
 * no leading `/`, no backslash, no control characters. Segments starting with `.` are reserved for
 * in-progress local writes.
 */
export function assertKey(key: string): void {
  if (key.length === 0 || key.length > 1024) throw new LakeKeyError(key, `invalid lake key "${key}": must be 1 to 1024 characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f]/.test(key)) throw new LakeKeyError(key, `invalid lake key "${key}": backslash or control character`);
  const segments = key.split('/');
  if (segments.some((s) => s === '' || s.startsWith('.'))) {
    throw new LakeKeyError(key, `invalid lake key "${key}": empty segment or segment starting with "."`);
  }
}

/** A prefix may be empty or end with `/`; otherwise the same rules as a key. */
export function assertPrefix(prefix: string): void {
  if (prefix === '') return;
  assertKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}
