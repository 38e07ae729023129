import { Injectable } from '@nestjs/common';
import { AccessService } from '@tradelane/access';
import { createEnvelope } from '@tradelane/contracts';
import { AppError, noteChange } from '@tradelane/http';
import { Database, DeadLetterRepository } from '@tradelane/persistence';
import { createHash, randomUUID } from 'node:crypto';
import { ERASED, PersonalData, PersonIdentity } from '../context/personal-data';
import { TransactionRunner } from '../context/transaction.runner';
import { CRM_SOURCE } from '../customer/customer.constants';

export interface PersonExport {
  email: string;
  exportedAt: string;
  /** What each feature holds of the person (customer contacts, interactions, case messages...). */
  holdings: Record<string, Record<string, unknown>[]>;
  /** The staff or portal user with that e-mail. */
  users: Record<string, unknown>[];
  /** How many dead letters' raw bodies name the e-mail (erasure redacts them). */
  deadLetters: number;
}

export interface PersonErasure {
  erasureId: string;
  /** Rows changed per holder. */
  erased: Record<string, number>;
  /** Connector instances told (crm.person.erased.v1), those whose records named the person. */
  notified: string[];
}

/** The e-mail as stored and compared (trimmed, lower case), or 400. */
export function personEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320)
    throw new AppError('invalid', 'email: not an e-mail address');
  return email;
}

/**
 * One person's data across the CRM (privacy): an export of everything held about them, and their
 * erasure. The person is found by e-mail in every holder (PersonalData: each feature answers for
 * its own tables), the tenant's users, and the raw bodies of dead letters. An erasure runs in one
 * transaction, goes to the audit log (by erasure id and a hash of the e-mail, never the e-mail),
 * and tells the connector instances whose records named the person (crm.person.erased.v1), so that
 * the ERP can act; a source that sends the contact again brings it back, which is why it is told.
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly db: Database,
    private readonly runner: TransactionRunner,
    private readonly data: PersonalData,
    private readonly access: AccessService,
    private readonly deadLetters: DeadLetterRepository,
  ) {}

  async export(tenant: string, raw: string): Promise<PersonExport> {
    const email = personEmail(raw);
    return this.db.transaction(async (tx) => {
      const holdings: PersonExport['holdings'] = {};
      for (const h of this.data.holders()) holdings[h.holds] = await h.find(tx, tenant, email);
      return {
        email,
        exportedAt: new Date().toISOString(),
        holdings,
        users: (await this.access.personalData(tenant, email)) as unknown as Record<string, unknown>[],
        deadLetters: await this.deadLetters.countMentions(tx, tenant, email),
      };
    });
  }

  async erase(tenant: string, raw: string, reason: string): Promise<PersonErasure> {
    const email = personEmail(raw);
    const erasureId = randomUUID();
    const result = await this.runner.run(async (uow) => {
      const erased: Record<string, number> = {};
      const identities: PersonIdentity[] = [];
      for (const h of this.data.holders()) {
        const r = await h.erase(uow.tx, tenant, email);
        erased[h.holds] = r.rows;
        identities.push(...(r.identities ?? []));
      }
      erased['dead letters'] = await this.deadLetters.redact(uow.tx, tenant, email, ERASED);
      erased.users = await this.access.erasePerson(tenant, email);
      const notified = [...new Set(identities.map((i) => i.source))].sort();
      if (notified.length)
        await uow.emit([
          createEnvelope({
            type: 'crm.person.erased.v1',
            source: CRM_SOURCE,
            tenant,
            key: erasureId,
            payload: {
              erasureId,
              email,
              identities: identities.map((i) => ({ source: i.source, externalId: i.externalId })),
              toSources: notified,
            },
          }),
        ]);
      return { erasureId, erased, notified };
    });
    if (!Object.values(result.erased).some((n) => n > 0))
      throw new AppError('not-found', 'nothing is held about this e-mail in this tenant');
    noteChange({
      targetType: 'person',
      targetId: erasureId,
      before: null,
      after: {
        emailSha256: createHash('sha256').update(email).digest('hex'),
        reason,
        erased: result.erased,
        notified: result.notified,
      },
    });
    return result;
  }
}
