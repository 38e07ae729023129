import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { DELIVERY_STATUSES, STOCK_STATUSES } from '@tradelane/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { OffsetPageQuery, page } from '../context/page.dto';

export { OffsetPageQuery };

export class CustomerSearchQuery extends OffsetPageQuery {
  @ApiPropertyOptional({
    description: 'Name (prefix), or an external id, VAT id, EORI, DUNS or e-mail (exact)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Only customers with a record from this connector instance' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;

  @ApiPropertyOptional({ description: "The tenant (default: the caller's)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tenant?: string;
}

export class InvoiceQuery extends OffsetPageQuery {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Only open (unpaid, partially paid) invoices',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  open = false;
}

export class FieldProvenanceDto {
  @ApiProperty({ nullable: true, type: String, description: 'The value Tradelane keeps for this field' })
  value: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Connector instance the value came from' })
  source: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Id of the customer record in that source' })
  sourceId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Event time of the version it was taken from' })
  at: string | null;
}

export class CustomerIdentityDto {
  @ApiProperty() source: string;
  @ApiProperty() externalId: string;
}

export class CustomerListItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) vatId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) city: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) postalCode: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) country: string | null;
  @ApiProperty({ type: [CustomerIdentityDto] }) identities: CustomerIdentityDto[];
  @ApiProperty() revision: number;
  @ApiProperty() updatedAt: Date;
}

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerListItemDto] }) items: CustomerListItemDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

// The per-field provenance map refers to FieldProvenanceDto by $ref: the document must define it.
@ApiExtraModels(FieldProvenanceDto)
export class CustomerProfileDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() tenant: string;
  @ApiProperty({ enum: ['active', 'merged'] }) status: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) vatId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) eori: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) duns: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) street: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) city: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) postalCode: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) country: string | null;
  @ApiProperty({
    description: 'Every field with its provenance',
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(FieldProvenanceDto) },
  })
  fields: Record<string, FieldProvenanceDto>;
  @ApiProperty() revision: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class OrderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() source: string;
  @ApiProperty() externalId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) status: string | null;
  @ApiProperty() orderedAt: Date;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    enum: ['requested-date', 'received'],
    description:
      'Set when orderedAt is not the order date: a requested date standing in, or when the document was received',
  })
  orderedAtBasis: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) requiredAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) shippedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) carrier: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) currency: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Decimal as string' }) freight:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Decimal as string' }) totalAmount:
    string | null;
  @ApiProperty() lineCount: number;
  @ApiProperty({ description: 'Customer record the order names' }) customerSource: string;
  @ApiProperty() customerExternalId: string;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() source: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'Canonical status (the one of the latest event)' })
  status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) sourceStatus: string | null;
  @ApiProperty({ description: 'Event time of the current status' }) statusAt: Date;
  @ApiPropertyOptional({ nullable: true, type: String }) orderSource: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) orderExternalId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) carrier: string | null;
  @ApiProperty({ type: [String] }) trackingRefs: string[];
  @ApiPropertyOptional({ nullable: true, type: Date }) promisedFrom: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) promisedTo: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) pickedUpAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) deliveredAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) location: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) packages: object[];
  @ApiProperty({ description: 'Delivered (or still open) after the promised window' }) late: boolean;
}

export class InvoiceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() source: string;
  @ApiProperty() externalId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) orderExternalId: string | null;
  @ApiProperty() issuedAt: Date;
  @ApiProperty() dueAt: Date;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'Decimal as string' }) totalAmount: string;
  @ApiProperty({ description: 'Decimal as string' }) paidAmount: string;
  @ApiProperty({ description: 'Decimal as string' }) openAmount: string;
  @ApiProperty() status: string;
  @ApiProperty() disputed: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) disputeReason: string | null;
  @ApiProperty() overdue: boolean;
}

export class TimelineEntryDto {
  @ApiProperty({ enum: ['interaction', 'delivery-status'] }) kind: string;
  @ApiProperty() at: Date;
  @ApiProperty() channel: string;
  @ApiProperty() direction: string;
  @ApiProperty() subject: string;
  @ApiPropertyOptional({ nullable: true, type: String }) summary: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) actor: string | null;
  @ApiProperty() source: string;
  @ApiProperty({ description: 'Id of the entry (or delivery) in the source' }) ref: string;
  @ApiPropertyOptional({ nullable: true, type: String }) relatedRef: string | null;
}

export class DeliveryEventDto {
  @ApiProperty({ format: 'uuid' }) messageId: string;
  @ApiProperty() status: string;
  @ApiProperty({ description: 'Event time at the source' }) occurredAt: Date;
  @ApiProperty({ description: 'When Tradelane received it' }) receivedAt: Date;
  @ApiPropertyOptional({ nullable: true, type: String }) sourceStatus: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) location: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note: string | null;
}

export class DeliveryDetailDto extends DeliveryDto {
  @ApiPropertyOptional({ nullable: true, type: String }) customerSource: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) customerExternalId: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Shipper, consignee, notify party...',
  })
  parties: object[];
  @ApiProperty({ type: [DeliveryEventDto], description: 'Every status event, oldest first' })
  timeline: DeliveryEventDto[];
}

export class OrderPageDto extends page(OrderDto, 'OrderPageDto') {}
export class DeliveryPageDto extends page(DeliveryDto, 'DeliveryPageDto') {}
export class InvoicePageDto extends page(InvoiceDto, 'InvoicePageDto') {}

export class StockLevelDto {
  @ApiProperty({ description: 'Warehouse connector instance reporting it' }) source: string;
  @ApiProperty({ description: 'Warehouse (location) id' }) warehouse: string;
  @ApiProperty({ description: 'The SKU as the warehouse names it' }) sku: string;
  @ApiProperty({ description: "Lot or batch ('' when none)" }) lot: string;
  @ApiProperty({ enum: STOCK_STATUSES, description: 'available, allocated, damaged or on-hold' })
  status: string;
  @ApiProperty({ description: 'Current quantity (decimal string)' }) quantity: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Unit of measure (EA, CA…)' }) unit:
    string | null;
  @ApiProperty({ description: 'Time of the latest event applied' }) asOf: Date;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'Time of the last level reported as such' })
  snapshotAt: Date | null;
}

export class StockMovementDto {
  @ApiProperty({ format: 'uuid' }) messageId: string;
  @ApiProperty() source: string;
  @ApiProperty({ description: 'Report, receipt or adjustment line in the source' }) externalId: string;
  @ApiProperty({ description: 'Warehouse (location) id' }) warehouse: string;
  @ApiProperty({ description: 'The SKU' }) sku: string;
  @ApiProperty({ description: "Lot ('' when none)" }) lot: string;
  @ApiProperty({ enum: STOCK_STATUSES, description: 'The status the event is about' }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Level reported' }) quantity:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Change (signed)' }) change:
    string | null;
  @ApiProperty({ description: 'Level after it' }) levelAfter: string;
  @ApiProperty({ description: 'False: older than the last level reported, kept for the history only' })
  applied: boolean;
  @ApiProperty({ description: 'reported, received, shipped, adjusted, counted, status-change' })
  reason: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Reason code as the warehouse wrote it' })
  sourceReason: string | null;
  @ApiProperty({ description: 'When it happened at the warehouse' }) asOf: Date;
}

export class StockPageDto extends page(StockLevelDto, 'StockPageDto') {}
export class StockMovementPageDto extends page(StockMovementDto, 'StockMovementPageDto') {}

export class StockQuery extends OffsetPageQuery {
  @ApiPropertyOptional({ description: 'Only this SKU' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sku?: string;
}

export class StockSummaryDto {
  @ApiProperty({ description: 'Distinct SKUs held' }) skus: number;
  @ApiProperty({ description: 'Quantity per status (decimal strings)', example: { available: '120.000' } })
  byStatus: Record<string, string>;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'Latest stock event applied' })
  asOf: Date | null;
}
export class TimelinePageDto extends page(TimelineEntryDto, 'TimelinePageDto') {}

export class SourceIdentityDto {
  @ApiProperty({ description: 'Connector instance, e.g. erp-sap:de' }) source: string;
  @ApiProperty({ description: 'Source system (connector id), e.g. erp-sap' }) system: string;
  @ApiProperty({ description: 'erp, wms, tms, email or portal' }) context: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ description: 'VAT, EORI, DUNS and other ids the record carries' }) identifiers: object;
  @ApiProperty({ description: 'Event time of the version held' }) sourceUpdatedAt: Date;
  @ApiProperty() receivedAt: Date;
  @ApiProperty({ format: 'uuid', description: 'Customer the record was created under (restored by unmerge)' })
  homeCustomerId: string;
}

export class ContactDto {
  @ApiProperty() name: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() role?: string;
  @ApiProperty() source: string;
  @ApiProperty() sourceId: string;
}

export class RoleDto {
  @ApiProperty({ description: 'customer, shipper, consignee, bill-to, supplier, notify' }) role: string;
  @ApiProperty({ enum: ['order', 'delivery'] }) subjectType: string;
  @ApiProperty() count: number;
}

export class FreshnessDto {
  @ApiProperty({ description: 'Connector instance' }) source: string;
  @ApiProperty({ description: 'Newest event time over its records for this customer' }) lastEventAt: Date;
  @ApiProperty({ description: 'When its newest data arrived' }) lastReceivedAt: Date;
  @ApiProperty() records: number;
}

export class OrderSummaryDto {
  @ApiProperty() count: number;
  @ApiProperty({ description: 'Sum of order values, decimal as string' }) totalAmount: string;
  @ApiProperty({ type: [OrderDto], description: 'Ten most recent' }) recent: OrderDto[];
}

export class StatusCountDto {
  @ApiProperty() status: string;
  @ApiProperty() count: number;
  @ApiProperty({ description: 'Of which late against the promised window' }) late: number;
}

export class OnTimeDto {
  @ApiProperty({ description: 'Delivered deliveries that had a promised window' }) delivered: number;
  @ApiProperty({ description: 'Of those, delivered by the end of the window' }) onTime: number;
  @ApiProperty({ description: 'onTime / delivered (0..1), null without any', nullable: true, type: Number })
  share: number | null;
}

export class DeliverySummaryDto {
  @ApiProperty({ description: 'Deliveries naming the customer or one of its orders' }) total: number;
  @ApiProperty({ type: [StatusCountDto], description: 'Current status counts, with how many are late' })
  byStatus: StatusCountDto[];
  @ApiProperty({ type: OnTimeDto, description: 'On-time delivery over all time (the KPI per period: /kpis)' })
  onTime: OnTimeDto;
  @ApiProperty({ type: [DeliveryDto], description: 'Ten most recent status changes' }) recent: DeliveryDto[];
}

export class InvoiceSummaryDto {
  @ApiProperty() openCount: number;
  @ApiProperty({ description: 'Decimal as string' }) openAmount: string;
  @ApiProperty() overdueCount: number;
  @ApiProperty({ description: 'Open amount past its due date, decimal as string' }) overdueAmount: string;
  @ApiProperty() disputedCount: number;
  @ApiProperty({ type: [String], description: 'Currencies of the open invoices' }) currencies: string[];
  @ApiProperty({ type: [InvoiceDto], description: 'Ten open invoices, latest due first' }) open: InvoiceDto[];
}

export class TimelineSummaryDto {
  @ApiProperty() total: number;
  @ApiProperty({ type: [TimelineEntryDto], description: 'First page (20), newest first' })
  items: TimelineEntryDto[];
}

export class SegmentSummaryDto {
  @ApiProperty({ enum: ['A', 'B', 'C'] }) abc: string;
  @ApiProperty({ enum: ['trial', 'formation', 'stable', 'decline'] }) lifecycle: string;
  @ApiProperty({ description: 'The rule and the numbers behind it' }) reason: string;
  @ApiProperty() classifiedAt: Date;
}

export class CaseBriefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'C-000042' }) number: string;
  @ApiProperty() type: string;
  @ApiProperty() priority: string;
  @ApiProperty() status: string;
  @ApiProperty() subject: string;
  @ApiProperty({ description: 'How the customer is concerned: customer (payer), shipper, consignee...' })
  role: string;
  @ApiProperty({ description: '0 on track, 1 a clock at risk, 2 a clock breached' }) escalationLevel: number;
  @ApiProperty() resolutionDueAt: Date;
}

export class CaseSummaryDto {
  @ApiProperty() open: number;
  @ApiProperty() escalated: number;
  @ApiProperty({
    type: [CaseBriefDto],
    description: 'Open cases, escalated first (at most 10; GET /cases?customerId= for all)',
  })
  recent: CaseBriefDto[];
}

export class Customer360Dto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The id asked for, when it was merged into this one',
  })
  redirectedFrom: string | null;
  @ApiProperty() profile: CustomerProfileDto;
  @ApiProperty({ type: [SourceIdentityDto] }) identities: SourceIdentityDto[];
  @ApiProperty({ type: [ContactDto] }) contacts: ContactDto[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) addresses: object[];
  @ApiProperty({ type: [RoleDto], description: 'Roles the customer plays in orders and deliveries' })
  roles: RoleDto[];
  @ApiProperty() orders: OrderSummaryDto;
  @ApiProperty() deliveries: DeliverySummaryDto;
  @ApiProperty() invoices: InvoiceSummaryDto;
  @ApiProperty() timeline: TimelineSummaryDto;
  @ApiProperty({ type: [FreshnessDto], description: 'Per connector instance: how current its data is' })
  freshness: FreshnessDto[];
  @ApiProperty() pendingMergeProposals: number;
  @ApiPropertyOptional({
    type: SegmentSummaryDto,
    nullable: true,
    description: 'Class and stage as last classified',
  })
  segment: SegmentSummaryDto | null;
  @ApiProperty({
    description: 'Open complaint and service cases, including those naming the customer as a party',
  })
  cases: CaseSummaryDto;
  @ApiProperty({
    description: 'Stock the 3PL holds for the customer (GET /customers/:id/stock for the levels)',
  })
  stock: StockSummaryDto;
}
