/**
 * Simulated time for restore progress, time_cost and pin TTLs: it runs `timeScale` simulated ms per
 * real ms, and keeps running smoothly when the scale changes.
 */
export class SimClock {
  private baseSimMs: number;
  private baseRealMs = Date.now();

  constructor(
    private readonly scale: () => number,
    startSimMs: number = Date.now(),
  ) {
    this.baseSimMs = startSimMs;
  }

  now(): number {
    return this.nowWithScale(this.scale());
  }

  /** Call when the scale is about to change (or just changed), with the scale that was in force. */
  rebase(previousScale: number): void {
    this.baseSimMs = this.nowWithScale(previousScale);
    this.baseRealMs = Date.now();
  }

  private nowWithScale(scale: number): number {
    return this.baseSimMs + (Date.now() - this.baseRealMs) * scale;
  }
}

/** Milvus hybrid timestamps: physical ms in the high bits, an 18-bit logical counter in the low bits. */
export class TsoAllocator {
  constructor(private last: bigint = 0n) {}

  next(): bigint {
    const physical = BigInt(Date.now()) << 18n;
    this.last = physical > this.last ? physical : this.last + 1n;
    return this.last;
  }

  get lastIssued(): bigint {
    return this.last;
  }
}

export function tsoToUnixMs(tso: bigint | string): number {
  return Number(BigInt(tso) >> 18n);
}
