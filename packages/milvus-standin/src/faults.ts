/** Fault injection: latency, transient unavailability, scripted Milvus errors, restore and export misbehaviour. */
import { CallGauge, type Concurrency } from './call-gauge';

export interface FaultConfig {
  /** Added to every RPC. */
  latencyMs: number;
  /** Extra latency per gRPC method name, e.g. { CreateSnapshot: 200 }. */
  latencyByMethod: Record<string, number>;
  /** Simulated duration of a restore job. */
  restoreDurationMs: number;
  /** Simulated ms per real ms for restore progress, time_cost and pin TTLs. */
  timeScale: number;
  /** A restore job goes Failed when its progress reaches this percentage. */
  restoreFailAtPercent: number | null;
  /** Reason reported on that failure. */
  restoreFailReason: string;
  /** Restored collections get rows whose values differ (same count and keys). */
  corruptRestore: boolean;
  /** Simulated duration of an export job's copy (slow copy: raise it). */
  exportDurationMs: number;
  /** An export job goes Failed once its progress reaches this percentage. */
  exportFailAtPercent: number | null;
  /** Reason reported on that failure. */
  exportFailReason: string;
}

export interface FaultController {
  get(): FaultConfig;
  set(partial: Partial<FaultConfig>): void;
  reset(): void;
  /** The next `count` calls (of the named gRPC methods, or of any method) answer gRPC UNAVAILABLE. */
  unavailableNext(count: number, methods?: string[]): void;
  /** The next `count` calls of `method` answer a Milvus error status with this code and reason. */
  failNext(method: string, error: { code: number; reason: string }, count?: number): void;
  /** How many times each gRPC method was called (including injected failures). */
  callCounts(): Record<string, number>;
  /** RPCs in flight now and the peak since the last `resetConcurrency()` (or start). */
  concurrency(): Concurrency;
  resetConcurrency(): Concurrency;
}

export function defaultFaultConfig(): FaultConfig {
  return {
    latencyMs: 0,
    latencyByMethod: {},
    restoreDurationMs: 1500,
    timeScale: 1,
    restoreFailAtPercent: null,
    restoreFailReason: 'copy segment task failed: simulated failure',
    corruptRestore: false,
    exportDurationMs: 1500,
    exportFailAtPercent: null,
    exportFailReason: 'failed to copy snapshot export file: simulated failure',
  };
}

const nonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

const FIELD_CHECKS: Record<keyof FaultConfig, (v: unknown) => boolean> = {
  latencyMs: nonNegative,
  latencyByMethod: (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(nonNegative),
  restoreDurationMs: (v) => nonNegative(v) && (v as number) > 0,
  timeScale: (v) => nonNegative(v) && (v as number) > 0,
  restoreFailAtPercent: (v) => v === null || (nonNegative(v) && (v as number) <= 100),
  restoreFailReason: (v) => typeof v === 'string',
  corruptRestore: (v) => typeof v === 'boolean',
  exportDurationMs: (v) => nonNegative(v) && (v as number) > 0,
  exportFailAtPercent: (v) => v === null || (nonNegative(v) && (v as number) <= 100),
  exportFailReason: (v) => typeof v === 'string',
};

export function checkFaultPatch(partial: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(partial)) {
    const check = FIELD_CHECKS[key as keyof FaultConfig];
    if (!check) throw new Error(`unknown fault setting "${key}"`);
    if (!check(value)) throw new Error(`invalid value for fault setting "${key}": ${JSON.stringify(value)}`);
  }
}

/** What the server must do with one call before running the handler. */
export type CallFault =
  | { kind: 'none'; delayMs: number }
  | { kind: 'unavailable'; delayMs: number }
  | { kind: 'milvusError'; delayMs: number; code: number; reason: string };

interface UnavailableRule {
  remaining: number;
  methods?: Set<string>;
}

interface FailRule {
  remaining: number;
  code: number;
  reason: string;
}

export class Faults implements FaultController {
  private config: FaultConfig;
  private unavailable: UnavailableRule[] = [];
  private failures = new Map<string, FailRule[]>();
  private counts: Record<string, number> = {};
  /** The server enters it when a call arrives and leaves it when the reply is sent. */
  readonly gauge = new CallGauge();

  constructor(
    private readonly initial: Partial<FaultConfig> = {},
    private readonly onTimeScaleChange: (oldScale: number) => void = () => undefined,
  ) {
    checkFaultPatch(initial);
    this.config = { ...defaultFaultConfig(), ...initial };
  }

  get(): FaultConfig {
    return { ...this.config, latencyByMethod: { ...this.config.latencyByMethod } };
  }

  /** Throws on unknown keys or values of the wrong type, leaving the configuration unchanged. */
  set(partial: Partial<FaultConfig>): void {
    checkFaultPatch(partial);
    const oldScale = this.config.timeScale;
    this.config = {
      ...this.config,
      ...partial,
      latencyByMethod: { ...(partial.latencyByMethod ?? this.config.latencyByMethod) },
    };
    if (this.config.timeScale !== oldScale) this.onTimeScaleChange(oldScale);
  }

  /** Back to the configuration given at start, with no pending injected failures. */
  reset(): void {
    const oldScale = this.config.timeScale;
    this.config = { ...defaultFaultConfig(), ...this.initial };
    this.unavailable = [];
    this.failures.clear();
    if (this.config.timeScale !== oldScale) this.onTimeScaleChange(oldScale);
  }

  unavailableNext(count: number, methods?: string[]): void {
    if (count <= 0) return;
    this.unavailable.push({ remaining: count, methods: methods?.length ? new Set(methods) : undefined });
  }

  failNext(method: string, error: { code: number; reason: string }, count = 1): void {
    if (count <= 0) return;
    const rules = this.failures.get(method) ?? [];
    rules.push({ remaining: count, code: error.code, reason: error.reason });
    this.failures.set(method, rules);
  }

  callCounts(): Record<string, number> {
    return { ...this.counts };
  }

  concurrency(): Concurrency {
    return this.gauge.read();
  }

  resetConcurrency(): Concurrency {
    return this.gauge.resetPeak();
  }

  /** Counts the call and decides which injected fault, if any, applies to it. */
  onCall(method: string): CallFault {
    this.counts[method] = (this.counts[method] ?? 0) + 1;
    const delayMs = this.config.latencyMs + (this.config.latencyByMethod[method] ?? 0);
    if (this.consumeUnavailable(method)) return { kind: 'unavailable', delayMs };
    const failure = this.consumeFailure(method);
    if (failure) return { kind: 'milvusError', delayMs, ...failure };
    return { kind: 'none', delayMs };
  }

  private consumeUnavailable(method: string): boolean {
    const rule = this.unavailable.find((r) => !r.methods || r.methods.has(method));
    if (!rule) return false;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.unavailable = this.unavailable.filter((r) => r !== rule);
    return true;
  }

  private consumeFailure(method: string): { code: number; reason: string } | undefined {
    const rules = this.failures.get(method);
    const rule = rules?.[0];
    if (!rules || !rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) rules.shift();
    return { code: rule.code, reason: rule.reason };
  }
}
