import { Controller, Get, Param, ParseUUIDPipe, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, AppErrorFilter } from '@tradelane/http';
import {
  Customer360Dto,
  DeliveryPageDto,
  InvoicePageDto,
  InvoiceQuery,
  OffsetPageQuery,
  OrderPageDto,
  SourceIdentityDto,
  StockMovementPageDto,
  StockPageDto,
  StockQuery,
  TimelinePageDto,
} from '../customer/customer.dto';
import { CustomerViewService } from './customer-view.service';

const Id = () => Param('id', ParseUUIDPipe);

/** The customer 360: one unified customer with everything every connector sent about it. */
@ApiTags('customers')
@Controller('customers')
@UseFilters(AppErrorFilter)
@ApiBadRequestResponse({ description: 'Invalid parameter (the message names it)' })
export class CustomerViewController {
  constructor(private readonly views: CustomerViewService) {}

  @Get(':id')
  @Allow('customers:read')
  @ApiOperation({
    summary: 'Customer 360',
    description:
      'Profile with per-field provenance, identities in every system, contacts, roles, recent orders, deliveries ' +
      'with status, open and overdue invoices, timeline, per-connector freshness. A merged id answers with its survivor.',
  })
  @ApiOkResponse({ type: Customer360Dto })
  @ApiNotFoundResponse()
  get(@Id() id: string): Promise<Customer360Dto> {
    return this.views.get(id);
  }

  @Get(':id/identities')
  @Allow('customers:read')
  @ApiOperation({ summary: 'The source records that make up the customer' })
  @ApiOkResponse({ type: [SourceIdentityDto] })
  identities(@Id() id: string): Promise<SourceIdentityDto[]> {
    return this.views.identities(id);
  }

  @Get(':id/orders')
  @Allow('orders:read')
  @ApiOperation({ summary: 'Orders of the customer (every source), newest first' })
  @ApiOkResponse({ type: OrderPageDto })
  async orders(@Id() id: string, @Query() q: OffsetPageQuery): Promise<OrderPageDto> {
    return {
      ...(await this.views.orders(id, q.limit, q.offset)),
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get(':id/deliveries')
  @Allow('shipments:read')
  @ApiOperation({
    summary: 'Deliveries naming the customer or one of its orders, latest status change first',
  })
  @ApiOkResponse({ type: DeliveryPageDto })
  async deliveries(@Id() id: string, @Query() q: OffsetPageQuery): Promise<DeliveryPageDto> {
    return {
      ...(await this.views.deliveries(id, q.limit, q.offset)),
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get(':id/invoices')
  @Allow('invoices:read')
  @ApiOperation({ summary: 'Invoices of the customer, latest due first' })
  @ApiOkResponse({ type: InvoicePageDto })
  async invoices(@Id() id: string, @Query() q: InvoiceQuery): Promise<InvoicePageDto> {
    return {
      ...(await this.views.invoices(id, q.open, q.limit, q.offset)),
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get(':id/stock')
  @Allow('inventory:read')
  @ApiOperation({
    summary: "The customer's stock at the warehouses: level per SKU, lot, warehouse and status",
  })
  @ApiOkResponse({ type: StockPageDto })
  async stock(@Id() id: string, @Query() q: StockQuery): Promise<StockPageDto> {
    return {
      ...((await this.views.stock(id, q.sku, q.limit, q.offset)) as unknown as Pick<
        StockPageDto,
        'items' | 'total'
      >),
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get(':id/stock/movements')
  @Allow('inventory:read')
  @ApiOperation({ summary: 'History of the stock: every level reported and change, newest first' })
  @ApiOkResponse({ type: StockMovementPageDto })
  async stockMovements(@Id() id: string, @Query() q: StockQuery): Promise<StockMovementPageDto> {
    return {
      ...((await this.views.stockMovements(id, q.sku, q.limit, q.offset)) as unknown as Pick<
        StockMovementPageDto,
        'items' | 'total'
      >),
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get(':id/timeline')
  @Allow('interactions:read')
  @ApiOperation({ summary: 'Interactions and delivery status changes, newest first' })
  @ApiOkResponse({ type: TimelinePageDto })
  async timeline(@Id() id: string, @Query() q: OffsetPageQuery): Promise<TimelinePageDto> {
    return {
      ...(await this.views.timeline(id, q.limit, q.offset)),
      limit: q.limit,
      offset: q.offset,
    };
  }
}
