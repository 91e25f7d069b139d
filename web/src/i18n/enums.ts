/**
 * Enum values the server sends as data (statuses, channel types, promotion channels, attribution models …)
 * are shown through {@link enumKey} messages, never raw, so 简体中文 reads Chinese. Each kind groups the
 * values of one server field; `enums.test.ts` checks every value the server's schemas and constants can emit
 * against both dictionaries.
 */
export const ENUM_KINDS = [
  'status',
  'channelType',
  'marginKind',
  'promotionChannel',
  'campaignGoal',
  'attributionModel',
  'touchpointKind',
  'relationKind',
  'resourceKind',
  'outcome',
  'responseModel',
  'criterionKind',
  'deploymentKind',
  'upstreamProvider',
  'runKind',
  'modelKind',
  'statementLineKind',
  'role',
  'guardrailStage',
  'guardrailKind',
  'guardrailAction',
  'invoiceStatus',
  'invoiceLineKind',
  'tokenKind',
  'billToKind',
  'creditKind',
  'billingMode',
] as const;

/** A group of enum values shown in the dashboard. */
export type EnumKind = (typeof ENUM_KINDS)[number];

/** The message key of one enum value: `enum.<kind>.<value>`. */
export function enumKey(kind: EnumKind, value: string): string {
  return `enum.${kind}.${value}`;
}

/**
 * The translation of `value`, or the value itself when the dictionary has none (a workspace's own channel
 * type, a free-text campaign goal): it stays visible as typed, and the zh browser test flags any known
 * server value that slips through untranslated.
 */
export function translateEnum(dictionary: Readonly<Record<string, string>>, kind: EnumKind, value: string): string {
  if (value === '' || value === '—') return value;
  return Object.hasOwn(dictionary, enumKey(kind, value)) ? dictionary[enumKey(kind, value)]! : value;
}
