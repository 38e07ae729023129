import { Inject, Injectable, Logger } from '@nestjs/common';
import { SecretBox } from '@tradelane/access';
import {
  CheckResult,
  configJsonSchema,
  ConnectorDefinition,
  ConnectorError,
  ConnectorRuntime,
  parseConnectorConfig,
} from '@tradelane/connector-sdk';
import { AppError, visibleToRequest } from '@tradelane/http';
import { REDACTED, splitSecrets } from './config-sealing';
import { ConnectorBackfillRepository } from './connector-backfill.repository';
import { ConnectorInstance, InstanceState } from './connector-instance.entity';
import { ConnectorInstanceRepository } from './connector-instance.repository';
import { ConnectorRegistry } from './connector.registry';
import { TradingPartnerService } from './edi/trading-partner.service';
import { InstanceGuards } from './instance-guards';

/** Built on first use (secret-keys.ts): a process that never touches secrets needs no key. */
export const SECRET_BOX = Symbol('SECRET_BOX');
export type SecretBoxProvider = () => SecretBox;

const NETWORK_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|EOUTBOUNDREFUSED|socket hang up|Parse Error|timeout|network/i;
const UNREACHABLE =
  'the system could not be reached (no answer, connection refused, or not the expected service): check the URL and that the system is up';
const HEALTH_RANK: Record<string, number> = { unknown: 0, ok: 1, degraded: 2, failing: 3 };
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface AddInstance {
  connector: string;
  name: string;
  config: Record<string, unknown>;
  tenant?: string;
  pollSeconds?: number;
  freshnessThresholdSeconds?: number;
  /** Create it paused: nothing is pulled until `resume` (check it first, or backfill it first). */
  paused?: boolean;
  /** Calls per second to the system (pulls and sends); none: no limit. */
  maxRequestsPerSecond?: number;
}

/** An instance as the API and CLI show it: secrets replaced, never their values. */
export interface InstanceView {
  id: string;
  connector: string;
  tenant: string;
  state: InstanceState;
  health: string;
  settings: Record<string, unknown>;
  lastCheck: { at: Date; code: string; message: string } | null;
  lastSuccessAt: Date | null;
  pollSeconds: number;
  freshnessThresholdSeconds: number;
  maxRequestsPerSecond: number | null;
  createdAt: Date;
}

export interface StreamStatus {
  stream: string;
  lastEventAt: Date | null;
  records: number;
  pages: number;
  updatedAt: Date;
  /** This stream's own last pull (the instance's health is the last pull of any stream). */
  health: string;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
}

/** An instance with how it is doing: streams, freshness lag, dead letters, effective health. */
export interface InstanceStatus extends InstanceView {
  lastError: string | null;
  /** Now minus the newest source event pulled (seconds); null before the first record. */
  freshnessLagSeconds: number | null;
  streams: StreamStatus[];
  deadLetters: number;
  /** CRM events owed to the instance (send): waiting, refused for good, and held as conflicts for a person. */
  deliveries: { pending: number; failed: number; conflict: number };
  /** Records it produced that wait in the outbox for the relay. */
  backlog: number;
}

/** Installs and operates connector instances: add, list, check, pause, resume, build runtimes. */
@Injectable()
export class ConnectorInstanceService {
  private readonly log = new Logger('Connectors');

  constructor(
    private readonly instances: ConnectorInstanceRepository,
    private readonly registry: ConnectorRegistry,
    @Inject(SECRET_BOX) private readonly box: SecretBoxProvider,
    private readonly backfills: ConnectorBackfillRepository,
    private readonly guards: InstanceGuards,
    private readonly tradingPartners: TradingPartnerService,
  ) {}

  /**
   * Starts a backfill of one stream (or every pull stream): history reloaded from the beginning on
   * the backfill lane, without outbound CRM events, whether the instance is paused or not.
   */
  async backfill(id: string, stream?: string) {
    const row = await this.find(id);
    const streams = (this.definition(row.connectorId).capabilities.pull ?? []).map((s) => s.name);
    if (!streams.length) throw new AppError('invalid', `${row.connectorId} has no pull stream to backfill`);
    if (stream && !streams.includes(stream))
      throw new AppError(
        'invalid',
        `${row.connectorId} has no stream "${stream}" (streams: ${streams.join(', ')})`,
      );
    const { started, running } = await this.backfills.start(id, stream ? [stream] : streams);
    if (!started.length)
      throw new AppError('conflict', `a backfill of ${running.join(', ')} is already running for ${id}`);
    this.log.log(`backfill of ${id} started: ${started.map((b) => b.stream).join(', ')}`);
    return { started, alreadyRunning: running };
  }

  async backfillsOf(id: string) {
    await this.find(id);
    return this.backfills.list(id);
  }

  installed() {
    return this.registry.list().map((d) => ({
      id: d.id,
      kind: d.kind,
      version: d.version,
      compatibility: d.compatibility,
      description: d.description,
      capabilities: d.capabilities,
      secrets: [...d.secrets],
      configSchema: configJsonSchema(d),
    }));
  }

  private definition(connectorId: string): ConnectorDefinition {
    if (!this.registry.has(connectorId))
      throw new AppError(
        'invalid',
        `no connector "${connectorId}" is installed (installed: ${
          this.registry
            .list()
            .map((d) => d.id)
            .join(', ') || 'none'
        })`,
      );
    return this.registry.get(connectorId);
  }

  async add(input: AddInstance): Promise<InstanceView> {
    const def = this.definition(input.connector);
    if (!NAME_PATTERN.test(input.name))
      throw new AppError(
        'invalid',
        `name "${input.name}" must be lower case letters, digits and dashes (at most 63)`,
      );
    const id = `${def.id}:${input.name}`;
    let config: object;
    try {
      config = parseConnectorConfig(def, input.config);
    } catch (e) {
      throw new AppError('invalid', (e as Error).message);
    }
    const outside =
      this.guards.outsideRoots(def, config) ??
      (await this.guards.unreachableUrl(config, input.tenant ?? 'default'));
    if (outside) throw new AppError('invalid', `${def.id}: ${outside}`);
    const { settings, secrets } = splitSecrets(def, config);
    const sealedSecrets = Object.keys(secrets).length ? this.box().seal(JSON.stringify(secrets), id) : null;
    const inserted = await this.instances.insert({
      id,
      connectorId: def.id,
      tenant: input.tenant,
      settings,
      sealedSecrets,
      secretFields: Object.keys(secrets),
      pollSeconds: input.pollSeconds,
      freshnessThresholdSeconds: input.freshnessThresholdSeconds,
      state: input.paused ? 'paused' : 'running',
      maxRequestsPerSecond: input.maxRequestsPerSecond,
    });
    if (!inserted) throw new AppError('conflict', `connector instance ${id} already exists`);
    this.log.log(`instance ${id} added (secrets: ${Object.keys(secrets).join(', ') || 'none'}, sealed)`);
    return this.get(id);
  }

  private async find(id: string): Promise<ConnectorInstance> {
    const row = await this.instances.find(id);
    // Another tenant's instance does not exist for a request scoped to its own (404, not 403).
    if (!row || !visibleToRequest(row.tenant))
      throw new AppError('not-found', `connector instance ${id} not found`);
    return row;
  }

  async get(id: string): Promise<InstanceView> {
    return this.view(await this.find(id));
  }

  /**
   * Status of one instance. Health is the last operation's (ok, degraded after a retryable
   * failure, failing when a person must act), and degraded as well once the freshness lag passes
   * the instance's threshold.
   */
  async status(id: string): Promise<InstanceStatus> {
    const row = await this.find(id);
    const [cursors, deadLetters, deliveries] = await Promise.all([
      this.instances.cursors(id),
      this.instances.deadLetters(id),
      this.instances.deliveryCounts(id),
    ]);
    const backlog = await this.instances.backlog(id);
    const newest = cursors.reduce<number | null>(
      (m, c) => (c.lastEventAt && (m === null || c.lastEventAt.getTime() > m) ? c.lastEventAt.getTime() : m),
      null,
    );
    const lag = newest === null ? null : Math.max(0, Math.round((Date.now() - newest) / 1000));
    const view = this.view(row);
    // The worst of the instance's last operation and each stream's last pull: one failing stream is
    // not hidden by another that pulled fine after it.
    const health = cursors.reduce(
      (h, c) => ((HEALTH_RANK[c.health] ?? 0) > (HEALTH_RANK[h] ?? 0) ? c.health : h),
      view.health,
    );
    const stale = lag !== null && lag > row.freshnessThresholdSeconds && health === 'ok';
    return {
      ...view,
      health: stale ? 'degraded' : health,
      // The instance's last error, or else the newest of a stream still failing (health says so too).
      lastError:
        row.lastError ??
        cursors
          .filter((c) => c.lastError && c.health !== 'ok')
          .sort((a, b) => (b.lastErrorAt?.getTime() ?? 0) - (a.lastErrorAt?.getTime() ?? 0))[0]?.lastError ??
        null,
      freshnessLagSeconds: lag,
      streams: cursors.map((c) => ({
        stream: c.stream,
        lastEventAt: c.lastEventAt,
        records: Number(c.records),
        pages: Number(c.pages),
        updatedAt: c.updatedAt,
        health: c.health,
        lastError: c.lastError,
        lastErrorAt: c.lastErrorAt,
        lastSuccessAt: c.lastSuccessAt,
      })),
      deadLetters,
      deliveries,
      backlog,
    };
  }

  async list(): Promise<InstanceView[]> {
    return (await this.instances.list()).filter((r) => visibleToRequest(r.tenant)).map((r) => this.view(r));
  }

  private view(r: ConnectorInstance): InstanceView {
    const secrets = this.registry.has(r.connectorId) ? this.registry.get(r.connectorId).secrets : [];
    return {
      id: r.id,
      connector: r.connectorId,
      tenant: r.tenant,
      state: r.state,
      health: r.health,
      settings: {
        ...r.settings,
        // Only the secrets that were set (instances from before secret_fields: every declared one).
        ...(r.sealedSecrets ? Object.fromEntries((r.secretFields ?? secrets).map((s) => [s, REDACTED])) : {}),
      },
      lastCheck: r.lastCheckAt
        ? { at: r.lastCheckAt, code: r.lastCheckCode as string, message: r.lastCheckMessage as string }
        : null,
      lastSuccessAt: r.lastSuccessAt,
      pollSeconds: r.pollSeconds,
      freshnessThresholdSeconds: r.freshnessThresholdSeconds,
      maxRequestsPerSecond: r.maxRequestsPerSecond,
      createdAt: r.createdAt,
    };
  }

  /**
   * The instance's configuration with its secrets opened, validated again (and its folders and URLs
   * checked against the roots and the outbound policy): what the runtime is made from, and what the
   * host's own transports (SFTP) read. Never returned over HTTP.
   */
  async config(
    id: string,
  ): Promise<{ instance: ConnectorInstance; def: ConnectorDefinition; config: object }> {
    const instance = await this.find(id);
    const def = this.definition(instance.connectorId);
    const secrets = instance.sealedSecrets
      ? (JSON.parse(this.box().open(instance.sealedSecrets, id)) as object)
      : {};
    const config = parseConnectorConfig(def, { ...instance.settings, ...secrets });
    const outside =
      this.guards.outsideRoots(def, config) ?? (await this.guards.unreachableUrl(config, instance.tenant));
    if (outside) throw new ConnectorError('config', `${id}: ${outside}`);
    return { instance, def, config };
  }

  /** A runtime for the instance: settings and opened secrets validated again, then the plugin's `create`. */
  async runtime(
    id: string,
  ): Promise<{ instance: ConnectorInstance; def: ConnectorDefinition; runtime: ConnectorRuntime }> {
    const { instance, def, config } = await this.config(id);
    const logger = new Logger(`connector ${id}`);
    const runtime = def.create(config, {
      outbound: await this.guards.agents(instance.tenant),
      instance: id,
      tenant: instance.tenant,
      edi: this.tradingPartners.contextFor(instance.tenant),
      log: (level, message, fields) => {
        const line = fields ? `${message} ${JSON.stringify(fields)}` : message;
        if (level === 'error') logger.error(line);
        else if (level === 'warn') logger.warn(line);
        else if (level === 'info') logger.log(line);
        else logger.debug(line);
      },
    });
    return { instance, def, runtime };
  }

  /** Credentials and reachability, with a coded result; stored as the instance's last check. */
  async check(id: string): Promise<CheckResult> {
    const { runtime } = await this.runtime(id);
    let result: CheckResult;
    try {
      result = await runtime.check();
    } catch (e) {
      const err = ConnectorError.from(e, 'check');
      result = { ok: false, code: err.kind, message: err.message };
    } finally {
      await runtime.close?.();
    }
    // Connection-level failures get one text: telling a closed port from an open one, or from one
    // that does not speak HTTP, would make check() a port scanner. The detail goes to the log only.
    if (
      !result.ok &&
      (result.code === 'retryable' || result.code === 'permanent') &&
      NETWORK_FAILURE.test(result.message)
    ) {
      this.log.warn(`${id}: check: ${result.code}: ${result.message}`);
      result = { ok: false, code: 'retryable', message: UNREACHABLE };
    }
    const health = result.ok
      ? 'ok'
      : result.code === 'retryable' || result.code === 'rate-limited'
        ? 'degraded'
        : 'failing';
    await this.instances.recordCheck(id, result.code, result.message, health);
    return result;
  }

  async setState(id: string, state: InstanceState): Promise<InstanceView> {
    await this.find(id);
    await this.instances.setState(id, state);
    this.log.log(`instance ${id} ${state === 'paused' ? 'paused' : 'resumed'}`);
    return this.get(id);
  }

  /**
   * At start-up: a process whose database holds sealed secrets must have a key that opens every
   * one of them, or it would fail later, at the first pull or send, far from the cause.
   */
  async assertSecretsOpen(): Promise<void> {
    const sealed = (await this.instances.list()).filter((r) => r.sealedSecrets);
    if (!sealed.length) return;
    let box: SecretBox;
    try {
      box = this.box();
    } catch (e) {
      throw new Error(
        `${sealed.length} connector instance(s) have sealed secrets (${sealed.map((r) => r.id).join(', ')}) but no key is configured: ${(e as Error).message}`,
      );
    }
    for (const row of sealed) {
      try {
        box.open(row.sealedSecrets as string, row.id);
      } catch (e) {
        throw new Error(
          `the secrets of connector instance ${row.id} cannot be opened with TRADELANE_SECRET_KEYS (${(e as Error).message}): put the key they were sealed with back in the list`,
        );
      }
    }
  }

  /** Re-seals every instance's secrets with the current (first) key; returns how many changed. */
  async rotateSecrets(): Promise<number> {
    const box = this.box();
    let n = 0;
    for (const row of await this.instances.list()) {
      if (!row.sealedSecrets || !box.needsRotation(row.sealedSecrets)) continue;
      await this.instances.setSealedSecrets(row.id, box.rotate(row.sealedSecrets, row.id));
      n++;
    }
    return n;
  }
}
