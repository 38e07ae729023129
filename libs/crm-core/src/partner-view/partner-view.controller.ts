import { Controller, Get, Param, ParseUUIDPipe, Query, UseFilters } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, PartnerService, Principal } from '@tradelane/access';
import {
  Allow,
  AppError,
  AppErrorFilter,
  Authenticated,
  ForPartners,
  PERMISSION_NAMES,
  queryBoolean,
} from '@tradelane/http';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { KPI_NAMES, KPI_PERIODS } from '../context/kpi-catalogue';
import { PARTNER_RESOURCES, PartnerResource, PartnerResourceName, visibleFields } from './partner-resources';
import {
  PartnerCaseDetailDto,
  PartnerCasePageDto,
  PartnerInvoiceDto,
  PartnerInvoicePageDto,
  PartnerMeDto,
  PartnerOrderDto,
  PartnerOrderPageDto,
  PartnerScorecardDto,
  PartnerShipmentDetailDto,
  PartnerShipmentPageDto,
  PartnerStockPageDto,
} from './partner-view.dto';
import { Fields, PartnerViewRepository } from './partner-view.repository';

export class PartnerListQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'Page size' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;

  @ApiPropertyOptional({ description: 'nextCursor of the page before (records in commit order)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Only this status' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  status?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only records changed at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: "The record's business date (ordered, status, issued, opened, as of) at or after this",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: "The record's business date before this" })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    description: 'Comma-separated fields to return (id always); a field outside the scopes is refused (403)',
    example: 'id,status,updatedAt',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  fields?: string;
}

export class PartnerShipmentQueryDto extends PartnerListQueryDto {
  @ApiPropertyOptional({ description: "Only the shipments of this order (the order's externalId)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  orderExternalId?: string;
}

export class PartnerInvoiceQueryDto extends PartnerListQueryDto {
  @ApiPropertyOptional({ type: 'boolean', description: 'Only (true) or no (false) overdue invoices' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Only (true) or no (false) invoices with an amount open',
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  open?: boolean;
}

export class PartnerCaseQueryDto extends PartnerListQueryDto {
  @ApiPropertyOptional({ description: 'Only this case type (complaint, ...)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  type?: string;

  @ApiPropertyOptional({ description: 'Only this priority' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  priority?: string;
}

export class PartnerStockQueryDto extends PartnerListQueryDto {
  @ApiPropertyOptional({ description: 'Only this SKU' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sku?: string;

  @ApiPropertyOptional({ description: 'Only this warehouse' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  warehouse?: string;

  @ApiPropertyOptional({ description: 'Only this lot' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lot?: string;
}

export class PartnerFieldsQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated fields to return (id always)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  fields?: string;
}

export class PartnerScorecardQueryDto {
  @ApiPropertyOptional({ enum: KPI_PERIODS, default: 'month', description: 'Period of the values' })
  @IsOptional()
  @IsIn(KPI_PERIODS)
  period: (typeof KPI_PERIODS)[number] = 'month';

  @ApiPropertyOptional({ format: 'date', description: 'Periods starting at or after this day' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Periods starting before this day' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: KPI_NAMES, description: 'Only this KPI' })
  @IsOptional()
  @IsIn(KPI_NAMES)
  kpi?: string;
}

/**
 * The partner API's reads: a partner's user or client reads the orders, shipments, invoices, cases,
 * stock and scorecard one of its customers is a party to, paged in commit order, filtered, with
 * field selection inside its scopes (answers carry ETags: `If-None-Match` gets a 304). The database decides which (the partner
 * scope); another partner's record answers 404, as one that does not exist.
 */
@ApiTags('partner')
@Controller('partner/v1')
@ForPartners()
@UseFilters(AppErrorFilter)
export class PartnerViewController {
  constructor(
    private readonly view: PartnerViewRepository,
    private readonly partners: PartnerService,
  ) {}

  @Get('me')
  @ApiOkResponse({ type: PartnerMeDto })
  @Authenticated()
  @ApiOperation({ summary: 'The partner organisation of the credential and the customers it is' })
  async me(@CurrentPrincipal() p: Principal) {
    const partner = await this.partners.get(p.tenant, p.partner as string);
    return {
      partner: { id: partner.id, name: partner.name, kinds: partner.kinds },
      customers: await this.view.customers(),
    };
  }

  @Get('orders')
  @ApiOkResponse({ type: PartnerOrderPageDto })
  @Allow('orders:read')
  @ApiOperation({ summary: 'Its orders in commit order (amounts with invoices:read)' })
  orders(@CurrentPrincipal() p: Principal, @Query() q: PartnerListQueryDto) {
    return this.list(p, 'orders', q);
  }

  @Get('orders/:id')
  @ApiOkResponse({ type: PartnerOrderDto })
  @Allow('orders:read')
  @ApiOperation({ summary: 'One of its orders with its lines' })
  @ApiNotFoundResponse({ description: 'No such order, or not one of its' })
  order(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PartnerFieldsQueryDto,
  ) {
    return this.view.get('orders', id, fieldsOf(p, 'orders', q.fields));
  }

  @Get('shipments')
  @ApiOkResponse({ type: PartnerShipmentPageDto })
  @Allow('shipments:read')
  @ApiOperation({ summary: 'Its shipments (deliveries) with ETA and position, in commit order' })
  shipments(@CurrentPrincipal() p: Principal, @Query() q: PartnerShipmentQueryDto) {
    return this.list(p, 'shipments', q, { orderExternalId: q.orderExternalId });
  }

  @Get('shipments/:id')
  @ApiOkResponse({ type: PartnerShipmentDetailDto })
  @Allow('shipments:read')
  @ApiOperation({ summary: 'One of its shipments with the tracking timeline' })
  @ApiNotFoundResponse({ description: 'No such shipment, or not one of its' })
  async shipment(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PartnerFieldsQueryDto,
  ) {
    const fields = fieldsOf(p, 'shipments', q.fields);
    const keys = await this.view.get('shipments', id, { source: 'source', externalId: 'external_id' });
    const s = await this.view.get('shipments', id, fields);
    return { ...s, timeline: await this.view.shipmentEvents(String(keys.source), String(keys.externalId)) };
  }

  @Get('invoices')
  @ApiOkResponse({ type: PartnerInvoicePageDto })
  @Allow('invoices:read')
  @ApiOperation({ summary: 'Its invoices with open and overdue amounts, in commit order' })
  invoices(@CurrentPrincipal() p: Principal, @Query() q: PartnerInvoiceQueryDto) {
    return this.list(p, 'invoices', q, {}, { overdue: q.overdue, open: q.open });
  }

  @Get('invoices/:id')
  @ApiOkResponse({ type: PartnerInvoiceDto })
  @Allow('invoices:read')
  @ApiOperation({ summary: 'One of its invoices' })
  @ApiNotFoundResponse({ description: 'No such invoice, or not one of its' })
  invoice(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PartnerFieldsQueryDto,
  ) {
    return this.view.get('invoices', id, fieldsOf(p, 'invoices', q.fields));
  }

  @Get('cases')
  @ApiOkResponse({ type: PartnerCasePageDto })
  @Allow('cases:read')
  @ApiOperation({ summary: 'Its cases with their SLA clocks, in commit order' })
  cases(@CurrentPrincipal() p: Principal, @Query() q: PartnerCaseQueryDto) {
    return this.list(p, 'cases', q, { type: q.type, priority: q.priority });
  }

  @Get('cases/:id')
  @ApiOkResponse({ type: PartnerCaseDetailDto })
  @Allow('cases:read')
  @ApiOperation({ summary: 'One of its cases with the messages meant for it (never internal notes)' })
  @ApiNotFoundResponse({ description: 'No such case, or not one of its' })
  async case(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PartnerFieldsQueryDto,
  ) {
    const c = await this.view.get('cases', id, fieldsOf(p, 'cases', q.fields));
    return { ...c, messages: await this.view.caseMessages(id) };
  }

  @Get('stock')
  @ApiOkResponse({ type: PartnerStockPageDto })
  @Allow('inventory:read')
  @ApiOperation({ summary: 'Stock of its goods per SKU, lot, warehouse and status (the stock view)' })
  stock(@CurrentPrincipal() p: Principal, @Query() q: PartnerStockQueryDto) {
    return this.list(p, 'stock', q, { sku: q.sku, warehouse: q.warehouse, lot: q.lot });
  }

  @Get('scorecard')
  @ApiOkResponse({ type: PartnerScorecardDto })
  @Allow('scorecard:read')
  @ApiOperation({ summary: "Its customers' service KPIs per period against the agreed targets" })
  async scorecard(@Query() q: PartnerScorecardQueryDto) {
    const rows = await this.view.scorecard({
      period: q.period,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      kpi: q.kpi,
    });
    return { period: q.period, items: rows };
  }

  private list(
    p: Principal,
    resource: PartnerResourceName,
    q: PartnerListQueryDto,
    filters: Record<string, string | undefined> = {},
    flags: Record<string, boolean | undefined> = {},
  ) {
    return this.view.list(
      resource,
      {
        limit: q.limit,
        cursor: q.cursor,
        status: q.status,
        updatedSince: q.updatedSince ? new Date(q.updatedSince) : undefined,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        filters: defined(filters),
        flags: defined(flags),
      },
      fieldsOf(p, resource, q.fields),
    );
  }
}

function defined<T>(o: Record<string, T | undefined>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, T>;
}

/**
 * The fields of `resource` to answer with: those `fields` names (id always), or every one the
 * principal may see. A name that is no field is a 400; one its scopes do not show, a 403.
 */
export function fieldsOf(p: Principal, resource: PartnerResourceName, fields?: string): Fields {
  const visible = visibleFields(resource, p.permissions);
  if (fields === undefined || fields.trim() === '') return visible;
  const all = visibleFields(resource, new Set(PERMISSION_NAMES));
  const out: Fields = { id: visible.id };
  for (const name of fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)) {
    if (!(name in all))
      throw new AppError(
        'invalid',
        `fields: ${resource} have no field "${name}" (${Object.keys(all).join(', ')})`,
      );
    if (!(name in visible)) {
      const r: PartnerResource = PARTNER_RESOURCES[resource];
      throw new AppError('forbidden', `fields: ${name} needs the ${r.guarded?.permission} scope`);
    }
    out[name] = visible[name];
  }
  return out;
}
