import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBase64, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * `connector.webhook.received.v1`: a partner pushed a payload to an instance's webhook URL and its
 * signature (where the partner signs) was good. The body travels as received, so a payload the
 * connector cannot translate is dead-lettered whole, with the reason, and can be redriven.
 */
export class WebhookReceivedV1 {
  @ApiProperty({ description: 'Accept channel of the connector', example: 'orders-webhook' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  channel: string;

  @ApiPropertyOptional({ example: 'application/json' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contentType?: string;

  @ApiProperty({ description: 'Request headers the connector may need (lower-case names; no credentials)' })
  @IsObject()
  headers: Record<string, string>;

  @ApiProperty({ description: 'The request body, base64' })
  @IsBase64()
  @MaxLength(14_000_000)
  bodyBase64: string;
}
