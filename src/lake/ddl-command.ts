import type { CommandHandler } from '../types.js';

/** Placeholder until the ddl command lands (see its issue). */
export const runDdl: CommandHandler<'ddl'> = async (_config, ctx) => {
  ctx.log.error('the ddl command is not built yet');
  return 1;
};
