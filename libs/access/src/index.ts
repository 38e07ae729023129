export * from './access-token.entity';
export * from './access-tokens.service';
export * from './access.config';
export * from './access.guard';
export * from './access.module';
export * from './access.schema';
export * from './access.service';
export * from './audit-entry.entity';
export * from './audit.service';
export {
  isolateTenants,
  openToAllButPartners,
  partnerPolicy,
} from './migrations/1700000024000-row-level-security';
export * from './oauth-client.entity';
export * from './partner.entity';
export * from './partner.service';
export * from './principal';
export * from './route-permissions';
export * from './secret-box';
export * from './secret-keys';
export * from './secret-seal';
export * from './signing-key.entity';
export * from './staff-user.entity';
