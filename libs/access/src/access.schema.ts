import { AccessToken } from './access-token.entity';
import { Access1700000020000 } from './migrations/1700000020000-access';
import { StaffUser } from './staff-user.entity';

/** Tables and reviewed migrations of identity and access. */
export const ACCESS_SCHEMA = {
  entities: [StaffUser, AccessToken],
  migrations: [Access1700000020000],
};
