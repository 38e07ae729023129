import { Controller, Get, Param, ParseUUIDPipe, Query, UseFilters } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PartnerService, Principal } from '@tradelane/access';
import { Allow, AppErrorFilter, Authenticated, ForPartners } from '@tradelane/http';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PartnerViewRepository } from './partner-view.repository';

export class PartnerListQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;

  @ApiPropertyOptional({ description: 'nextCursor of the page before (oldest first)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Only this status' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  status?: string;
}

export class PartnerStockQueryDto extends PartnerListQueryDto {
  @ApiPropertyOptional({ description: 'Only this SKU' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sku?: string;
}

/**
 * The partner API, first part (issue 16: what a partner may read; issue 18 adds filters by date,
 * ETags, webhooks and writes): a partner's user or client reads the orders, shipments, invoices,
 * cases and stock one of its customers is a party to. The database decides which (the partner
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
  @Allow('orders:read')
  @ApiOperation({ summary: 'Its orders, oldest first (amounts with invoices:read)' })
  orders(@CurrentPrincipal() p: Principal, @Query() q: PartnerListQueryDto) {
    return this.view.list('orders', q, amounts(p));
  }

  @Get('orders/:id')
  @Allow('orders:read')
  @ApiOperation({ summary: 'One of its orders with its lines' })
  @ApiNotFoundResponse({ description: 'No such order, or not one of its' })
  order(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.view.get('orders', id, amounts(p));
  }

  @Get('shipments')
  @Allow('shipments:read')
  @ApiOperation({ summary: 'Its shipments (deliveries), oldest first' })
  shipments(@Query() q: PartnerListQueryDto) {
    return this.view.list('shipments', q, false);
  }

  @Get('shipments/:id')
  @Allow('shipments:read')
  @ApiOperation({ summary: 'One of its shipments with the tracking timeline' })
  @ApiNotFoundResponse({ description: 'No such shipment, or not one of its' })
  async shipment(@Param('id', ParseUUIDPipe) id: string) {
    const s = await this.view.get('shipments', id, false);
    return { ...s, timeline: await this.view.shipmentEvents(String(s.source), String(s.externalId)) };
  }

  @Get('invoices')
  @Allow('invoices:read')
  @ApiOperation({ summary: 'Its invoices, oldest first' })
  invoices(@Query() q: PartnerListQueryDto) {
    return this.view.list('invoices', q, true);
  }

  @Get('invoices/:id')
  @Allow('invoices:read')
  @ApiOperation({ summary: 'One of its invoices' })
  @ApiNotFoundResponse({ description: 'No such invoice, or not one of its' })
  invoice(@Param('id', ParseUUIDPipe) id: string) {
    return this.view.get('invoices', id, true);
  }

  @Get('cases')
  @Allow('cases:read')
  @ApiOperation({ summary: 'Its cases with their SLA clocks, oldest first' })
  cases(@Query() q: PartnerListQueryDto) {
    return this.view.list('cases', q, false);
  }

  @Get('cases/:id')
  @Allow('cases:read')
  @ApiOperation({ summary: 'One of its cases with the messages meant for it (never internal notes)' })
  @ApiNotFoundResponse({ description: 'No such case, or not one of its' })
  async case(@Param('id', ParseUUIDPipe) id: string) {
    const c = await this.view.get('cases', id, false);
    return { ...c, messages: await this.view.caseMessages(id) };
  }

  @Get('stock')
  @Allow('inventory:read')
  @ApiOperation({ summary: 'Stock counts of its goods, oldest first' })
  stock(@Query() q: PartnerStockQueryDto) {
    return this.view.list('stock', q, false);
  }
}

/** Order amounts are commercial figures: a partner sees them with invoices:read. */
const amounts = (p: Principal): boolean => p.permissions.has('invoices:read');
