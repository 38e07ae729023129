import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { REQUEST_AUTHORIZER } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { AccessTokens } from './access-tokens.service';
import { ACCESS_CONFIG, AccessConfig, accessConfigFromEnv } from './access.config';
import { AccessController } from './access.controller';
import { AccessGuard } from './access.guard';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { OAuthController } from './oauth.controller';
import { OidcController } from './oidc.controller';
import { OidcLogin } from './oidc.service';
import { PartnerController } from './partner.controller';
import { PartnerRepository } from './partner.repository';
import { PartnerService } from './partner.service';
import { RateLimitGuard } from './rate-limit.guard';
import { RoutePermissions } from './route-permissions';
import { secretKeysFor } from './secret-keys';
import { SECRET_SEAL } from './secret-seal';
import { TenantScopeInterceptor } from './tenant-scope.interceptor';

/** Requests per minute per principal (TRADELANE_RATE_LIMIT_PER_MINUTE, default 3000; 0 = no limit). */
function rateLimitPerMinute(): number {
  const raw = process.env.TRADELANE_RATE_LIMIT_PER_MINUTE;
  const n = raw === undefined || raw === '' ? 3000 : Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`TRADELANE_RATE_LIMIT_PER_MINUTE must be a whole number >= 0, not "${raw}"`);
  return n;
}

/**
 * Identity and access: staff users, sessions, API keys, the global guard every HTTP route passes and
 * the boot check that every route declares its permission.
 */
@Module({})
export class AccessModule {
  static forRoot(config: Partial<AccessConfig> = {}): DynamicModule {
    const perMinute = rateLimitPerMinute();
    return {
      module: AccessModule,
      global: true,
      imports: [
        DiscoveryModule,
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: perMinute }],
          skipIf: () => perMinute === 0,
        }),
      ],
      controllers: [AccessController, AuditController, OAuthController, OidcController, PartnerController],
      providers: [
        {
          provide: ACCESS_CONFIG,
          inject: [Database],
          useFactory: (db: Database): AccessConfig => ({
            ...accessConfigFromEnv(process.env, { embedded: db.embedded }),
            ...config,
          }),
        },
        AccessRepository,
        PartnerRepository,
        PartnerService,
        AccessTokens,
        OidcLogin,
        { provide: SECRET_SEAL, inject: [Database], useFactory: (db: Database) => secretKeysFor(db) },
        AccessService,
        AuditService,
        { provide: APP_INTERCEPTOR, useClass: TenantScopeInterceptor },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        RoutePermissions,
        AccessGuard,
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: REQUEST_AUTHORIZER, useExisting: AccessGuard },
      ],
      exports: [
        AccessService,
        AuditService,
        AccessTokens,
        PartnerService,
        SECRET_SEAL,
        RoutePermissions,
        ACCESS_CONFIG,
        REQUEST_AUTHORIZER,
      ],
    };
  }
}
