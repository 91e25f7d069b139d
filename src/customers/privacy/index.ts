export { CustomerPrivacy, type CustomerPrivacyOptions } from './customer-privacy.js';
export { customerTables, pseudonymOf, type CustomerTable } from './customer-tables.js';
