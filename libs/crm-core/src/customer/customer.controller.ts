import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AppErrorFilter } from '@tradelane/http';
import { TransactionRunner } from '../context/transaction.runner';
import { CustomerViewService } from '../customer-view/customer-view.service';
import { MergeDto, MergePageDto, MergeRequestDto } from '../merge/merge.dto';
import { MergeService } from '../merge/merge.service';
import {
  Customer360Dto,
  CustomerPageDto,
  CustomerSearchQuery,
  DeliveryPageDto,
  InvoicePageDto,
  InvoiceQuery,
  OffsetPageQuery,
  OrderPageDto,
  SourceIdentityDto,
  TimelinePageDto,
} from './customer.dto';
import { CustomerService } from './customer.service';

const Id = () => Param('id', ParseUUIDPipe);

@ApiTags('customers')
@Controller('customers')
@UseFilters(AppErrorFilter)
@ApiBadRequestResponse({ description: 'Invalid parameter (the message names it)' })
export class CustomerController {
  constructor(
    private readonly customers: CustomerService,
    private readonly views: CustomerViewService,
    private readonly merges: MergeService,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Search customers by name (prefix), external id, VAT id, EORI, DUNS or e-mail' })
  @ApiOkResponse({ type: CustomerPageDto })
  async search(@Query() q: CustomerSearchQuery): Promise<CustomerPageDto> {
    const [rows, total] = await this.customers.search(q);
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        vatId: r.vat_id,
        email: r.email,
        city: r.city,
        postalCode: r.postal_code,
        country: r.country,
        identities: r.identities ?? [],
        revision: r.revision,
        updatedAt: r.updated_at,
      })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get(':id')
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
  @ApiOperation({ summary: 'The source records that make up the customer' })
  @ApiOkResponse({ type: [SourceIdentityDto] })
  identities(@Id() id: string): Promise<SourceIdentityDto[]> {
    return this.views.identities(id);
  }

  @Get(':id/orders')
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
  @ApiOperation({ summary: 'Invoices of the customer, latest due first' })
  @ApiOkResponse({ type: InvoicePageDto })
  async invoices(@Id() id: string, @Query() q: InvoiceQuery): Promise<InvoicePageDto> {
    return {
      ...(await this.views.invoices(id, q.open, q.limit, q.offset)),
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: 'Interactions and delivery status changes, newest first' })
  @ApiOkResponse({ type: TimelinePageDto })
  async timeline(@Id() id: string, @Query() q: OffsetPageQuery): Promise<TimelinePageDto> {
    return {
      ...(await this.views.timeline(id, q.limit, q.offset)),
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get(':id/merges')
  @ApiOperation({ summary: 'Merges this customer took part in (as survivor or merged), newest first' })
  @ApiOkResponse({ type: MergePageDto })
  async mergesOf(@Id() id: string, @Query() q: OffsetPageQuery): Promise<MergePageDto> {
    const [items, total] = await this.merges.listMerges(id, q.limit, q.offset);
    return { items, total, limit: q.limit, offset: q.offset };
  }

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge another customer into this one',
    description:
      'Every record of the other customer (and so its orders, deliveries, invoices, interactions) moves here.',
  })
  @ApiOkResponse({ type: MergeDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'One of them is already merged' })
  merge(@Id() id: string, @Body() body: MergeRequestDto): Promise<MergeDto> {
    return this.tx.run((uow) =>
      this.merges.merge(uow, id, body.customerId, {
        kind: 'manual',
        rule: 'manual',
        evidence: body.reason ?? null,
        actor: body.actor ?? 'api',
      }),
    );
  }
}
