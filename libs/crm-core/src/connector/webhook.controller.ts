import { Controller, Headers, HttpCode, Param, Post, RawBodyRequest, Req, UseFilters } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CrmErrorFilter } from '../crm-error.filter';
import { CrmError } from '../crm.errors';
import { WebhookService } from './webhook.service';

@ApiTags('connectors')
@Controller('webhooks')
@UseFilters(CrmErrorFilter)
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post(':instance/:channel')
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
    if (!req.rawBody) throw new CrmError('invalid', 'the request has no body');
    return { messageId: await this.webhooks.receive(instance, channel, req.rawBody, headers) };
  }
}

/**
 * Partners push more than JSON (flat-file IDocs, EDI, XML): keep the exact bytes of those bodies
 * too (`rawBody`), up to 10 MB. Call on the HTTP app after creating it with `rawBody: true`.
 */
export function acceptPartnerBodies(app: object): void {
  const http = app as { useBodyParser?: (type: string, options: object) => unknown };
  // JSON pushes up to 10 MB as well (the default parser stops at 100 kB).
  http.useBodyParser?.('json', { limit: '10mb' });
  http.useBodyParser?.('text', {
    type: ['text/*', 'application/xml', 'application/edi-x12', 'application/edifact'],
    limit: '10mb',
  });
  http.useBodyParser?.('raw', { type: 'application/octet-stream', limit: '10mb' });
}
