import { Injectable } from '@nestjs/common';
import { DeliveryStatusChangedV1, Envelope } from '@tradelane/contracts';
import { PermanentError } from '@tradelane/messaging';
import { DateTime } from 'luxon';
import { CaseOpeningService } from '../case/case-opening.service';
import { eventSourceKey, latestByKey, sourceKey } from '../context/latest-by-key.util';
import { partiesOf, resolveParties } from '../context/parties.util';
import { RecordsWritten, Reference } from '../context/records-written';
import { UnitOfWork } from '../context/unit-of-work';
import { DeliveryRepository, WrittenDelivery } from './delivery.repository';

@Injectable()
export class DeliveryService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly deliveries: DeliveryRepository,
    private readonly cases: CaseOpeningService,
  ) {}

  /**
   * Records status events and refolds the deliveries they touch: a late, older event joins the
   * timeline but never regresses the current status. A delivery before its order is kept and
   * linked when the order arrives.
   */
  async statusChanged(uow: UnitOfWork, events: Envelope<DeliveryStatusChangedV1>[]): Promise<void> {
    const normalised = events.map((e) => ({
      ...e,
      payload: {
        ...e.payload,
        parties: e.payload.parties && resolveParties(e.payload.parties, e.source),
        // A day-only promise is the end of that day in its zone: every KPI fact then reads promisedTo.
        promisedTo: e.payload.promisedTo ?? endOfPromisedDay(e.payload.promisedDate, e.payload.promiseZone),
      },
    }));
    await this.deliveries.lock(
      uow.tx,
      normalised.map((e) => JSON.stringify([e.tenant, e.source, e.payload.externalId])),
    );
    await this.deliveries.addEvents(uow.tx, normalised);
    const newest = latestByKey(normalised, eventSourceKey);
    const written = await this.deliveries.fold(
      uow.tx,
      newest.map((e) => ({ tenant: e.tenant, source: e.source, externalId: e.payload.externalId })),
    );
    if (!written.length) return;
    const byKey = new Map(newest.map((e) => [eventSourceKey(e), e]));
    await this.recordsWritten.publish(uow, {
      kind: 'delivery',
      rows: written,
      references: written.map((d) => ({
        envelope: byKey.get(sourceKey(d.tenant, d.source, d.externalId)) as Envelope,
        externalId: d.externalId,
        refs: referencesOf(d),
      })),
      parties: written.map((d) => ({
        subjectId: d.id,
        tenant: d.tenant,
        created: d.created,
        parties: partiesOf(d.parties),
      })),
    });
    await this.cases.fromShipments(
      uow,
      normalised,
      written.map((d) => d.id),
    );
  }
}

function referencesOf(d: WrittenDelivery): Reference[] {
  const refs: Reference[] = [];
  if (d.orderExternalId)
    refs.push({
      field: 'payload.orderExternalId',
      kind: 'order',
      source: d.orderSource as string,
      externalId: d.orderExternalId,
    });
  if (d.customerExternalId)
    refs.push({
      field: 'payload.customerExternalId',
      kind: 'customer',
      source: d.customerSource as string,
      externalId: d.customerExternalId,
    });
  return refs;
}

/**
 * The last millisecond of a promised day in its zone (UTC by default): delivered any time that day
 * is on time. A zone luxon does not know is refused at the contract; undefined without a day.
 */
export function endOfPromisedDay(day: string | undefined, zone = 'UTC'): string | undefined {
  if (!day) return undefined;
  const end = DateTime.fromISO(day, { zone }).endOf('day');
  if (!end.isValid)
    throw new PermanentError(
      `promisedDate ${day} in ${zone}: ${end.invalidExplanation ?? 'invalid'}`,
      'INVALID_MESSAGE',
      end.invalidReason === 'unsupported zone' ? 'payload.promiseZone' : 'payload.promisedDate',
    );
  return end.toUTC().toISO() as string;
}
