import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { AppErrorFilter, Public } from '@tradelane/http';
import { setSessionCookies } from './browser-session';
import { OidcLogin } from './oidc.service';

interface Request {
  ip?: string;
  secure?: boolean;
  protocol?: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
}
interface Reply {
  append(name: string, value: string): void;
  redirect(status: number, url: string): void;
}

@ApiTags('access')
@Controller('auth/oidc')
@UseFilters(AppErrorFilter)
export class OidcController {
  constructor(private readonly sso: OidcLogin) {}

  @Get('login')
  @Public('it only sends the browser to the identity provider')
  @Throttle({ default: { limit: 60, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Single sign-on: redirects the browser to the identity provider (OpenID Connect)',
  })
  @ApiQuery({
    name: 'returnTo',
    required: false,
    description: 'A path of this site to come back to (default /)',
  })
  async login(@Query('returnTo') returnTo: string | undefined, @Res() res: Reply): Promise<void> {
    res.redirect(302, await this.sso.start(returnTo));
  }

  @Get('callback')
  @Public('the identity provider vouches for the user: code, state, nonce and PKCE are checked')
  @Throttle({ default: { limit: 60, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Single sign-on: where the identity provider sends the browser back',
    description: 'Opens a session in an httpOnly cookie (and a CSRF cookie), then redirects to returnTo.',
  })
  async callback(@Req() req: Request, @Res() res: Reply): Promise<void> {
    const agent = req.headers['user-agent'];
    const url = new URL(req.originalUrl, this.sso.callbackBase());
    const session = await this.sso.finish(url, {
      ip: req.ip,
      userAgent: typeof agent === 'string' ? agent.slice(0, 500) : undefined,
    });
    setSessionCookies(req, res, session.token, session.expiresAt);
    res.redirect(302, session.returnTo);
  }
}
