export { runReportFor, type ReportRunOptions, type ReportRunResult } from './run.js';
export { buildWeeklyReport, DEFAULT_SLA, type BuildOptions } from './build.js';
export { renderWeeklyReport, subjectOf, loadTemplates, BUNDLED_TEMPLATES, type Rendered } from './render.js';
export { queriesFile, weeklyQueries } from './queries.js';
export { sendReport, readSent, sentKey, type SentRecord } from './email.js';
export { safeText } from './text.js';
export { parseIsoWeek, weekContaining, lastCompleteWeek, resolveWeek, type IsoWeek } from './week.js';
export { EmailError, LakeReadError, ReportWriteError, TemplateError } from './errors.js';
export type * from './types.js';
