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
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { Allow, AppErrorFilter, Authenticated, ForStaffAndPartners, Public } from '@tradelane/http';
import {
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreateUserDto,
  LogInDto,
  MeDto,
  PasswordResetDto,
  PasswordResetRequestDto,
  PasswordResetTokenDto,
  SessionDto,
  UpdateUserDto,
  UserPageDto,
  UserPageQuery,
  UserViewDto,
} from './access.dto';
import { AccessService } from './access.service';
import { clearSessionCookies, setSessionCookies } from './browser-session';
import { CurrentPrincipal, Principal } from './principal';

@ApiTags('access')
@Controller()
@UseFilters(AppErrorFilter)
export class AccessController {
  constructor(private readonly access: AccessService) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public('it checks the password; repeated failures lock the account')
  @Throttle({ default: { limit: 30, ttl: 60_000 } }) // per address, besides the lockout per account
  @ApiOkResponse({ type: SessionDto })
  @ApiOperation({
    summary: 'Log in with e-mail and password',
    description:
      'Answers a bearer token (a session) for `Authorization: Bearer <token>`; with `cookie: true` (a browser) ' +
      'sets an httpOnly session cookie and a CSRF cookie instead, and answers the CSRF token to send as X-CSRF-Token on changes.',
  })
  async logIn(
    @Body() body: LogInDto,
    @Req()
    req: {
      ip?: string;
      secure?: boolean;
      protocol?: string;
      headers: Record<string, string | string[] | undefined>;
    },
    @Res({ passthrough: true }) res: { append(name: string, value: string): void },
  ) {
    const agent = req.headers['user-agent'];
    const session = await this.access.logIn(body.tenant ?? 'default', body.email, body.password, {
      ip: req.ip,
      userAgent: typeof agent === 'string' ? agent.slice(0, 500) : undefined,
    });
    if (!body.cookie) return session;
    // A browser: the token goes into an httpOnly cookie, never into what page scripts can read.
    const csrfToken = setSessionCookies(req, res, session.token, session.expiresAt);
    return { expiresAt: session.expiresAt, user: session.user, csrfToken };
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Authenticated()
  @ForStaffAndPartners()
  @ApiOperation({ summary: 'End this session (the token stops working at once)' })
  async logOut(
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: { append(name: string, value: string): void },
  ): Promise<void> {
    await this.access.logOut(p);
    clearSessionCookies(res);
  }

  @Get('auth/me')
  @Authenticated()
  @ForStaffAndPartners()
  @ApiOkResponse({ type: MeDto })
  @ApiOperation({ summary: 'Who the token is, its tenant, roles and permissions' })
  me(@CurrentPrincipal() p: Principal): MeDto {
    return {
      kind: p.kind,
      id: p.id,
      tenant: p.tenant,
      name: p.name,
      roles: p.roles,
      permissions: [...p.permissions].sort(),
      partnerId: p.partner,
    };
  }

  @Get('users')
  @Allow('users:admin')
  @ApiOperation({ summary: "The tenant's staff users" })
  @ApiOkResponse({ type: UserPageDto })
  users(@CurrentPrincipal() p: Principal, @Query() q: UserPageQuery) {
    return this.access.users(p.tenant, q.limit ?? 50, q.offset ?? 0);
  }

  @Post('users')
  @Allow('users:admin')
  @ApiOperation({ summary: 'Add a staff user with roles (admin, integrator, agent, analyst, viewer)' })
  @ApiCreatedResponse({ type: UserViewDto })
  createUser(@CurrentPrincipal() p: Principal, @Body() body: CreateUserDto) {
    return this.access.createUser(p.tenant, body);
  }

  @Patch('users/:id')
  @Allow('users:admin')
  @ApiOperation({ summary: "Change a user's roles, name, password or status (disabling ends its sessions)" })
  @ApiOkResponse({ type: UserViewDto })
  updateUser(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserDto,
  ) {
    return this.access.updateUser(p.tenant, id, body);
  }

  @Post('users/:id/password-reset')
  @Allow('users:admin')
  @ApiOperation({
    summary: 'A one-time token that lets the user set a new password (shown once; 1 h by default)',
    description: 'Hand it over; the user sends it with the new password to POST /auth/password-reset.',
  })
  @ApiCreatedResponse({ type: PasswordResetTokenDto })
  passwordReset(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: PasswordResetRequestDto,
  ) {
    return this.access.createPasswordReset(p.tenant, id, body.hours ?? 1);
  }

  @Post('auth/password-reset')
  @HttpCode(204)
  @Public('the one-time token is the credential; used once, it expires')
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Set a new password with a one-time token (ends the sessions and the lockout)',
  })
  async resetPassword(
    @Body() body: PasswordResetDto,
    @Req() req: { ip?: string; headers: Record<string, string | string[] | undefined> },
  ): Promise<void> {
    const agent = req.headers['user-agent'];
    await this.access.resetPassword(body.token, body.password, {
      ip: req.ip,
      userAgent: typeof agent === 'string' ? agent.slice(0, 500) : undefined,
    });
  }

  @Get('api-keys')
  @Allow('users:admin')
  @ApiOperation({ summary: "The tenant's API keys (prefix, scopes, expiry; never the key)" })
  @ApiOkResponse({ type: [ApiKeyDto] })
  apiKeys(@CurrentPrincipal() p: Principal) {
    return this.access.apiKeys(p.tenant);
  }

  @Post('api-keys')
  @Allow('users:admin')
  @ApiOperation({
    summary: 'Make an API key with scopes',
    description: 'The key is in this answer only: it is stored as a hash. Scopes are permissions you hold.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  createApiKey(@CurrentPrincipal() p: Principal, @Body() body: CreateApiKeyDto) {
    return this.access.createApiKey(p, body);
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @Allow('users:admin')
  @ApiOperation({ summary: 'Revoke an API key (refused from the next request on)' })
  async revokeApiKey(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.access.revokeApiKey(p.tenant, id);
  }
}
