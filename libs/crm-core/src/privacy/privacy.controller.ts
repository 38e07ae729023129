import { Body, Controller, Get, HttpCode, Post, Query, UseFilters } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, AppErrorFilter, requestTenant } from '@tradelane/http';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { PrivacyService } from './privacy.service';

export class PersonQuery {
  @ApiProperty({ example: 'maria.anders@alfreds.example', description: 'The person, by e-mail (any case)' })
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email: string;
}

export class ErasureDto extends PersonQuery {
  @ApiProperty({ example: 'GDPR Art. 17 request #4711', description: 'Why (kept in the audit log)' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}

/** One person's data: export (Art. 15/20) and erasure (Art. 17), for the privacy officer. */
@ApiTags('privacy')
@Controller('privacy')
@UseFilters(AppErrorFilter)
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('people')
  @Allow('privacy:manage')
  @ApiOperation({
    summary: 'Everything the CRM holds about one person, by e-mail (their data export)',
    description:
      'Contacts on customer records, customer e-mails, interactions, case messages, the staff or portal user, ' +
      'and how many dead letters name them.',
  })
  export(@Query() q: PersonQuery) {
    return this.privacy.export(requestTenant(), q.email);
  }

  @Post('erasures')
  @HttpCode(200)
  @Allow('privacy:manage')
  @ApiOperation({
    summary: "Erase one person's data, by e-mail",
    description:
      'In one transaction: the contact leaves the customer records, e-mails and identifiers go, interactions and ' +
      'case messages lose the name (and what the person wrote, with the files they sent), the user is anonymised and disabled, dead-letter ' +
      'bodies are redacted. The audit log keeps the erasure (a hash of the e-mail, not the e-mail); the connector ' +
      'instances whose records named the person get crm.person.erased.v1.',
  })
  @ApiNotFoundResponse({ description: 'Nothing is held about this e-mail in the tenant' })
  erase(@Body() body: ErasureDto) {
    return this.privacy.erase(requestTenant(), body.email, body.reason);
  }
}
