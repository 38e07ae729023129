import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A customer record that named the person (its connector instance is told of an erasure). */
export interface PersonIdentity {
  customerId: string;
  source: string;
  externalId: string;
}

/**
 * A feature that holds personal data of people (contacts, authors, actors), found by e-mail: it
 * answers what it holds of one person (export) and erases it (erasure), on its own tables, in the
 * caller's transaction. The privacy feature asks every holder; each feature registers its own.
 */
export interface PersonalDataHolder {
  /** What it holds, in a word (`contacts`, `interactions`, `case messages`). */
  readonly holds: string;
  find(tx: EntityManager, tenant: string, email: string): Promise<Record<string, unknown>[]>;
  /** Erases the person; answers how many rows changed and the customer records that named them. */
  erase(
    tx: EntityManager,
    tenant: string,
    email: string,
  ): Promise<{ rows: number; identities?: PersonIdentity[] }>;
}

/** The holders of personal data (shared kernel: features register, the privacy feature asks). */
@Injectable()
export class PersonalData {
  private readonly list: PersonalDataHolder[] = [];

  /** Adds a holder once (lifecycle hooks may run more than once for one instance). */
  register(holder: PersonalDataHolder): void {
    if (!this.list.includes(holder)) this.list.push(holder);
  }

  holders(): readonly PersonalDataHolder[] {
    return this.list;
  }
}

/** The text that replaces an erased person's name or words. */
export const ERASED = '[erased]';
