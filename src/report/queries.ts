/**
 * The SQL behind each number of the report, runnable in Athena against the DDL's tables
 * (findings, investigations, investigation_records). Saved beside the report as queries.sql.
 */
import type { NamedQuery, Sla } from './types.js';
import { DAY_MS, isoDate, type IsoWeek } from './week.js';

const ts = (ms: number): string => `TIMESTAMP '${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}'`;

const SEVERITY = `CASE WHEN severity >= 9 THEN 'Critical' WHEN severity >= 7 THEN 'High' WHEN severity >= 4 THEN 'Medium' ELSE 'Low' END`;

/** Latest version of each finding as of the week's end (the lake keeps every version). */
function latest(week: IsoWeek): string {
  return `WITH latest AS (
  SELECT * FROM (
    SELECT f.*, ${SEVERITY} AS severity_band,
           row_number() OVER (PARTITION BY id ORDER BY updated_at DESC, exported_at DESC) AS rn
    FROM findings f
    WHERE dt < '${isoDate(week.end)}' AND updated_at < ${ts(week.end)}
  ) t WHERE rn = 1
)`;
}

export function weeklyQueries(weeks: readonly IsoWeek[], sla: Sla, top: number): NamedQuery[] {
  const week = weeks[weeks.length - 1]!;
  const prev = weeks[weeks.length - 2] ?? { start: week.start - 7 * DAY_MS };
  const first = weeks[0]!;
  const w = latest(week);
  const thisWeek = `created_at >= ${ts(week.start)} AND created_at < ${ts(week.end)}`;
  const overdue = (['critical', 'high', 'medium', 'low'] as const)
    .filter((k) => sla[k] !== undefined)
    .map((k) => `(severity_band = '${k[0]!.toUpperCase()}${k.slice(1)}' AND created_at < ${ts(week.end - sla[k]! * DAY_MS)})`)
    .join('\n       OR ');
  return [
    {
      name: 'severity_tiles',
      title: 'Severity tiles: new this week, new the week before, open at week end',
      sql: `${w}
SELECT severity_band,
       count_if(${thisWeek}) AS new_this_week,
       count_if(created_at >= ${ts(prev.start)} AND created_at < ${ts(week.start)}) AS new_previous_week,
       count_if(NOT coalesce(service_archived, false)) AS open_at_week_end
FROM latest
GROUP BY severity_band
ORDER BY severity_band;`,
    },
    {
      name: 'trend',
      title: `New findings per week and severity, ${first.label} to ${week.label}`,
      sql: `${w}
SELECT date_trunc('week', created_at) AS week_start, severity_band, count(*) AS findings
FROM latest
WHERE created_at >= ${ts(first.start)} AND created_at < ${ts(week.end)}
GROUP BY 1, 2
ORDER BY 1, 2;`,
    },
    {
      name: 'top_types',
      title: 'Top finding types (findings updated this week)',
      sql: `${w}
SELECT type, count(*) AS findings, count_if(severity_band = 'Critical') AS critical, count_if(severity_band = 'High') AS high
FROM latest
WHERE updated_at >= ${ts(week.start)}
GROUP BY type
ORDER BY findings DESC, type
LIMIT ${top};`,
    },
    {
      name: 'top_accounts',
      title: 'Most affected accounts (findings updated this week)',
      sql: `${w}
SELECT account_id, count(*) AS findings, count_if(severity_band = 'Critical') AS critical, count_if(severity_band = 'High') AS high
FROM latest
WHERE updated_at >= ${ts(week.start)}
GROUP BY account_id
ORDER BY findings DESC, account_id
LIMIT ${top};`,
    },
    {
      name: 'top_resources',
      title: 'Most affected resources (findings updated this week)',
      sql: `${w}
SELECT resource_id, arbitrary(resource_resource_type) AS resource_type, arbitrary(account_id) AS account_id, count(*) AS findings
FROM latest
WHERE updated_at >= ${ts(week.start)} AND resource_id IS NOT NULL
GROUP BY resource_id
ORDER BY findings DESC, resource_id
LIMIT ${top};`,
    },
    {
      name: 'new_high_critical',
      title: 'New High and Critical findings this week (all of them)',
      sql: `${w}
SELECT severity, severity_band, type, title, account_id, region, resource_resource_type, resource_id,
       service_event_first_seen, service_event_last_seen, service_count, id
FROM latest
WHERE ${thisWeek} AND severity >= 7
ORDER BY severity DESC, updated_at DESC, id;`,
    },
    {
      name: 'ageing',
      title: 'Open findings past their SLA at week end',
      sql: `${w}
SELECT severity_band, type, title, account_id, region, resource_id, created_at,
       date_diff('day', created_at, ${ts(week.end)}) AS age_days, id
FROM latest
WHERE NOT coalesce(service_archived, false)
  AND (${overdue || 'false'})
ORDER BY created_at, severity DESC;`,
    },
    {
      name: 'attack_sequences',
      title: 'Attack-sequence findings updated this week',
      sql: `${w}
SELECT severity, type, title, account_id, region, id, finding_json
FROM latest
WHERE type LIKE 'AttackSequence:%' AND updated_at >= ${ts(week.start)}
ORDER BY severity DESC, updated_at DESC;`,
    },
    {
      name: 'investigations',
      title: 'AI investigations started this week, with their records',
      sql: `SELECT i.investigation_id, i.account_id, i.region, i.status, i.risk_level, i.confidence, i.title, i.summary, i.start_time,
       r.type AS record_type, r.title AS record_title, r.narrative
FROM investigations i
LEFT JOIN investigation_records r ON r.investigation_id = i.investigation_id
WHERE i.dt >= '${isoDate(week.start)}' AND i.dt < '${isoDate(week.end + 7 * DAY_MS)}'
  AND i.start_time >= ${ts(week.start)} AND i.start_time < ${ts(week.end)}
ORDER BY i.start_time DESC, r.created_at;`,
    },
  ];
}

/** queries.sql: every query with its title as a comment. */
export function queriesFile(report: { week: string; queries: readonly NamedQuery[] }): string {
  const head = `-- GuardDuty weekly report ${report.week}: the SQL behind each number.\n`
    + `-- Athena, against the tables created by \`guardduty-lake ddl\`. Coverage and quarantine figures\n`
    + `-- come from the run manifests (runs/dt=…/*.json) and quarantine/dt=…/*.jsonl, which are not tables.\n`;
  return head + report.queries.map((q) => `\n-- ${q.name}: ${q.title}\n${q.sql}\n`).join('');
}
