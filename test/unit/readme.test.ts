import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionsMarkdownTable } from '../../src/options-doc.js';

describe('README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('shows the two commands a newcomer gets', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });

  it('has the configuration table generated from src/options.ts (run `npm run gen:readme`)', () => {
    expect(readme).toContain(optionsMarkdownTable());
  });

  it('CI runs exactly the README test command', () => {
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).toMatch(/^npm ci && npm test$/m);
  });
});
