/**
 * Neutralising attacker-controlled text before it reaches a template. Handlebars `{{ }}` does the
 * HTML escaping; this removes what escaping cannot: bidi overrides and zero-width characters
 * (which make text read differently from what it is), control characters, unbounded length, and
 * clickable URL schemes (mail clients auto-link `http://…` in plain text).
 */

/** Bidi embeddings/overrides/isolates, zero-width characters, BOM, soft hyphen, other format chars. */
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const WHITESPACE = /\s+/g;
/** `scheme:` of a URL-looking token; defanged to `scheme[:]` so no client turns it into a link. */
const SCHEME = /\b(https?|ftp|file|javascript|vbscript|data|mailto|ms-[a-z-]+)\s*:/gi;

/** @default 160 characters */
export const DEFAULT_MAX = 160;

/**
 * Makes untrusted text safe to show: invisible/bidi/control characters removed, whitespace
 * collapsed, URL schemes defanged, and trimmed to `max` characters with `…`.
 * Only the first `max * 4` characters are examined, so a 1 MB description costs no more than a short one.
 */
export function safeText(value: unknown, max = DEFAULT_MAX): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (s.length > max * 4) s = s.slice(0, max * 4);
  s = s.replace(INVISIBLE, '').replace(CONTROL, ' ').replace(WHITESPACE, ' ').trim();
  s = s.replace(SCHEME, (_, scheme: string) => `${scheme}[:]`);
  if (s.length > max) {
    // Do not cut a surrogate pair in half.
    let cut = max - 1;
    const code = s.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    s = `${s.slice(0, cut)}…`;
  }
  return s;
}
