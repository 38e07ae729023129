import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';

/**
 * What a principal may do, one name per capability (`<resource>:<verb>`). Every HTTP route declares
 * the one it needs with {@link Allow} (or is {@link Public}); a route that declares neither stops the
 * process at boot. Roles (staff) and scopes (API clients) are sets of these names.
 */
export const PERMISSIONS = {
  'customers:read': 'search customers, read the 360, identities, merges and proposals',
  'customers:write': 'merge and unmerge customers, decide merge proposals',
  'orders:read': "read a customer's orders",
  'orders:write': "send a customer's order to a warehouse for fulfilment (a partner: share its orders)",
  'shipments:read': 'read deliveries and their tracking timeline',
  'invoices:read': "read a customer's invoices (and, for a partner, the amounts of its orders)",
  'inventory:read': "read a customer's stock counts",
  'inventory:write': 'report stock levels (a partner: its own stock reports)',
  'shipments:write': 'report shipment status events (a partner: of its shipments)',
  'webhooks:manage': 'subscribe webhooks, rotate their secrets, read their delivery log and replay',
  'interactions:read': "read a customer's timeline of interactions",
  'interactions:write': "log a call, meeting, note or e-mail on a customer's timeline",
  'cases:read': 'read cases, the queue and the knowledge base',
  'cases:write': 'open cases, change them, add messages, edit the knowledge base',
  'kpis:read': 'read KPI values, drill-downs, tier values and recompute jobs',
  'kpis:write': 'refresh and recompute KPIs',
  'scorecard:read': "read a customer's shared scorecard",
  'agreements:read': 'read service agreements',
  'agreements:write': 'set service agreements per tier and customer',
  'segments:read': 'read segments, churn warnings, service cost and satisfaction',
  'segments:write': 'classify customers, record service costs and satisfaction answers',
  'connectors:read': 'list connectors and instances with their health, backfills and deliveries',
  'connectors:write':
    'add, check, pause, resume, backfill and reconcile instances, import files, rotate secrets',
  'dead-letters:read': 'read the dead-letter store and the message ledger',
  'dead-letters:redrive': 'redrive dead letters, re-send and resolve outbound deliveries',
  'sample:load': 'load the Northwind sample data',
  'users:admin': 'manage users, roles, API keys and partner organisations',
  'audit:read': 'read the audit log',
  'privacy:manage': "export and erase one person's data (a contact, a portal user)",
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

const READS = PERMISSION_NAMES.filter((p) => p.endsWith(':read'));

/** Staff roles: each a set of permissions (a user may hold several). */
export const ROLES = {
  admin: PERMISSION_NAMES,
  integrator: [
    'connectors:read',
    'connectors:write',
    'dead-letters:read',
    'dead-letters:redrive',
    'customers:read',
    'sample:load',
  ],
  agent: [
    'customers:read',
    'orders:read',
    'orders:write',
    'shipments:read',
    'invoices:read',
    'interactions:read',
    'interactions:write',
    'cases:read',
    'cases:write',
    'agreements:read',
    'scorecard:read',
  ],
  analyst: [
    'customers:read',
    'orders:read',
    'shipments:read',
    'invoices:read',
    'interactions:read',
    'cases:read',
    'inventory:read',
    'kpis:read',
    'kpis:write',
    'scorecard:read',
    'agreements:read',
    'segments:read',
    'segments:write',
  ],
  viewer: READS.filter((p) => p !== 'dead-letters:read'),
} as const satisfies Record<string, readonly Permission[]>;

/**
 * What a partner organisation's users and clients may be given: reads of the records where one of
 * its customers is a party, sharing its own orders, stock and shipment events, its webhooks. Partner credentials reach only the partner
 * routes ({@link ForPartners}); staff routes refuse them.
 */
export const PARTNER_PERMISSIONS = [
  'orders:read',
  'shipments:read',
  'invoices:read',
  'inventory:read',
  'cases:read',
  'scorecard:read',
  'cases:write',
  'orders:write',
  'inventory:write',
  'shipments:write',
  'webhooks:manage',
] as const satisfies readonly Permission[];

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

/** The role of a partner organisation's users (not a staff role). */
export const PARTNER_ROLE = 'partner';

/** The permissions of a set of roles. */
export function permissionsOfRoles(roles: readonly string[]): Set<Permission> {
  return new Set(
    roles.flatMap((r) =>
      r === PARTNER_ROLE ? PARTNER_PERMISSIONS : ((ROLES as Record<string, readonly Permission[]>)[r] ?? []),
    ),
  );
}

export const PERMISSION_KEY = 'tradelane:permission';
/** The metadata value of a public route: no principal needed. */
export const PUBLIC = 'public';

/** The route needs `permission`: 401 without a principal, 403 when the principal lacks it. */
export function Allow(permission: Permission) {
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'No or invalid credentials' }),
    ApiForbiddenResponse({ description: `The principal lacks ${permission}` }),
  );
}

export const AUDIENCE_KEY = 'tradelane:audience';

/**
 * A route for partner credentials (the partner API): staff credentials are refused (403), and what
 * it reads is limited to the partner's records by the database (row-level security, the partner
 * scope). Every other route is for staff: partner credentials are refused there.
 */
export function ForPartners() {
  return SetMetadata(AUDIENCE_KEY, 'partner');
}

/**
 * A route for staff and partner credentials alike: a principal's own session (who am I, log out),
 * what the web app asks before it knows which area to show.
 */
export function ForStaffAndPartners() {
  return SetMetadata(AUDIENCE_KEY, 'any');
}

/** The metadata value of a route any signed-in principal may use (its own session, its own profile). */
export const AUTHENTICATED = 'authenticated';

/** The route needs a principal, whatever it may do (401 without one). */
export function Authenticated() {
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, AUTHENTICATED),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or invalid credentials' }),
  );
}

/** The route answers anyone: `why` says what protects it instead (nothing to protect, a signature...). */
export function Public(why: string) {
  return applyDecorators(SetMetadata(PERMISSION_KEY, PUBLIC), SetMetadata('tradelane:public-because', why));
}

/**
 * Asks, inside a public route, for a principal allowed to do `permission` (a webhook channel that is
 * not signed needs a credential). Provided by the access module; throws 401 or 403.
 */
export interface RequestAuthorizer {
  /** With `tenant`: the principal must belong to it (another tenant's thing is not found: 404). */
  require(request: unknown, permission: Permission, tenant?: string): Promise<void>;
}

export const REQUEST_AUTHORIZER = Symbol('REQUEST_AUTHORIZER');
