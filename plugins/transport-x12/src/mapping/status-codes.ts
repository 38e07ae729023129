import type { DeliveryException, DeliveryStatus } from '@tradelane/contracts';

/**
 * X12 shipment status codes (element 1650, AT701) → delivery status. Codes that report a problem
 * map to EXCEPTION with its type; codes not listed are kept as `sourceStatus` on an IN_TRANSIT event.
 */
export const AT7_STATUS: Readonly<
  Record<string, { status: DeliveryStatus; exception?: DeliveryException; what: string }>
> = {
  XB: { status: 'CREATED', what: 'shipment acknowledged' },
  AA: { status: 'PLANNED', what: 'pick-up appointment' },
  AB: { status: 'PLANNED', what: 'delivery appointment' },
  X3: { status: 'PLANNED', what: 'arrived at pick-up location' },
  CP: { status: 'PICKED_UP', what: 'completed loading at pick-up location' },
  AF: { status: 'PICKED_UP', what: 'carrier departed pick-up location with shipment' },
  AM: { status: 'IN_TRANSIT', what: 'loaded on truck' },
  X6: { status: 'IN_TRANSIT', what: 'en route to delivery location' },
  X4: { status: 'IN_TRANSIT', what: 'arrived at terminal location' },
  P1: { status: 'IN_TRANSIT', what: 'departed terminal location' },
  I1: { status: 'IN_TRANSIT', what: 'in-gate' },
  OA: { status: 'IN_TRANSIT', what: 'out-gate' },
  J1: { status: 'IN_TRANSIT', what: 'delivered to connecting line' },
  AG: { status: 'IN_TRANSIT', what: 'estimated delivery' },
  X2: { status: 'IN_TRANSIT', what: 'estimated date and/or time of arrival at consignee' },
  OO: { status: 'OUT_FOR_DELIVERY', what: 'out for delivery' },
  X1: { status: 'OUT_FOR_DELIVERY', what: 'arrived at delivery location' },
  S1: { status: 'OUT_FOR_DELIVERY', what: 'trailer spotted at consignee' },
  D1: { status: 'DELIVERED', what: 'completed unloading at delivery location' },
  CD: { status: 'DELIVERED', what: 'carrier departed delivery location' },
  A3: { status: 'RETURNED', what: 'shipment returned to shipper' },
  A7: { status: 'EXCEPTION', exception: 'REFUSED', what: 'refused by consignee' },
  AP: { status: 'EXCEPTION', exception: 'OTHER', what: 'delivery not completed' },
  SD: { status: 'EXCEPTION', exception: 'DELAY', what: 'shipment delayed' },
  A9: { status: 'EXCEPTION', exception: 'DAMAGE', what: 'shipment damaged' },
  CA: { status: 'CANCELLED', what: 'shipment cancelled' },
};

/**
 * Status reason codes (element 1651, AT702) that make an in-flight status an exception. `NS`
 * (normal status) and codes not listed leave the status as it is.
 */
export const AT7_REASON_EXCEPTION: Readonly<Record<string, DeliveryException>> = {
  AK: 'DAMAGE', // damaged, rewrapped in hub
  BS: 'REFUSED', // refused by customer
  A2: 'WRONG_DELIVERY', // incorrect address
  AZ: 'WRONG_DELIVERY', // alternate carrier delivered
  A1: 'DELAY', // missed delivery
  AF: 'DELAY', // accident
  AI: 'DELAY', // mechanical breakdown
  AO: 'DELAY', // weather or natural disaster
  AW: 'DELAY', // past cut-off time
  AY: 'DELAY', // missed pick-up
  BE: 'DELAY', // road conditions
  BR: 'DELAY', // train derailment
};

/** Appointment status codes (AT703) that carry a promised window: the appointment time is the promise. */
export const AT7_APPOINTMENT_PROMISE: ReadonlySet<string> = new Set(['AB', 'AA']);
