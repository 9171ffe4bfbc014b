/**
 * Rendering the WeeklyReport with Handlebars: templates/weekly-report.hbs (HTML),
 * templates/weekly-report.txt.hbs (text) and templates/partials/*.hbs; `--templates DIR` overrides
 * any of them by file name.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { TemplateError } from './errors.js';
import { delta, HELPERS, SEVERITY_COLOURS } from './helpers.js';
import { SEVERITY_LABELS, type WeeklyReport } from './types.js';

/** The templates shipped with the package (templates/ at the package root). */
export const BUNDLED_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface Rendered {
  readonly html: string;
  readonly text: string;
  readonly subject: string;
}

/** `GuardDuty weekly 2026-W47: 2 Critical, 11 High (+4)` — change in new Critical+High vs the week before. */
export function subjectOf(report: WeeklyReport): string {
  const tile = (l: string) => report.tiles.find((t) => t.label === l);
  const c = tile('Critical');
  const h = tile('High');
  const now = (c?.newThisWeek ?? 0) + (h?.newThisWeek ?? 0);
  const before = (c?.newPreviousWeek ?? 0) + (h?.newPreviousWeek ?? 0);
  const d = now - before;
  const sign = d > 0 ? `+${d}` : d < 0 ? `-${-d}` : '±0';
  return `GuardDuty weekly ${report.week}: ${c?.newThisWeek ?? 0} Critical, ${h?.newThisWeek ?? 0} High (${sign})`;
}

/** What the templates see: the report plus presentation-only values (bar widths, arrows). */
export function viewOf(report: WeeklyReport) {
  const max = Math.max(1, ...report.trend.map((w) => w.total));
  return {
    ...report,
    subject: subjectOf(report),
    severityLabels: SEVERITY_LABELS.map((label) => ({ label, colour: SEVERITY_COLOURS[label] })),
    tiles: report.tiles.map((t) => ({ ...t, changeText: delta(t.change), colour: SEVERITY_COLOURS[t.label] })),
    trend: report.trend.map((w) => {
      const segments = SEVERITY_LABELS.filter((l) => w.counts[l] > 0).map((label) => ({
        label,
        count: w.counts[label],
        colour: SEVERITY_COLOURS[label],
        // Whole percent of the widest week, at least 1 so a non-zero count stays visible.
        width: Math.max(1, Math.round((w.counts[label] / max) * 100)),
      }));
      const used = segments.reduce((a, s) => a + s.width, 0);
      return { ...w, segments, rest: Math.max(0, 100 - used) };
    }),
    slaText: (['critical', 'high', 'medium', 'low'] as const)
      .filter((k) => report.ageing.sla[k] !== undefined)
      .map((k) => `${k[0]!.toUpperCase()}${k.slice(1)} ${report.ageing.sla[k]} d`).join(', '),
    overdueList: SEVERITY_LABELS.map((label) => ({ label, count: report.ageing.overdue[label], colour: SEVERITY_COLOURS[label] })),
  };
}

async function readIf(path: string): Promise<string | undefined> {
  return existsSync(path) ? readFile(path, 'utf8') : undefined;
}

async function partialsIn(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const pdir = join(dir, 'partials');
  if (!existsSync(pdir)) return out;
  for (const f of await readdir(pdir)) {
    if (f.endsWith('.hbs')) out.set(basename(f, '.hbs'), await readFile(join(pdir, f), 'utf8'));
  }
  return out;
}

/** A Handlebars environment with our helpers and the partials (bundled, overridden by `dir`'s). */
export async function loadTemplates(dir?: string): Promise<{ html: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate }> {
  const hb = Handlebars.create();
  hb.registerHelper(HELPERS);
  const partials = await partialsIn(BUNDLED_TEMPLATES);
  if (dir !== undefined) {
    if (!existsSync(dir)) throw new TemplateError(`templates directory ${dir} does not exist`);
    for (const [k, v] of await partialsIn(dir)) partials.set(k, v);
  }
  for (const [k, v] of partials) hb.registerPartial(k, v);
  const load = async (name: string): Promise<string> => {
    const own = dir === undefined ? undefined : await readIf(join(dir, name));
    const text = own ?? (await readIf(join(BUNDLED_TEMPLATES, name)));
    if (text === undefined) throw new TemplateError(`template ${name} not found`);
    return text;
  };
  try {
    const opts = { strict: false, noEscape: false } as const;
    return { html: hb.compile(await load('weekly-report.hbs'), opts), text: hb.compile(await load('weekly-report.txt.hbs'), { ...opts, noEscape: true }) };
  } catch (e) {
    throw new TemplateError(`cannot compile the report templates: ${(e as Error).message}`, { cause: e });
  }
}

/** Renders the HTML page, the plain-text part and the email subject. */
export async function renderWeeklyReport(report: WeeklyReport, templatesDir?: string): Promise<Rendered> {
  const t = await loadTemplates(templatesDir);
  const view = viewOf(report);
  try {
    return { html: t.html(view), text: t.text(view), subject: view.subject };
  } catch (e) {
    throw new TemplateError(`rendering the report failed: ${(e as Error).message}`, { cause: e });
  }
}
