export const CRM_SOURCE = 'tradelane-crm';

/** The fields of a unified customer, each surviving by source priority with its provenance. */
export const CUSTOMER_FIELDS = [
  'name',
  'vatId',
  'eori',
  'duns',
  'email',
  'phone',
  'street',
  'city',
  'postalCode',
  'country',
] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

export type CustomerStatus = 'active' | 'merged';
