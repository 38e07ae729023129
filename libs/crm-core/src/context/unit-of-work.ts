import { UnitOfWork } from '@tradelane/messaging';

export type { UnitOfWork } from '@tradelane/messaging';

/** Counts, for the metric, the offered versions of `record` the newest-wins write did not take. */
export function countOlderThanStored(
  uow: UnitOfWork,
  record: string,
  offered: number,
  written: number,
): void {
  if (offered > written) uow.countSuperseded?.(record, offered - written);
}
