import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { PROMETHEUS_REGISTRY } from '@tradelane/messaging';
import { Gauge, Registry } from 'prom-client';
import { ConnectorCircuits } from './connector-circuits';
import { ConnectorInstanceService } from './connector-instance.service';

const HEALTHS = ['unknown', 'ok', 'degraded', 'failing'] as const;

/** Per-instance gauges on /metrics, read from the database at scrape time. */
@Injectable()
export class ConnectorMetrics implements OnModuleInit {
  private initialised = false;

  constructor(
    private readonly instances: ConnectorInstanceService,
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
    private readonly circuits: ConnectorCircuits,
  ) {}

  onModuleInit(): void {
    if (this.initialised) return; // init hooks run again when the bus transport starts
    this.initialised = true;
    const instances = this.instances;
    // One read of every instance's status per scrape, shared by the three gauges that need it.
    let cached: { at: number; value: ReturnType<typeof load> } | undefined;
    const load = () => instances.list().then((l) => Promise.all(l.map((v) => instances.status(v.id))));
    const statuses = () => {
      if (!cached || Date.now() - cached.at > 1_000) cached = { at: Date.now(), value: load() };
      return cached.value;
    };
    new Gauge({
      name: 'tradelane_connector_freshness_lag_seconds',
      help: 'Now minus the newest source event pulled, per connector instance',
      labelNames: ['instance'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const s of await statuses())
          if (s.freshnessLagSeconds !== null) this.set({ instance: s.id }, s.freshnessLagSeconds);
      },
    });
    new Gauge({
      name: 'tradelane_connector_health',
      help: 'Health of each connector instance (1 for its current health and state)',
      labelNames: ['instance', 'health', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const s of await statuses())
          for (const h of HEALTHS)
            this.set({ instance: s.id, health: h, state: s.state }, s.health === h ? 1 : 0);
      },
    });
    const circuits = this.circuits;
    new Gauge({
      name: 'tradelane_connector_circuit_open',
      help: 'This process fails calls to the instance fast after repeated source failures (1 open, 0.5 half-open)',
      labelNames: ['instance'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of circuits.states())
          this.set({ instance: c.instance }, c.state === 'open' ? 1 : c.state === 'half-open' ? 0.5 : 0);
      },
    });
    new Gauge({
      name: 'tradelane_connector_deliveries',
      help: 'CRM events owed to each connector instance, by state (pending, failed, conflict)',
      labelNames: ['instance', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const s of await statuses())
          for (const [state, n] of Object.entries(s.deliveries)) this.set({ instance: s.id, state }, n);
      },
    });
    new Gauge({
      name: 'tradelane_connector_records_pulled',
      help: 'Records pulled so far, per connector instance and stream',
      labelNames: ['instance', 'stream'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const s of await statuses())
          for (const st of s.streams) this.set({ instance: s.id, stream: st.stream }, st.records);
      },
    });
  }
}
