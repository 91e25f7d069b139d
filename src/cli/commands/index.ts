import type { CommandGroup } from '../command.js';
import { agreementsCommand } from './agreements.js';
import { attributionCommand } from './attribution.js';
import { auditCommand } from './audit.js';
import { campaignsCommand } from './campaigns.js';
import { channelsCommand } from './channels.js';
import { creditsCommand } from './credits.js';
import { customersCommand } from './customers.js';
import { dataCommand } from './data.js';
import { demoCommand } from './demo.js';
import { deployCommand } from './deploy.js';
import { deploymentsCommand } from './deployments.js';
import { ecosystemCommand } from './ecosystem.js';
import { evalCommand } from './eval.js';
import { fineTuningCommand } from './fine-tuning.js';
import { finetuneCommand } from './finetune.js';
import { generateCommand } from './generate.js';
import { invoicesCommand } from './invoices.js';
import { keysCommand } from './keys.js';
import { linksCommand } from './links.js';
import { marketCommand } from './market.js';
import { modelsCommand } from './models.js';
import { partnersCommand } from './partners.js';
import { plansCommand } from './plans.js';
import { promotionCommand } from './promotion.js';
import { resourcesCommand } from './resources.js';
import { runsCommand } from './runs.js';
import { segmentsCommand } from './segments.js';
import { selectionCommand } from './selection.js';
import { startCommand } from './start.js';
import { trainCommand } from './train.js';
import { statementsCommand } from './statements.js';
import { tiersCommand } from './tiers.js';
import { adminCommand, tokensCommand, usersCommand } from './team.js';
import { versionCommand } from './version.js';

/** The command tree of `qudao`. Each command lives in its own file here and is listed once. */
export const rootCommand: CommandGroup = {
  name: 'qudao',
  summary: 'build your language model and take it to market through channels',
  commands: [startCommand, demoCommand, dataCommand, modelsCommand, trainCommand, finetuneCommand, evalCommand, deployCommand, generateCommand, runsCommand, fineTuningCommand, customersCommand, keysCommand, plansCommand, deploymentsCommand, channelsCommand, partnersCommand, tiersCommand, agreementsCommand, statementsCommand, invoicesCommand, creditsCommand, segmentsCommand, marketCommand, selectionCommand, promotionCommand, campaignsCommand, linksCommand, attributionCommand, ecosystemCommand, resourcesCommand, usersCommand, tokensCommand, adminCommand, auditCommand, versionCommand],
};
