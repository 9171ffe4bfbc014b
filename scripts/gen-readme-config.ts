/** Rewrites the configuration table between the README's markers from src/options.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { optionsMarkdownTable } from '../src/options-doc.js';

const START = '<!-- config-table:start -->';
const END = '<!-- config-table:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md lacks ${START} … ${END}`);
writeFileSync('README.md', `${readme.slice(0, from + START.length)}\n${optionsMarkdownTable()}\n${readme.slice(to)}`);
