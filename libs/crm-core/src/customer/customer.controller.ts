import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AppErrorFilter, requestTenant } from '@tradelane/http';
import { CustomerPageDto, CustomerSearchQuery } from './customer.dto';
import { CustomerService } from './customer.service';

@ApiTags('customers')
@Controller('customers')
@UseFilters(AppErrorFilter)
@ApiBadRequestResponse({ description: 'Invalid parameter (the message names it)' })
export class CustomerController {
  constructor(private readonly customers: CustomerService) {}

  @Get()
  @Allow('customers:read')
  @ApiOperation({ summary: 'Search customers by name (prefix), external id, VAT id, EORI, DUNS or e-mail' })
  @ApiOkResponse({ type: CustomerPageDto })
  async search(@Query() q: CustomerSearchQuery): Promise<CustomerPageDto> {
    const [rows, total] = await this.customers.search({ ...q, tenant: requestTenant(q.tenant) });
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
}
