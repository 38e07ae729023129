import { Injectable } from '@nestjs/common';
import { ConnectorError } from '@tradelane/connector-sdk';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
} from 'cockatiel';

export interface CircuitOptions {
  /** Consecutive retryable failures that open an instance's circuit. */
  failures: number;
  /** How long it stays open before one call is let through to probe the source. */
  halfOpenAfterMs: number;
}

/** CONNECTOR_BREAKER_FAILURES (5) and CONNECTOR_BREAKER_HALF_OPEN_SECONDS (30). */
export function circuitOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CircuitOptions {
  return {
    failures: Number(env.CONNECTOR_BREAKER_FAILURES ?? 5),
    halfOpenAfterMs: Number(env.CONNECTOR_BREAKER_HALF_OPEN_SECONDS ?? 30) * 1000,
  };
}

/** Only a source that is down or overloaded trips the breaker; refusals (auth, config, bad data) do not. */
const sourceTrouble = (e: Error) => {
  const kind = ConnectorError.from(e).kind;
  return kind === 'retryable' || kind === 'rate-limited';
};

/**
 * One circuit breaker per connector instance (cockatiel): after `failures` retryable failures in a
 * row the instance's calls fail fast, without touching the source, until `halfOpenAfterMs` has
 * passed and a probe call succeeds. Wraps pulls and sends; `check()` goes straight through, so an
 * operator always sees the source's real answer.
 */
@Injectable()
export class ConnectorCircuits {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(private readonly options: CircuitOptions) {}

  private of(instance: string): CircuitBreakerPolicy {
    let b = this.breakers.get(instance);
    if (!b) {
      b = circuitBreaker(handleWhen(sourceTrouble), {
        halfOpenAfter: this.options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.options.failures),
      });
      this.breakers.set(instance, b);
    }
    return b;
  }

  /**
   * Runs a call to the instance's system: rate-limited to `maxPerSecond` (token bucket, waits for a
   * token), and through its circuit breaker.
   */
  async run<T>(instance: string, fn: () => Promise<T>, maxPerSecond?: number | null): Promise<T> {
    if (maxPerSecond) await this.token(instance, maxPerSecond);
    try {
      return await this.of(instance).execute(fn);
    } catch (e) {
      if (e instanceof BrokenCircuitError)
        throw new ConnectorError(
          'retryable',
          `circuit open: the source failed ${this.options.failures} times in a row; the next call in up to ${Math.round(this.options.halfOpenAfterMs / 1000)} s probes it`,
        );
      throw e;
    }
  }

  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  private async token(instance: string, perSecond: number): Promise<void> {
    const now = Date.now();
    const b = this.buckets.get(instance) ?? { tokens: perSecond, at: now };
    b.tokens = Math.min(perSecond, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    b.tokens -= 1;
    this.buckets.set(instance, b);
    if (b.tokens < 0) await new Promise((r) => setTimeout(r, (-b.tokens / perSecond) * 1000));
  }

  state(instance: string): 'closed' | 'open' | 'half-open' {
    const s = this.breakers.get(instance)?.state ?? CircuitState.Closed;
    return s === CircuitState.Open || s === CircuitState.Isolated
      ? 'open'
      : s === CircuitState.HalfOpen
        ? 'half-open'
        : 'closed';
  }

  /** Instances whose circuit is not closed (for /metrics). */
  states(): { instance: string; state: 'closed' | 'open' | 'half-open' }[] {
    return [...this.breakers.keys()].map((instance) => ({ instance, state: this.state(instance) }));
  }
}
