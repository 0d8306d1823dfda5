/**
 * Milvus RPCs in flight now, and the most in flight at once since the last reset: lets a test or
 * benchmark check that a client kept its concurrency cap (counted from arrival, injected latency
 * included, until the reply is sent).
 */
export interface Concurrency {
  inFlight: number;
  peak: number;
}

export class CallGauge {
  private inFlight = 0;
  private peak = 0;

  enter(): void {
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
  }

  leave(): void {
    this.inFlight -= 1;
  }

  read(): Concurrency {
    return { inFlight: this.inFlight, peak: this.peak };
  }

  /** Starts a new peak from the calls in flight now. */
  resetPeak(): Concurrency {
    this.peak = this.inFlight;
    return this.read();
  }
}
