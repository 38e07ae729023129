import { Controller, Get, Header, Inject, Injectable, Logger } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { Registry } from 'prom-client';
import { MESSAGE_BUS, MessageBus } from '../bus.port';
import { PROMETHEUS_REGISTRY } from '../messaging.metrics';

const PING_TIMEOUT_MS = Number(process.env.HEALTH_DATABASE_TIMEOUT_MS ?? 1500);

/** Why the database cannot be used, without host, port, user or database name. */
export function describeDatabaseError(err: unknown): { code: string; message: string } {
  const e = (err ?? {}) as { code?: string; message?: string };
  const code = e.code ?? '';
  if (code === 'TIMEOUT') return { code: 'timeout', message: `no answer within ${PING_TIMEOUT_MS} ms` };
  if (code === '28P01' || code === '28000')
    return { code: 'auth-refused', message: 'the database refused the login' };
  if (code === '3D000') return { code: 'database-missing', message: 'the database does not exist' };
  if (code === 'ECONNREFUSED') return { code: 'connection-refused', message: 'connection refused' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { code: 'host-not-found', message: 'the host name does not resolve' };
  if (/^(08|57P)/.test(code) || /terminated|ECONNRESET|timeout/i.test(e.message ?? ''))
    return { code: 'connection-lost', message: 'the connection was lost or cannot be made' };
  return { code: 'error', message: 'the database answered with an error' };
}

@Injectable()
export class PipelineHealthIndicators {
  private readonly log = new Logger('Health');
  /** Last state seen per part: a change is logged once (down with its cause, then back up). */
  private readonly last = new Map<string, string>();

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly db: Database,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  private changed(part: string, state: string, detail = ''): void {
    if (this.last.get(part) === state) return;
    const before = this.last.get(part);
    this.last.set(part, state);
    if (state === 'down') this.log.warn(`${part} is down${detail ? `: ${detail}` : ''}`);
    else if (before === 'down') this.log.log(`${part} is up again`);
  }

  async database() {
    const check = this.indicator.check('database');
    let timer: NodeJS.Timeout | undefined;
    try {
      // A hung database (SIGSTOPped, a network black hole) must not hang /health with it.
      await Promise.race([
        this.db.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(Object.assign(new Error('no answer'), { code: 'TIMEOUT' })),
            PING_TIMEOUT_MS,
          );
        }),
      ]);
      this.changed('database', 'up');
      return check.up({ kind: this.db.config.kind });
    } catch (err) {
      // The log gets the driver's words; the answer, seen by anyone, no host, port or user.
      const cause = describeDatabaseError(err);
      this.changed('database', 'down', `${cause.message} (${(err as Error).message})`);
      return check.down({ kind: this.db.config.kind, cause: cause.code, message: cause.message });
    } finally {
      clearTimeout(timer);
    }
  }

  broker() {
    const check = this.indicator.check('broker');
    if (this.bus.isConnected()) {
      this.changed('broker', 'up');
      return check.up({ kind: this.bus.kind });
    }
    const problem = this.bus.connectionProblem?.();
    this.changed('broker', 'down', problem?.message);
    return check.down({
      kind: this.bus.kind,
      ...(problem ? { cause: problem.code, message: problem.message } : {}),
    });
  }
}

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: PipelineHealthIndicators,
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
  ) {}

  @Get('health')
  @Public('liveness and readiness for load balancers and orchestrators: states, no data')
  @HealthCheck()
  @ApiOperation({ summary: 'Database and broker reachability (503 when one is down)' })
  check() {
    return this.health.check([() => this.indicators.database(), () => this.indicators.broker()]);
  }

  @Get('metrics')
  @Public('Prometheus scrape (counts and latencies, no records): keep /metrics on an internal network')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
