import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// The webhook answers as OpenAPI types (the portal's generated client and partners' generators).

export class WebhookSubscriptionDto {
  @ApiProperty({ description: 'Subscription id' }) id: string;
  @ApiProperty({ description: 'Where the events are POSTed' }) url: string;
  @ApiProperty({ type: [String], description: 'The events it receives' }) eventTypes: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'What it is for' })
  description: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Who hears when it fails' })
  contactEmail: string | null;
  @ApiProperty({
    enum: ['active', 'paused', 'failing'],
    description: 'active, paused, or failing (schedule exhausted)',
  })
  status: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Since when it fails' })
  failingSince: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'When the endpoint answered the verification',
  })
  verifiedAt: string | null;
  @ApiProperty({ description: 'Secrets signing now (2 during a rotation overlap)' }) signingSecrets: number;
  @ApiProperty({ description: 'Created' }) createdAt: string;
  @ApiProperty({ description: 'Last changed' }) updatedAt: string;
}

export class WebhookWithSecretDto extends WebhookSubscriptionDto {
  @ApiProperty({ description: 'The signing secret (whsec_...), shown this once' }) secret: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookSubscriptionDto], description: 'Its subscriptions' })
  items: WebhookSubscriptionDto[];
}

export class WebhookAttemptDto {
  @ApiProperty({ description: 'Attempt id' }) id: string;
  @ApiProperty({ description: 'The event id (webhook-id)' }) eventId: string;
  @ApiProperty({ description: 'The delivery it belongs to' }) deliveryId: string;
  @ApiProperty({ description: 'Attempt number (1 = first)' }) attempt: number;
  @ApiProperty({ description: 'When it was sent' }) at: string;
  @ApiProperty({ description: 'Answered 2xx' }) ok: boolean;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'HTTP status of the answer (null: none)',
  })
  statusCode: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Milliseconds to the answer' })
  latencyMs: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why it failed (time-out, refused...)' })
  error: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The start of the answer body' })
  responseExcerpt: string | null;
}

export class WebhookAttemptPageDto {
  @ApiProperty({ type: [WebhookAttemptDto], description: 'Attempts, newest first' })
  items: WebhookAttemptDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as ?before= for older ones' })
  nextBefore: string | null;
}

export class WebhookDeliveryDto {
  @ApiProperty({ description: 'Delivery id' }) id: string;
  @ApiProperty({ description: 'The event id (webhook-id, the same on every attempt)' }) eventId: string;
  @ApiProperty({ description: 'Event type' }) eventType: string;
  @ApiProperty({ description: 'When the event happened' }) occurredAt: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], description: 'Where it stands' }) status: string;
  @ApiProperty({ description: 'Attempts so far' }) attempts: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Next attempt (pending)' })
  nextAttemptAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'When it was delivered' })
  deliveredAt: string | null;
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto], description: 'Events owed, newest first' })
  items: WebhookDeliveryDto[];
}

export class ReplayResultDto {
  @ApiProperty({ description: 'Events sent again, with their original ids' }) replayed: number;
}

export class WebhookScheduleDto {
  @ApiProperty({ type: [String], description: 'Event types a subscription may ask for' })
  eventTypes: string[];
  @ApiProperty({ type: [Number], description: 'Seconds before each retry (this deployment)' })
  retrySeconds: number[];
  @ApiProperty({ type: [Number], description: 'The published default schedule' })
  defaultRetrySeconds: number[];
  @ApiProperty({ description: 'Jitter applied to each wait (a share, ±)' }) jitter: number;
  @ApiProperty({ description: 'Seconds a receiver has to answer' }) timeoutSeconds: number;
  @ApiProperty({ description: 'How requests are signed' }) signature: string;
  @ApiProperty({ description: 'What a request body holds' }) body: string;
}
