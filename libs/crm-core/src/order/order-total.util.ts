import { OrderLineV1 } from '@tradelane/contracts';

/**
 * Order value: sum of quantity x unit price x (1 - discount), rounded to 4 decimals (the column's
 * scale). Computed in integer ten-thousandths so float drift cannot creep in. Null without lines.
 */
export function orderTotal(lines: OrderLineV1[] | undefined): string | null {
  if (!lines?.length) return null;
  let tenThousandths = 0;
  for (const l of lines)
    tenThousandths += Math.round(l.quantity * l.unitPrice * (1 - (l.discount ?? 0)) * 10_000);
  const sign = tenThousandths < 0 ? '-' : '';
  const abs = Math.abs(tenThousandths);
  return `${sign}${Math.floor(abs / 10_000)}.${String(abs % 10_000).padStart(4, '0')}`;
}
