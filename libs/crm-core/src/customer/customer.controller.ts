import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Order } from '../order/order.entity';
import { OrderService } from '../order/order.service';
import {
  CustomerDto,
  CustomerPageDto,
  CustomerSearchQuery,
  CustomerViewDto,
  OffsetPageQuery,
  OrderDto,
  OrderPageDto,
} from './customer.dto';
import { Customer } from './customer.entity';
import { CustomerService } from './customer.service';

@ApiTags('customers')
@Controller('customers')
export class CustomerController {
  constructor(
    private readonly customers: CustomerService,
    private readonly orders: OrderService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Search customers by name, external id, VAT id or e-mail' })
  @ApiOkResponse({ type: CustomerPageDto })
  async search(@Query() q: CustomerSearchQuery): Promise<CustomerPageDto> {
    const [items, total] = await this.customers.search(q);
    return { items: items.map(toCustomerDto), total, limit: q.limit, offset: q.offset };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One customer with an order summary' })
  @ApiOkResponse({ type: CustomerViewDto })
  @ApiNotFoundResponse()
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<CustomerViewDto> {
    const customer = await this.customerOr404(id);
    const [[recent], totals] = await Promise.all([
      this.orders.forCustomer(customer, 10, 0),
      this.orders.totalsForCustomer(customer),
    ]);
    return { customer: toCustomerDto(customer), orders: totals, recentOrders: recent.map(toOrderDto) };
  }

  @Get(':id/orders')
  @ApiOperation({ summary: 'Orders of a customer, newest first' })
  @ApiOkResponse({ type: OrderPageDto })
  async listOrders(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: OffsetPageQuery,
  ): Promise<OrderPageDto> {
    const customer = await this.customerOr404(id);
    const [items, total] = await this.orders.forCustomer(customer, q.limit, q.offset);
    return { items: items.map(toOrderDto), total, limit: q.limit, offset: q.offset };
  }

  private async customerOr404(id: string): Promise<Customer> {
    const customer = await this.customers.get(id);
    if (!customer) throw new NotFoundException(`customer ${id} not found`);
    return customer;
  }
}

/** Everything but bookkeeping columns. */
function toCustomerDto(c: Customer): CustomerDto {
  const { createdAt: _created, updatedAt: _updated, sourceMessageId: _message, ...dto } = c;
  return dto;
}

/** The order without its lines (a count instead) and bookkeeping columns. */
function toOrderDto(o: Order): OrderDto {
  const {
    lines,
    tenant: _tenant,
    customerExternalId: _customerRef,
    sourceUpdatedAt: _at,
    sourceMessageId: _message,
    revision: _revision,
    createdAt: _created,
    updatedAt: _updated,
    ...dto
  } = o;
  return { ...dto, lineCount: lines.length };
}
