/**
 * Deterministic randomness: everything the emulator invents derives from (seed, indices) through
 * these functions, so the same seed gives the same bytes and any finding can be rebuilt on demand.
 */

/** Mixes 32-bit integers into one well-spread unsigned 32-bit hash. */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h = Math.imul(h, 0x297a2d39);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** Hash of a string (FNV-1a), to feed names into {@link hash32}. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const HEX_DIGITS = '0123456789abcdef';

/** A small seeded generator (mulberry32). */
export class Rng {
  private state: number;
  constructor(...seedParts: number[]) {
    this.state = hash32(...seedParts);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** `length` lowercase hex characters. */
  hex(length: number): string {
    let out = '';
    let bits = 0;
    for (let i = 0; i < length; i++) {
      if (i % 8 === 0) bits = Math.floor(this.next() * 0x100000000);
      out += HEX_DIGITS[bits & 15];
      bits >>>= 4;
    }
    return out;
  }

  /** `length` characters from `alphabet`. */
  chars(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** A 12-digit account id (never starting with 0). */
  accountId(): string {
    return String(this.int(1, 9)) + Array.from({ length: 11 }, () => this.int(0, 9)).join('');
  }

  ipv4(): string {
    return `${this.int(11, 223)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
}
