import type { CommandHandler } from '../types.js';

/** Placeholder until the import command lands (see its issue). */
export const runImport: CommandHandler<'import'> = async (_config, ctx) => {
  ctx.log.error('the import command is not built yet');
  return 1;
};
