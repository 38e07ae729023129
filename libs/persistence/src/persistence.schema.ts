import { DeadLetter } from './dead-letter/dead-letter.entity';
import { InboxEntry } from './inbox/inbox.entity';
import { LedgerEntry } from './ledger/ledger.entity';
import { Messaging1700000000000 } from './migrations/1700000000000-messaging';
import { DeadLetterDeliveries1700000009000 } from './migrations/1700000009000-dead-letter-deliveries';
import { OutboxMessage } from './outbox/outbox.entity';

/** Tables and reviewed migrations owned by libs/persistence (inbox, outbox, ledger, dead letters). */
export const PERSISTENCE_SCHEMA = {
  entities: [InboxEntry, OutboxMessage, LedgerEntry, DeadLetter],
  migrations: [Messaging1700000000000, DeadLetterDeliveries1700000009000],
};
