import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@tradelane/access';
import { Allow, AppErrorFilter, ForPartners } from '@tradelane/http';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { WebhookSubscriptionService } from './webhook-subscription.service';
import { DEFAULT_RETRY_SECONDS, JITTER, WEBHOOK_EVENT_NAMES } from './webhook.config';

import {
  ReplayResultDto,
  WebhookAttemptPageDto,
  WebhookDeliveryListDto,
  WebhookListDto,
  WebhookScheduleDto,
  WebhookSubscriptionDto,
  WebhookWithSecretDto,
} from './webhook.dto';

const URL_RULES = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

export class CreateWebhookDto {
  @ApiProperty({ description: 'Where to POST the events (http or https; verified before it is stored)' })
  @IsUrl(URL_RULES)
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_NAMES, isArray: true, description: 'The events to receive' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_NAMES.length)
  @IsIn(WEBHOOK_EVENT_NAMES, { each: true })
  eventTypes: string[];

  @ApiPropertyOptional({ description: 'What the subscription is for' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ description: 'Who to tell when the subscription fails its whole retry schedule' })
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  contactEmail?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ description: 'A new URL (verified again)' })
  @IsOptional()
  @IsUrl(URL_RULES)
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_NAMES, isArray: true, description: 'The events to receive' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(WEBHOOK_EVENT_NAMES, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: 'What the subscription is for' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ description: 'Who to tell when it fails' })
  @IsOptional()
  @IsEmail()
  contactEmail?: string;

  @ApiPropertyOptional({
    enum: ['active', 'paused'],
    description: 'paused: events are not owed meanwhile; active again after failing: what waits is sent',
  })
  @IsOptional()
  @IsIn(['active', 'paused'])
  status?: string;
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 168,
    default: 24,
    description: 'Hours the old secret keeps signing next to the new one',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(168)
  overlapHours?: number;
}

export class ReplayDto {
  @ApiProperty({ format: 'date-time', description: 'Events that happened at or after this' })
  @IsISO8601({ strict: true })
  since: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this (default now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

class WebhookPageDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'Page size' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
}

export class AttemptsQueryDto extends WebhookPageDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'nextBefore of the page before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  before?: string;
}

export class DeliveriesQueryDto extends WebhookPageDto {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed'], description: 'Only this status' })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'failed'])
  status?: string;
}

/**
 * A partner's webhook subscriptions, self-service: each event is POSTed signed per Standard
 * Webhooks (webhook-id = the event's id on every attempt, webhook-timestamp, webhook-signature
 * `v1,<HMAC-SHA256 of id.timestamp.body>`, one per signing secret), retried on the published
 * schedule, with the delivery log and replay of a time window.
 */
@ApiTags('partner webhooks')
@Controller('partner/v1/webhooks')
@ForPartners()
@UseFilters(AppErrorFilter)
export class PartnerWebhookController {
  constructor(private readonly subs: WebhookSubscriptionService) {}

  @Get('schedule')
  @ApiOkResponse({ type: WebhookScheduleDto })
  @Allow('webhooks:manage')
  @ApiOperation({ summary: 'The event types, the retry schedule and the signature scheme' })
  schedule() {
    return {
      eventTypes: WEBHOOK_EVENT_NAMES,
      retrySeconds: this.subs.settings.retrySeconds,
      defaultRetrySeconds: DEFAULT_RETRY_SECONDS,
      jitter: JITTER,
      timeoutSeconds: this.subs.settings.timeoutMs / 1000,
      signature:
        'Standard Webhooks v1 (https://www.standardwebhooks.com): HMAC-SHA256 over "<id>.<timestamp>.<body>"',
      body: '{ "type": "<event type>", "timestamp": "<event time>", "data": <the record as the partner API shows it> }',
    };
  }

  @Post()
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  @Allow('webhooks:manage')
  @ApiOperation({
    summary:
      'Subscribe: the URL gets a signed webhook.verification event and must answer 2xx; the secret is shown once',
  })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateWebhookDto) {
    return this.subs.create(p, dto);
  }

  @Get()
  @ApiOkResponse({ type: WebhookListDto })
  @Allow('webhooks:manage')
  @ApiOperation({ summary: 'Its subscriptions' })
  async list() {
    return { items: await this.subs.list() };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  @Allow('webhooks:manage')
  @ApiOperation({ summary: 'One subscription' })
  @ApiNotFoundResponse({ description: 'No such subscription, or not one of its' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.subs.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  @Allow('webhooks:manage')
  @ApiOperation({ summary: 'Change the URL, event types, contact; pause, or re-activate a failing one' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookDto) {
    return this.subs.update(id, dto);
  }

  @Delete(':id')
  @Allow('webhooks:manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe (what is still owed is dropped)' })
  async remove(@Param('id', ParseUUIDPipe) id: string) {
    await this.subs.remove(id);
  }

  @Post(':id/rotate-secret')
  @ApiOkResponse({ type: WebhookWithSecretDto })
  @Allow('webhooks:manage')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new secret; the old one keeps signing for overlapHours (both signatures are sent)',
  })
  rotate(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RotateSecretDto) {
    return this.subs.rotate(id, dto.overlapHours);
  }

  @Get(':id/attempts')
  @ApiOkResponse({ type: WebhookAttemptPageDto })
  @Allow('webhooks:manage')
  @ApiOperation({
    summary: 'The delivery log: each attempt with status, latency, response code and body excerpt',
  })
  attempts(@Param('id', ParseUUIDPipe) id: string, @Query() q: AttemptsQueryDto) {
    return this.subs.attempts(id, q);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @Allow('webhooks:manage')
  @ApiOperation({ summary: 'The events owed, delivered or failed, newest first' })
  deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() q: DeliveriesQueryDto) {
    return this.subs.deliveries(id, q);
  }

  @Post(':id/replay')
  @ApiOkResponse({ type: ReplayResultDto })
  @Allow('webhooks:manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the events of a time window again, with their original webhook-ids' })
  replay(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReplayDto) {
    return this.subs.replay(id, new Date(dto.since), dto.until ? new Date(dto.until) : new Date());
  }
}
