/** The channel types every workspace starts with; the list is data of the contract (the dashboard names them). */
export { defaultChannelTypes } from '../shared/contract/channels.js';
