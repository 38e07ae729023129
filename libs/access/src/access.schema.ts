import { AccessToken } from './access-token.entity';
import { AuditEntry } from './audit-entry.entity';
import { Access1700000020000 } from './migrations/1700000020000-access';
import { Audit1700000021000 } from './migrations/1700000021000-audit';
import { StaffUser } from './staff-user.entity';

/** Tables and reviewed migrations of identity and access (users, tokens, the audit log). */
export const ACCESS_SCHEMA = {
  entities: [StaffUser, AccessToken, AuditEntry],
  migrations: [Access1700000020000, Audit1700000021000],
};
