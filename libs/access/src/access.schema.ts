import { AccessToken } from './access-token.entity';
import { AuditEntry } from './audit-entry.entity';
import { Access1700000020000 } from './migrations/1700000020000-access';
import { Audit1700000021000 } from './migrations/1700000021000-audit';
import { OAuthClients1700000022000 } from './migrations/1700000022000-oauth-clients';
import { SingleSignOn1700000023000 } from './migrations/1700000023000-single-sign-on';
import { RowLevelSecurity1700000024000 } from './migrations/1700000024000-row-level-security';
import { Partners1700000025000 } from './migrations/1700000025000-partners';
import { OAuthClient } from './oauth-client.entity';
import { OidcLoginState } from './oidc-login.entity';
import { PartnerCustomer, PartnerOrganisation } from './partner.entity';
import { SigningKey } from './signing-key.entity';
import { StaffUser } from './staff-user.entity';

/** Tables and reviewed migrations of identity and access (users, tokens, the audit log). */
export const ACCESS_SCHEMA = {
  entities: [
    StaffUser,
    AccessToken,
    AuditEntry,
    OAuthClient,
    SigningKey,
    OidcLoginState,
    PartnerOrganisation,
    PartnerCustomer,
  ],
  migrations: [
    Access1700000020000,
    Audit1700000021000,
    OAuthClients1700000022000,
    SingleSignOn1700000023000,
    RowLevelSecurity1700000024000,
    Partners1700000025000,
  ],
};
