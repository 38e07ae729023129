import {
  Controller,
  Headers,
  HttpCode,
  Inject,
  Param,
  ParseBoolPipe,
  Post,
  Query,
  RawBodyRequest,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  Allow,
  AppError,
  AppErrorFilter,
  Public,
  REQUEST_AUTHORIZER,
  RequestAuthorizer,
} from '@tradelane/http';
import { ImportReportDto } from './connector-instance.dto';
import { WebhookService } from './webhook.service';

@ApiTags('connectors')
@Controller('webhooks')
@UseFilters(AppErrorFilter)
export class WebhookController {
  constructor(
    private readonly webhooks: WebhookService,
    @Inject(REQUEST_AUTHORIZER) private readonly authorizer: RequestAuthorizer,
  ) {}

  @Post(':instance/:channel')
  @Public(
    "a signed channel checks the partner's signature; an unsigned one asks for a credential with connectors:write",
  )
  @HttpCode(202)
  @ApiOperation({
    summary: "A partner's push to a connector instance (per-instance URL)",
    description:
      'The signature is checked where the channel is signed; the payload is accepted once the broker has it, ' +
      'then translated by the connector (failures are dead-lettered with the reason).',
  })
  @ApiAcceptedResponse({ description: 'Taken: { messageId }' })
  @ApiUnauthorizedResponse({ description: 'The signature does not match' })
  async receive(
    @Param('instance') instance: string,
    @Param('channel') channel: string,
    @Req() req: RawBodyRequest<{ headers: Record<string, string | string[] | undefined> }>,
    @Headers() headers: Record<string, string | string[] | undefined>,
  ): Promise<{ messageId: string }> {
    if (!req.rawBody) throw new AppError('invalid', 'the request has no body');
    return {
      messageId: await this.webhooks.receive(instance, channel, req.rawBody, headers, (tenant) =>
        this.authorizer.require(req, 'connectors:write', tenant),
      ),
    };
  }
}

@ApiTags('connectors')
@Controller('connector-instances')
@UseFilters(AppErrorFilter)
export class ConnectorImportController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post(':id/import')
  @Allow('connectors:write')
  @ApiOperation({
    summary: 'Import a file (CSV, NDJSON, JSON; or any payload the connector accepts)',
    description:
      'The body is the file (text/csv, application/x-ndjson, application/json, application/octet-stream). ' +
      'With dryRun=true the file is translated and reported (records by type, the first 20 problems by row and ' +
      'column) and nothing is written (200). Otherwise it is taken like a dropped file (202): rows that cannot be ' +
      'mapped are dead-lettered one by one with file, row and column; the others load.',
  })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'Only report (default false)' })
  @ApiQuery({
    name: 'channel',
    required: false,
    description: "The connector's channel (default: its first unsigned webhook channel)",
  })
  @ApiHeader({
    name: 'x-file-name',
    required: false,
    description: 'The file name (the format is taken from its extension)',
  })
  @ApiBody({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: ImportReportDto, description: 'Dry run: what the file would produce' })
  @ApiAcceptedResponse({ type: ImportReportDto, description: 'Taken: { messageId }' })
  async import(
    @Param('id') id: string,
    @Query('dryRun', new ParseBoolPipe({ optional: true })) dryRun: boolean | undefined,
    @Query('channel') channel: string | undefined,
    @Req() req: RawBodyRequest<{ headers: Record<string, string | string[] | undefined> }>,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ): Promise<ImportReportDto> {
    const body = req.rawBody;
    if (!body)
      throw new AppError(
        'invalid',
        'the request has no body (send the file with a content-type such as text/csv)',
      );
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const report = await this.webhooks.importFile(id, body, {
      fileName: header('x-file-name') ?? 'upload',
      channel,
      dryRun: dryRun ?? false,
      contentType: header('content-type'),
    });
    res.status(report.dryRun ? 200 : 202);
    return report;
  }
}
