/**
 * The partner API's OpenAPI types name exactly the fields the resource table answers with: a field
 * added to partner-resources.ts without its DTO property (or the other way round) fails here.
 */
import 'reflect-metadata';
import { PARTNER_RESOURCES, PartnerResource } from './partner-resources';
import {
  PartnerCaseDto,
  PartnerInvoiceDto,
  PartnerOrderDto,
  PartnerShipmentDto,
  PartnerStockDto,
} from './partner-view.dto';

// Where @nestjs/swagger keeps a class's @ApiProperty names (DECORATORS.API_MODEL_PROPERTIES_ARRAY).
const SWAGGER_PROPERTIES = 'swagger/apiModelPropertiesArray';

function documented(dto: object): string[] {
  const names = new Set<string>();
  for (
    let p = (dto as { prototype: object }).prototype;
    p && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  )
    for (const n of (Reflect.getMetadata(SWAGGER_PROPERTIES, p) ?? []) as string[])
      names.add(n.replace(/^:/, ''));
  return [...names].sort();
}

it.each([
  ['orders', PartnerOrderDto],
  ['shipments', PartnerShipmentDto],
  ['invoices', PartnerInvoiceDto],
  ['cases', PartnerCaseDto],
  ['stock', PartnerStockDto],
] as const)('%s: the DTO documents every field the API answers with, and no other', (name, dto) => {
  const r: PartnerResource = PARTNER_RESOURCES[name];
  const fields = Object.keys({ ...r.fields, ...(r.guarded?.fields ?? {}) }).sort();
  expect(documented(dto)).toEqual(fields);
});
