import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The audit log: one row per change a person or a client made (and per log-in, failed or not).
 * Append-only (a trigger refuses UPDATE and DELETE); the actor is copied in by name, so a row keeps
 * its actor when the user is disabled or the key revoked.
 */
@Entity({ name: 'audit_log' })
@Index('audit_log_tenant_idx', ['tenant', 'id'])
@Index('audit_log_target_idx', ['targetType', 'targetId'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'text' })
  tenant: string;

  /** user, api-key, local, anonymous (a failed log-in). */
  @Column({ name: 'actor_kind', type: 'text' })
  actorKind: string;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'text' })
  actorName: string;

  /** What was done, e.g. `customer.merge`, `agreement.set`, `auth.login-failed`. */
  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId: string | null;

  /** The request (`POST /customers/:id/merge`), or null for a change made outside HTTP. */
  @Column({ type: 'text', nullable: true })
  route: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  /** The changed fields as they were, and as they are now (secrets masked). */
  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;
}
