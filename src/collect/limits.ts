/**
 * Bounded concurrency for every AWS request of a run: one global limit plus one per
 * (calling account, region) — the scope GuardDuty throttles on. Installed as a middleware inside the
 * SDK's retry loop, so it bounds each attempt (a request backing off does not hold a slot) and sees
 * every throttled attempt.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { isThrottle } from './errors.js';

/** Counters of one run, read by progress, logs, the manifest and the benchmark. */
export interface CallStats {
  /** HTTP attempts sent (retries included). */
  calls: number;
  /** Attempts answered with throttling. */
  throttles: number;
  /** Attempts per scope (`account/region`) and operation: `scope|Operation` → count. */
  readonly byScopeOperation: Map<string, number>;
  /** Throttled attempts per scope. */
  readonly throttlesByScope: Map<string, number>;
}

export interface RequestGateOptions {
  /** Requests in flight across the run. */
  readonly concurrency: number;
  /** Requests in flight per (calling account, region). */
  readonly scopeConcurrency: number;
}

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

interface StackClient {
  middlewareStack: { add(middleware: never, options: { step: 'finalizeRequest'; priority: 'low'; name: string; override?: boolean }): void };
}

export class RequestGate {
  readonly stats: CallStats = { calls: 0, throttles: 0, byScopeOperation: new Map(), throttlesByScope: new Map() };
  private readonly global: LimitFunction;
  private readonly scopes = new Map<string, LimitFunction>();

  constructor(private readonly options: RequestGateOptions) {
    this.global = pLimit(options.concurrency);
  }

  /** Runs `task` inside the scope's and the global limit. */
  run<T>(scope: string, task: () => Promise<T>): Promise<T> {
    let limit = this.scopes.get(scope);
    if (limit === undefined) {
      limit = pLimit(this.options.scopeConcurrency);
      this.scopes.set(scope, limit);
    }
    return limit(() => this.global(task));
  }

  /** Adds the gate to a client whose every request is made from `scope`. */
  install(client: StackClient, scope: string): void {
    const middleware: Middleware = (next, context) => async (args) =>
      this.run(scope, async () => {
        const key = `${scope}|${context.commandName ?? 'unknown'}`;
        this.stats.calls += 1;
        this.stats.byScopeOperation.set(key, (this.stats.byScopeOperation.get(key) ?? 0) + 1);
        try {
          return await next(args);
        } catch (error) {
          if (isThrottle(error)) {
            this.stats.throttles += 1;
            this.stats.throttlesByScope.set(scope, (this.stats.throttlesByScope.get(scope) ?? 0) + 1);
          }
          throw error;
        }
      });
    client.middlewareStack.add(middleware as never, { step: 'finalizeRequest', priority: 'low', name: 'guarddutyLakeRequestGate', override: true });
  }
}
