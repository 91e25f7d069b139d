import type { I18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';

/** The pipeline's and gateway's enum values the Models pages show, by dictionary prefix. */
export type ModelEnum = 'models.status' | 'models.kind' | 'models.health';

/** An enum value the server sends, through the dictionary (`models.status.running`); an unknown value as sent. */
export function enumText(t: I18n['t'], prefix: ModelEnum, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const message = t(key);
  return message === key ? value : message;
}
