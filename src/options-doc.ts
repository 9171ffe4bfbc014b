import { OPTIONS, envName } from './options.js';

/** The README's configuration table, generated from the option list so the two never drift. */
export function optionsMarkdownTable(): string {
  const rows = OPTIONS.map((o) => {
    const flag = o.type === 'boolean' ? `\`--${o.name}\`` : `\`--${o.name} <v>\``;
    const dflt = o.default === undefined ? '' : o.default.replace(/\|/g, '\\|');
    return `| ${flag} | \`${envName(o.name)}\` | ${o.commands.join(', ')} | ${o.description.replace(/\|/g, '\\|')} | ${dflt} |`;
  });
  return ['| flag | env | commands | meaning | default |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
