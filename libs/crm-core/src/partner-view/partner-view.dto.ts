import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderLineV1 } from '@tradelane/contracts';

/**
 * The partner API's answers as OpenAPI types (the portal's generated client and partners' own
 * generators read them). Every field but `id` is optional: `?fields=` selects them and scopes
 * remove some (order amounts need invoices:read). partner-view.dto.spec.ts checks that each DTO
 * names exactly the fields of its resource in partner-resources.ts.
 */
const opt = (description: string, type: unknown = String) =>
  ApiPropertyOptional({ description, type: type as never, nullable: true });

class Stamped {
  @ApiProperty({ description: 'Record id (stable)' }) id: string;
  @opt('When Tradelane first stored it', Date) createdAt?: string;
  @opt('When it last changed', Date) updatedAt?: string;
}

export class PartnerOrderDto extends Stamped {
  @opt('System the order came from') source?: string;
  @opt('Order number in that system') externalId?: string;
  @opt('Order status') status?: string;
  @opt('Ordered', Date) orderedAt?: string;
  @opt('Required by', Date) requiredAt?: string;
  @opt('Shipped', Date) shippedAt?: string;
  @opt('Carrier') carrier?: string;
  @ApiPropertyOptional({ type: [OrderLineV1], description: 'Order lines as the source sent them' })
  lines?: OrderLineV1[];
  @opt('Currency (with invoices:read)') currency?: string;
  @opt('Freight (with invoices:read)') freight?: string;
  @opt('Order total (with invoices:read)') totalAmount?: string;
}

export class PartnerShipmentDto extends Stamped {
  @opt('System the shipment came from') source?: string;
  @opt('Shipment number in that system') externalId?: string;
  @opt('Order it ships') orderExternalId?: string;
  @opt('Status (PLANNED, PICKED_UP, IN_TRANSIT, DELIVERED, EXCEPTION...)') status?: string;
  @opt('When the status was reported', Date) statusAt?: string;
  @opt('Carrier') carrier?: string;
  @ApiPropertyOptional({ type: [String], description: 'Tracking numbers' }) trackingRefs?: string[];
  @opt('Promised window start', Date) promisedFrom?: string;
  @opt('Promised window end', Date) promisedTo?: string;
  @opt('Estimated (or actual) arrival', Date) eta?: string;
  @opt('Where it was last reported (position text)') position?: string;
  @opt('Picked up', Date) pickedUpAt?: string;
  @opt('Delivered', Date) deliveredAt?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'Packages (SSCC, weight)' })
  packages?: Record<string, unknown>[];
}

export class PartnerTrackingEventDto {
  @ApiProperty({ description: 'Status reported' }) status: string;
  @ApiProperty({ description: 'When it happened' }) occurredAt: string;
  @opt('Where') location?: string | null;
  @opt('Exception type (DAMAGE, LOSS, DELAY...)') exceptionType?: string | null;
  @opt('Note from the carrier') note?: string | null;
}

export class PartnerShipmentDetailDto extends PartnerShipmentDto {
  @ApiProperty({ type: [PartnerTrackingEventDto], description: 'Tracking timeline, oldest first' })
  timeline: PartnerTrackingEventDto[];
}

export class PartnerInvoiceDto extends Stamped {
  @opt('System the invoice came from') source?: string;
  @opt('Invoice number') externalId?: string;
  @opt('Order it bills') orderExternalId?: string;
  @opt('Issued', Date) issuedAt?: string;
  @opt('Due', Date) dueAt?: string;
  @opt('Currency') currency?: string;
  @opt('Total', Number) totalAmount?: number;
  @opt('Paid so far', Number) paidAmount?: number;
  @opt('Still open', Number) openAmount?: number;
  @opt('Past due and not paid', Boolean) overdue?: boolean;
  @opt('Status') status?: string;
  @opt('Disputed', Boolean) disputed?: boolean;
}

export class PartnerCaseDto extends Stamped {
  @opt('Case number', Number) number?: number;
  @opt('Kind of case') type?: string;
  @opt('Priority') priority?: string;
  @opt('Status') status?: string;
  @opt('Subject') subject?: string;
  @opt('Order it is about') orderExternalId?: string;
  @opt('Shipment it is about') deliveryExternalId?: string;
  @opt('Invoice it is about') invoiceExternalId?: string;
  @opt('Opened', Date) openedAt?: string;
  @opt('First response due', Date) firstResponseDueAt?: string;
  @opt('First answered', Date) firstRespondedAt?: string;
  @opt('Resolution due', Date) resolutionDueAt?: string;
  @opt('Resolved', Date) resolvedAt?: string;
  @opt('How it was resolved') resolution?: string;
}

export class PartnerCaseAttachmentDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Attachment id (GET /partner/v1/cases/{id}/attachments/{attachmentId})',
  })
  id: string;
  @ApiProperty({ description: 'The file name' }) filename: string;
  @ApiProperty({ description: 'The type its bytes are', example: 'application/pdf' }) contentType: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ description: 'SHA-256 of the bytes (hex)' }) sha256: string;
  @ApiProperty({ description: 'When it was attached' }) at: string;
}

export class PartnerCaseMessageViewDto {
  @ApiProperty({ description: 'Message id' }) id: string;
  @ApiProperty({ enum: ['inbound', 'outbound'], description: 'From the partner (inbound) or to it' })
  direction: string;
  @opt('Who wrote it') author?: string | null;
  @ApiProperty({ description: 'Text' }) body: string;
  @ApiProperty({ description: 'When' }) at: string;
  @ApiProperty({ type: [PartnerCaseAttachmentDto], description: 'Files sent with it' })
  attachments: PartnerCaseAttachmentDto[];
}

export class PartnerCaseDetailDto extends PartnerCaseDto {
  @ApiProperty({ type: [PartnerCaseMessageViewDto], description: 'Messages meant for the partner' })
  messages: PartnerCaseMessageViewDto[];
}

export class PartnerStockDto extends Stamped {
  @opt('System that reported it') source?: string;
  @opt('Warehouse') warehouse?: string;
  @opt('SKU') sku?: string;
  @opt('Lot / batch') lot?: string;
  @opt('Stock status (AVAILABLE, ON_HOLD, DAMAGED...)') status?: string;
  @opt('Quantity', Number) quantity?: number;
  @opt('Unit') unit?: string;
  @opt('As of', Date) asOf?: string;
}

const pageOf = <T>(item: new () => T, what: string) => {
  class Page {
    @ApiProperty({ type: [item], description: `${what}, in commit order` }) items: T[];
    @ApiPropertyOptional({
      type: String,
      nullable: true,
      description: 'Pass as ?cursor= for the next page (null: none)',
    })
    nextCursor: string | null;
  }
  return Page;
};

export class PartnerOrderPageDto extends pageOf(PartnerOrderDto, 'Orders') {}
export class PartnerShipmentPageDto extends pageOf(PartnerShipmentDto, 'Shipments') {}
export class PartnerInvoicePageDto extends pageOf(PartnerInvoiceDto, 'Invoices') {}
export class PartnerCasePageDto extends pageOf(PartnerCaseDto, 'Cases') {}
export class PartnerStockPageDto extends pageOf(PartnerStockDto, 'Stock levels') {}

export class PartnerOrgDto {
  @ApiProperty({ description: 'Partner organisation id' }) id: string;
  @ApiProperty({ description: 'Its name' }) name: string;
  @ApiProperty({ type: [String], description: 'Kinds (shipper, consignee, supplier, carrier)' })
  kinds: string[];
}

export class PartnerCustomerDto {
  @ApiProperty({ description: 'Unified customer id' }) id: string;
  @ApiProperty({ description: 'Name' }) name: string;
  @opt('City') city?: string | null;
  @opt('Country') country?: string | null;
}

export class PartnerMeDto {
  @ApiProperty({ type: PartnerOrgDto, description: 'The partner organisation' }) partner: PartnerOrgDto;
  @ApiProperty({ type: [PartnerCustomerDto], description: 'The customers it is' })
  customers: PartnerCustomerDto[];
}

export class PartnerScoreDto {
  @ApiProperty({ description: 'Customer' }) customerId: string;
  @ApiProperty({ description: 'Its name' }) customerName: string;
  @ApiProperty({ description: 'KPI' }) kpi: string;
  @ApiProperty({ description: 'Period length' }) period: string;
  @ApiProperty({ description: 'First day of the period' }) periodStart: string;
  @ApiProperty({ description: 'Records counted' }) n: number;
  @ApiProperty({ description: 'Records that met it' }) hits: number;
  @opt('Value (share 0..1 or hours)', Number) value: number | null;
  @opt('Agreed target', Number) target: number | null;
  @opt('Target met (null: no target)', Boolean) met: boolean | null;
}

export class PartnerScorecardDto {
  @ApiProperty({ description: 'Period length' }) period: string;
  @ApiProperty({ type: [PartnerScoreDto], description: 'Values, newest period first' })
  items: PartnerScoreDto[];
}
