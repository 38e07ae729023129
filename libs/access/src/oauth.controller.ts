import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { Allow, AppErrorFilter, PERMISSION_NAMES, Public } from '@tradelane/http';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { AccessTokens, OAuthError } from './access-tokens.service';
import { CurrentPrincipal, Principal } from './principal';

export class CreateClientDto {
  @ApiProperty({
    example: 'ERP nightly sync',
    description: 'What the client is (shown in lists and the audit log)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({
    enum: PERMISSION_NAMES,
    isArray: true,
    example: ['orders:read'],
    description: 'What its tokens may do',
  })
  @IsArray()
  @ArrayMaxSize(PERMISSION_NAMES.length)
  @IsIn(PERMISSION_NAMES, { each: true })
  scopes: string[];

  @ApiPropertyOptional({
    default: 365,
    minimum: 1,
    maximum: 366,
    description: 'Days until the client stops working',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  expiresInDays?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A partner organisation's client: partner scopes only, reaches the partner API only",
  })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

/** The token request of RFC 6749 §4.4 (form-encoded or JSON; the client may authenticate with HTTP Basic instead). */
export class TokenRequestDto {
  @ApiProperty({ example: 'client_credentials', description: 'Only client_credentials' })
  @IsString()
  @MaxLength(100)
  grant_type: string;

  @ApiPropertyOptional({ description: 'The client id (or HTTP Basic)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_id?: string;

  @ApiPropertyOptional({ description: 'The client secret (or HTTP Basic)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_secret?: string;

  @ApiPropertyOptional({
    description: 'Space-separated scopes (default: all of the client)',
    example: 'orders:read',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  scope?: string;

  // Fields of the other grants, accepted so that their request is answered unsupported_grant_type.
  @ApiPropertyOptional({ description: 'Not used (other grants): answered unsupported_grant_type' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  username?: string;

  @ApiPropertyOptional({ description: 'Not used (other grants): answered unsupported_grant_type' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  password?: string;

  @ApiPropertyOptional({ description: 'Not used (other grants): answered unsupported_grant_type' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  code?: string;

  @ApiPropertyOptional({ description: 'Not used (other grants): answered unsupported_grant_type' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'Not used (other grants): answered unsupported_grant_type' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  redirect_uri?: string;
}

interface Reply {
  status(code: number): Reply;
  setHeader(name: string, value: string): void;
}

@ApiTags('access')
@Controller()
@UseFilters(AppErrorFilter)
export class OAuthController {
  constructor(private readonly tokens: AccessTokens) {}

  @Post('oauth/token')
  @HttpCode(200)
  @Public('the client authenticates with its secret in the request')
  @Throttle({ default: { limit: 60, ttl: 60_000 } })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiOperation({
    summary: 'OAuth2 client credentials: an access token (JWT, ES256) for a client',
    description:
      'RFC 6749 §4.4. Errors as RFC 6749 §5.2 ({ error, error_description }): invalid_client (401), ' +
      'invalid_scope, unsupported_grant_type, invalid_request (400). Verify tokens with /.well-known/jwks.json.',
  })
  async token(
    @Body() body: TokenRequestDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Reply,
  ) {
    res.setHeader('Cache-Control', 'no-store');
    try {
      if (body.grant_type !== 'client_credentials')
        throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials');
      let id = body.client_id;
      let secret = body.client_secret;
      const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
      if (basic) {
        const [u, ...p] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
        id = decodeURIComponent(u);
        secret = decodeURIComponent(p.join(':'));
      }
      if (!id || !secret)
        throw new OAuthError('invalid_request', 'client_id and client_secret (or HTTP Basic) are required');
      return await this.tokens.grant(id, secret, body.scope);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      res.status(e.error === 'invalid_client' ? 401 : 400);
      if (e.error === 'invalid_client') res.setHeader('WWW-Authenticate', 'Basic realm="tradelane"');
      return { error: e.error, error_description: e.description };
    }
  }

  @Get('.well-known/jwks.json')
  @Public('public keys: they only verify')
  @ApiOperation({ summary: 'The keys that verify access tokens (JWKS, RFC 7517)' })
  jwks() {
    return this.tokens.jwks();
  }

  @Get('oauth-clients')
  @Allow('users:admin')
  @ApiOperation({ summary: "The tenant's OAuth2 clients (never their secrets)" })
  clients(@CurrentPrincipal() p: Principal) {
    return this.tokens.clients(p.tenant);
  }

  @Post('oauth-clients')
  @Allow('users:admin')
  @ApiOperation({
    summary: 'Add an OAuth2 client (client credentials) with scopes',
    description: 'The secret is in this answer only (stored as a hash). Scopes are permissions you hold.',
  })
  createClient(@CurrentPrincipal() p: Principal, @Body() body: CreateClientDto) {
    return this.tokens.createClient(p.tenant, body, p);
  }

  @Delete('oauth-clients/:id')
  @HttpCode(204)
  @Allow('users:admin')
  @ApiOperation({ summary: 'Revoke a client: its tokens are refused from the next request on' })
  async revokeClient(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.tokens.revokeClient(p.tenant, id);
  }
}
