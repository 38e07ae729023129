import { Column } from 'typeorm';

/** The id of the writing transaction, as a bigint (migration PartnerFeed1700000030000). */
export const CURRENT_XID = 'tradelane_current_xid()';

/**
 * The lists partners page through (orders, shipments, invoices, cases, stock) run in the order
 * records were committed, not in the order their transactions started: `created_at` (now(), the
 * start) can be passed by a cursor while its transaction is still open, and the record would then
 * never be seen. Each row keeps the id of the transaction that inserted it; a page shows only rows
 * of transactions older than every one still running in this database (migration
 * FeedHorizon1700000032000), so nothing can appear
 * behind a cursor later: a cursor never skips a record and never shows one twice.
 */
export const createdXidColumn = () =>
  Column({
    name: 'created_xid',
    type: 'bigint',
    default: () => CURRENT_XID,
    select: false,
    insert: false,
    update: false,
  });

/** The SQL of "rows every open transaction's successor can already see" (see {@link createdXidColumn}). */
// A sub-select: the horizon is computed once per statement, not once per row.
export const COMMITTED_BEFORE_ALL_OPEN = `created_xid < (SELECT tradelane_xid_horizon())`;
