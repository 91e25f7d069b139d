export * from './admin.js';
export * from './models.js';
export * from './channels.js';
export * from './partners.js';
export * from './customers.js';
export * from './ledger.js';
export * from './strategy.js';
export * from './portal.js';
