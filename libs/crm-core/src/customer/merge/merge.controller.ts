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
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, AppErrorFilter, requestTenant } from '@tradelane/http';
import { OffsetPageQuery } from '../../context/page.dto';
import { TransactionRunner } from '../../context/transaction.runner';
import {
  ActorDto,
  MergeDto,
  MergePageDto,
  MergeRequestDto,
  ProposalDto,
  ProposalPageDto,
  ProposalQuery,
} from './merge.dto';
import { MergeService } from './merge.service';

const Id = () => Param('id', ParseUUIDPipe);

@ApiTags('identity resolution')
@Controller()
@UseFilters(AppErrorFilter)
export class MergeController {
  constructor(
    private readonly merges: MergeService,
    private readonly tx: TransactionRunner,
  ) {}

  @Get('merge-proposals')
  @Allow('customers:read')
  @ApiOperation({ summary: 'Merge proposals from weak identifiers (name + postal code, e-mail domain)' })
  @ApiOkResponse({ type: ProposalPageDto })
  async proposals(@Query() q: ProposalQuery): Promise<ProposalPageDto> {
    const [items, total] = await this.merges.listProposals(
      requestTenant(q.tenant),
      q.status,
      q.limit,
      q.offset,
    );
    return { items, total, limit: q.limit, offset: q.offset };
  }

  @Post('merge-proposals/:id/accept')
  @Allow('customers:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept: merge the pair (the older customer survives)' })
  @ApiOkResponse({ type: ProposalDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already decided' })
  accept(@Param('id', ParseUUIDPipe) id: string, @Body() body: ActorDto): Promise<ProposalDto> {
    return this.tx.run((uow) => this.merges.decide(uow, id, true, body.actor ?? 'api'));
  }

  @Post('merge-proposals/:id/reject')
  @Allow('customers:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject: keep the pair apart' })
  @ApiOkResponse({ type: ProposalDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already decided' })
  reject(@Param('id', ParseUUIDPipe) id: string, @Body() body: ActorDto): Promise<ProposalDto> {
    return this.tx.run((uow) => this.merges.decide(uow, id, false, body.actor ?? 'api'));
  }

  @Post('merges/:id/unmerge')
  @Allow('customers:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Undo a merge',
    description:
      'Exactly the records the merge moved go back, with every order, delivery, invoice and interaction naming them. ' +
      'Automatic matching will not merge the pair again.',
  })
  @ApiOkResponse({ type: MergeDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already undone, or a later merge must be undone first' })
  unmerge(@Param('id', ParseUUIDPipe) id: string, @Body() body: ActorDto): Promise<MergeDto> {
    return this.tx.run((uow) => this.merges.unmerge(uow, id, body.actor ?? 'api'));
  }

  @Get('customers/:id/merges')
  @Allow('customers:read')
  @ApiOperation({ summary: 'Merges this customer took part in (as survivor or merged), newest first' })
  @ApiOkResponse({ type: MergePageDto })
  async mergesOf(@Id() id: string, @Query() q: OffsetPageQuery): Promise<MergePageDto> {
    const [items, total] = await this.merges.listMerges(id, q.limit, q.offset);
    return { items, total, limit: q.limit, offset: q.offset };
  }

  @Post('customers/:id/merge')
  @Allow('customers:write')
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
