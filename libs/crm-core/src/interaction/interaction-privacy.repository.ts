import { Injectable, OnModuleInit } from '@nestjs/common';
import { regExpLiteral } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { ERASED, PersonalData, PersonalDataHolder } from '../context/personal-data';

/** Interactions a person made (the actor) or that name their e-mail in subject or summary. */
@Injectable()
export class InteractionPrivacy implements PersonalDataHolder, OnModuleInit {
  readonly holds = 'interactions';

  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  find(tx: EntityManager, tenant: string, email: string): Promise<Record<string, unknown>[]> {
    return tx.query(
      `SELECT id, channel, direction, subject, summary, actor, occurred_at AS "occurredAt"
         FROM crm_interaction
        WHERE tenant = $1 AND (lower(actor) = $2 OR strpos(lower(coalesce(subject, '') || ' ' || coalesce(summary, '')), $2) > 0)
        ORDER BY occurred_at`,
      [tenant, email],
    );
  }

  async erase(tx: EntityManager, tenant: string, email: string) {
    const [r]: { n: number }[] = await tx.query(
      `WITH done AS (
         UPDATE crm_interaction SET
           actor = CASE WHEN lower(actor) = $2 THEN $3 ELSE actor END,
           subject = regexp_replace(subject, $4, $3, 'gi'),
           summary = regexp_replace(summary, $4, $3, 'gi'),
           updated_at = now()
          WHERE tenant = $1 AND (lower(actor) = $2 OR strpos(lower(coalesce(subject, '') || ' ' || coalesce(summary, '')), $2) > 0)
          RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [tenant, email, ERASED, regExpLiteral(email)],
    );
    return { rows: r.n };
  }
}
