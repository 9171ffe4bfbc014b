import type { CommandHandler } from '../types.js';

/** Placeholder until the export command lands (see its issue). */
export const runExport: CommandHandler<'export'> = async (_config, ctx) => {
  ctx.log.error('the export command is not built yet');
  return 1;
};
