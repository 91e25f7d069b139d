export { CustomerService, type Customer } from './customer-service.js';
export { customerRoutes } from './routes.js';
export { createCustomerSchema, updateCustomerSchema, listCustomersSchema, type CreateCustomerInput, type UpdateCustomerInput, type ListCustomersInput } from '../shared/contract/customers.js';
export { CustomerPrivacy, customerTables, pseudonymOf, type CustomerPrivacyOptions, type CustomerTable } from './privacy/index.js';
