export const CRM_SOURCE = 'tradelane-crm';
