/**
 * `npm run bench:collect`: export a seeded Organization from the emulator (its own process, with
 * added latency and a rate limit) into a temporary local lake, and print one JSON line:
 * {"calls","throttled","failed","wall_s","ideal_s","efficiency","peak_rss_mb", …}.
 *
 * ideal_s is the shortest time the run's successful requests could take given the latency and the
 * limits: max of (calls × latency / concurrency), (busiest scope's calls × latency / target
 * concurrency) and (busiest (scope, operation)'s calls / rate limit).
 *
 * Flags: --accounts 200 --regions 17 --findings 200000 --latency-ms 50 --rate-limit 50
 *        --concurrency 64 --target-concurrency 8 --mode delegated-admin --lookback 90d
 *        --sink lake|null (null: findings are counted and dropped, to measure the collector alone)
 *        --log FILE (the export's JSON log lines at debug level, to see where the time goes)
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { exportOrganization } from '../src/collect/export.js';
import { LakeSink } from '../src/collect/lake-sink.js';
import { GUARDDUTY_REGIONS } from '../src/collect/regions.js';
import { openLake } from '../src/lake/index.js';
import type { ExportSink, FindingsWritten, TableWritten } from '../src/collect/sink.js';

/** Keeps state in the lake but drops the data: what the collector costs without Parquet encoding. */
class NullSink implements ExportSink {
  constructor(private readonly state: LakeSink) {}
  readWatermark = (a: string, r: string) => this.state.readWatermark(a, r);
  advanceWatermark = (w: Parameters<ExportSink['advanceWatermark']>[0]) => this.state.advanceWatermark(w);
  readInflight = (a: string, r: string) => this.state.readInflight(a, r);
  writeInflight = (w: Parameters<ExportSink['writeInflight']>[0]) => this.state.writeInflight(w);
  clearInflight = (a: string, r: string) => this.state.clearInflight(a, r);
  readFinishedInvestigations = (a: string, r: string) => this.state.readFinishedInvestigations(a, r);
  writeFinishedInvestigations = (a: string, r: string, ids: ReadonlySet<string>) => this.state.writeFinishedInvestigations(a, r, ids);
  writeManifest = (m: Parameters<ExportSink['writeManifest']>[0]) => this.state.writeManifest(m);
  async writeFindings(_s: unknown, batches: AsyncIterable<unknown[]>): Promise<FindingsWritten> {
    let findings = 0;
    for await (const b of batches) findings += b.length;
    return { findings, quarantined: 0, bytes: 0, objects: 0 };
  }
  async writeStatistics(): Promise<TableWritten> { return { rows: 0, bytes: 0 }; }
  async writeInvestigations(): Promise<{ investigations: TableWritten; records: TableWritten }> {
    return { investigations: { rows: 0, bytes: 0 }, records: { rows: 0, bytes: 0 } };
  }
}

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '200' },
    regions: { type: 'string', default: '17' },
    findings: { type: 'string', default: '200000' },
    'latency-ms': { type: 'string', default: '50' },
    'rate-limit': { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '64' },
    'target-concurrency': { type: 'string', default: '8' },
    mode: { type: 'string', default: 'delegated-admin' },
    lookback: { type: 'string', default: '90d' },
    sink: { type: 'string', default: 'lake' },
    log: { type: 'string' },
  },
});
const accounts = Number(values.accounts);
const regionCount = Number(values.regions);
const findings = Number(values.findings);
const latencyMs = Number(values['latency-ms']);
const rateLimit = Number(values['rate-limit']);
// The disabled opt-in region of the emulator (af-south-1) is left out: every region here has detectors.
const regions = GUARDDUTY_REGIONS.filter((r) => r !== 'af-south-1').slice(0, regionCount);
// The emulator seeds findings per (active account, enabled region) over 8 weeks; the export reads 90 days.
const findingsPerAccount = Math.max(1, Math.round(findings / (accounts * regions.length)));

const emulator = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'collect-emulator.ts'), JSON.stringify({
  seed: 1, orgAccounts: accounts, findingsPerAccount, latencyMs, rateLimit, enabledRegions: regions,
})], { stdio: ['ignore', 'pipe', 'inherit'] });
const firstLine = await new Promise<string>((resolve, reject) => {
  const rl = createInterface({ input: emulator.stdout });
  rl.once('line', resolve);
  emulator.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
});
const emuEnv = (JSON.parse(firstLine) as { env: Record<string, string> }).env;
Object.assign(process.env, emuEnv);

const dir = await mkdtemp(path.join(tmpdir(), 'gdl-bench-collect-'));
try {
  const config = loadConfig('export', {
    lake: dir, regions: regions.join(','), lookback: values.lookback, mode: values.mode,
    concurrency: values.concurrency, 'target-concurrency': values['target-concurrency'], 'max-attempts': '20',
  }, process.env);
  const sinkLog = values.log === undefined ? new Writable({ write(_c, _e, done) { done(); } }) : createWriteStream(values.log);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const lake = openLake(dir);
  const sink = values.sink === 'null' ? new NullSink(new LakeSink(lake)) : new LakeSink(lake);
  const outcome = await exportOrganization(config, { log: createLogger({ level: values.log === undefined ? 'error' : 'debug', destination: sinkLog }), sink });
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);

  const stats = outcome.stats;
  const ok = stats.calls - stats.throttles;
  const perScope = new Map<string, number>();
  let busiestOperation = 0;
  for (const [key, n] of stats.byScopeOperation) {
    const scope = key.split('|')[0] ?? key;
    perScope.set(scope, (perScope.get(scope) ?? 0) + n);
    busiestOperation = Math.max(busiestOperation, n);
  }
  const busiestScope = Math.max(0, ...perScope.values());
  const latencyS = latencyMs / 1000;
  const idealS = Math.max(
    (ok * latencyS) / config.concurrency,
    (busiestScope * latencyS) / config.targetConcurrency,
    rateLimit > 0 ? busiestOperation / rateLimit : 0,
  );
  const failed = outcome.manifest.slices.filter((s) => s.status === 'failed' || s.status === 'access-denied' || s.status === 'skipped').length;
  process.stdout.write(`${JSON.stringify({
    calls: stats.calls,
    throttled: stats.throttles,
    failed,
    wall_s: Number(wallS.toFixed(2)),
    ideal_s: Number(idealS.toFixed(2)),
    efficiency: Number((idealS / wallS).toFixed(3)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    exporter_cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    findings: outcome.manifest.totals.findings,
    slices: outcome.manifest.slices.length,
    accounts, regions: regions.length, latency_ms: latencyMs, rate_limit: rateLimit,
    concurrency: config.concurrency, target_concurrency: config.targetConcurrency, sink: values.sink, lookback: values.lookback,
  })}\n`);
} finally {
  emulator.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}
