import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What an operator asked for: the scheduler pulls a running instance, never a paused one. */
export type InstanceState = 'running' | 'paused';
/** What the instance looks like from outside: checks, pulls, freshness. */
export type InstanceHealth = 'unknown' | 'ok' | 'degraded' | 'failing';

/**
 * One configured instance of an installed connector (two ERP companies = two instances of
 * erp-odoo). Settings are stored in clear, secrets sealed with the SecretBox (AES-256-GCM), bound
 * to the instance id; neither the API nor logs ever see them.
 */
@Entity({ name: 'connector_instance' })
@Index('connector_instance_connector_idx', ['connectorId'])
export class ConnectorInstance {
  /** `<connector id>:<name>`, e.g. `erp-odoo:company-a`: the `source` of every message it produces. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'connector_id', type: 'text' })
  connectorId: string;

  @Column({ type: 'text', default: 'default' })
  tenant: string;

  /** Non-secret configuration. */
  @Column({ type: 'jsonb' })
  settings: Record<string, unknown>;

  /** Sealed JSON object of the secret fields (null without secrets). */
  @Column({ name: 'sealed_secrets', type: 'text', nullable: true })
  sealedSecrets: string | null;

  /** Names of the secret fields set (never their values); null for instances added before it was kept. */
  @Column({ name: 'secret_fields', type: 'text', array: true, nullable: true })
  secretFields: string[] | null;

  @Column({ type: 'text', default: 'running' })
  state: InstanceState;

  @Column({ type: 'text', default: 'unknown' })
  health: InstanceHealth;

  @Column({ name: 'last_check_at', type: 'timestamptz', nullable: true })
  lastCheckAt: Date | null;

  /** `ok` or the ConnectorError kind of the last check. */
  @Column({ name: 'last_check_code', type: 'text', nullable: true })
  lastCheckCode: string | null;

  @Column({ name: 'last_check_message', type: 'text', nullable: true })
  lastCheckMessage: string | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Seconds between polls of each pull stream. */
  @Column({ name: 'poll_seconds', type: 'int', default: 60 })
  pollSeconds: number;

  /** Calls per second the instance may make to its system (pulls, sends); null: no limit. */
  @Column({ name: 'max_requests_per_second', type: 'int', nullable: true })
  maxRequestsPerSecond: number | null;

  /** Freshness lag (now minus the newest source event) above which the instance is degraded. */
  @Column({ name: 'freshness_threshold_seconds', type: 'int', default: 3600 })
  freshnessThresholdSeconds: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** A tenant's outbound allowance (OutboundPolicies): the non-public ranges its calls may reach. */
@Entity({ name: 'tenant_outbound_allow' })
export class TenantOutboundAllow {
  @PrimaryColumn({ type: 'text' }) tenant: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) allow: string[];
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
