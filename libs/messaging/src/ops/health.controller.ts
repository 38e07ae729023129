import { Controller, Get, Header, Inject, Injectable } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Database } from '@tradelane/persistence';
import { Registry } from 'prom-client';
import { MESSAGE_BUS, MessageBus } from '../bus.port';
import { PROMETHEUS_REGISTRY } from '../messaging.metrics';

@Injectable()
export class PipelineHealthIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly db: Database,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  async database() {
    const check = this.indicator.check('database');
    try {
      await this.db.ping();
      return check.up({ kind: this.db.config.kind });
    } catch (err) {
      return check.down({ kind: this.db.config.kind, message: (err as Error).message });
    }
  }

  broker() {
    const check = this.indicator.check('broker');
    return this.bus.isConnected() ? check.up({ kind: this.bus.kind }) : check.down({ kind: this.bus.kind });
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
  @HealthCheck()
  @ApiOperation({ summary: 'Database and broker reachability (503 when one is down)' })
  check() {
    return this.health.check([() => this.indicators.database(), () => this.indicators.broker()]);
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
