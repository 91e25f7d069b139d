import type { CommandGroup } from '../command.js';
import { agreementsCommand } from './agreements.js';
import { channelsCommand } from './channels.js';
import { dataCommand } from './data.js';
import { demoCommand } from './demo.js';
import { deploymentsCommand } from './deployments.js';
import { keysCommand } from './keys.js';
import { partnersCommand } from './partners.js';
import { plansCommand } from './plans.js';
import { startCommand } from './start.js';
import { statementsCommand } from './statements.js';
import { tiersCommand } from './tiers.js';
import { versionCommand } from './version.js';

/** The command tree of `qudao`. Each command lives in its own file here and is listed once. */
export const rootCommand: CommandGroup = {
  name: 'qudao',
  summary: 'build your language model and take it to market through channels',
  commands: [startCommand, demoCommand, dataCommand, keysCommand, plansCommand, deploymentsCommand, channelsCommand, partnersCommand, tiersCommand, agreementsCommand, statementsCommand, versionCommand],
};
