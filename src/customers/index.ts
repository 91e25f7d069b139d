export { CustomerService, type Customer } from './customer-service.js';
export { customerRoutes } from './routes.js';
export { createCustomerSchema, updateCustomerSchema, listCustomersSchema, type CreateCustomerInput, type UpdateCustomerInput, type ListCustomersInput } from './requests.js';
