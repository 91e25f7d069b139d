/**
 * A guardrail as the gateway applies it: the stored row's settings checked once (when it is saved, and
 * again when the cache loads it) and compiled into a {@link Matcher}, so a request only runs matchers.
 * Which combinations make sense is data, in {@link kindRules}: a kind lists the stages and actions it
 * supports and the setting it needs.
 */
import { QudaoError } from '../../errors/index.js';
import type { CreateGuardrailInput, Guardrail } from '../../shared/contract/guardrails.js';
import { patternMatcher, patternProblem, termMatcher, type Matcher } from './matcher.js';

/** Stage, kind and action, as the contract names them. */
export type GuardrailStage = Guardrail['stage'];
export type GuardrailKind = Guardrail['kind'];
export type GuardrailAction = Guardrail['action'];

/** A classifier check's settings. */
export interface ClassifierCheck {
  readonly modelVersionId: string;
  readonly label: string;
  readonly threshold: number;
  readonly costPer1mMicros?: number | undefined;
}

/** The `config` column: the settings of the row's kind only. */
export interface GuardrailConfig {
  readonly terms?: readonly string[];
  readonly patterns?: readonly string[];
  readonly maxChars?: number;
  readonly maxTokens?: number;
  readonly classifier?: ClassifierCheck;
}

/** What each kind supports. A classifier reads the whole prompt; a size limit has nothing to replace. */
const kindRules: Record<GuardrailKind, { stages: readonly GuardrailStage[]; actions: readonly GuardrailAction[]; needs: string }> = {
  blocklist: { stages: ['input', 'output'], actions: ['refuse', 'redact', 'flag'], needs: 'terms' },
  regex: { stages: ['input', 'output'], actions: ['refuse', 'redact', 'flag'], needs: 'patterns' },
  max_prompt: { stages: ['input'], actions: ['refuse', 'flag'], needs: 'maxChars or maxTokens' },
  classifier: { stages: ['input'], actions: ['refuse', 'flag'], needs: 'classifier' },
};

/** A guardrail compiled for the hot path. */
export interface CompiledGuardrail {
  readonly id: string;
  readonly name: string;
  readonly stage: GuardrailStage;
  readonly kind: GuardrailKind;
  readonly action: GuardrailAction;
  /** Blocklist and regex guardrails. */
  readonly matcher: Matcher | undefined;
  readonly maxChars: number | undefined;
  readonly maxTokens: number | undefined;
  readonly classifier: ClassifierCheck | undefined;
  /**
   * Longest text a match can cover, for the hold-back window of streams: exact for blocklists (a phrase's
   * whitespace runs counted at twice the term's length), {@link REGEX_WINDOW_CHARS} for patterns.
   */
  readonly matchWindow: number | undefined;
}

/** Hold-back window of a stream for a regex guardrail, characters: a longer regex match may leave partly unredacted. */
export const REGEX_WINDOW_CHARS = 256;

/** The fields of a guardrail that decide what it does (the create body, or a row merged with a patch). */
export type GuardrailShape = Pick<CreateGuardrailInput, 'stage' | 'kind' | 'action'> & GuardrailConfig;

/**
 * Checks that the kind's setting is present, that no other kind's is, that stage and action fit the kind,
 * and that every pattern can run in linear time; throws QD_INVALID_REQUEST naming the field. Returns the
 * `config` to store.
 */
export function guardrailConfigOf(g: GuardrailShape): GuardrailConfig {
  const rules = kindRules[g.kind];
  if (!rules.stages.includes(g.stage)) throw invalid('stage', `a ${g.kind} guardrail checks the ${rules.stages.join(' or ')} only`);
  if (!rules.actions.includes(g.action)) throw invalid('action', `a ${g.kind} guardrail can ${rules.actions.join(', ')} only`);
  const present = (['terms', 'patterns', 'maxChars', 'maxTokens', 'classifier'] as const).filter((f) => g[f] !== undefined);
  const own: Record<GuardrailKind, readonly string[]> = { blocklist: ['terms'], regex: ['patterns'], max_prompt: ['maxChars', 'maxTokens'], classifier: ['classifier'] };
  const foreign = present.find((f) => !own[g.kind].includes(f));
  if (foreign) throw invalid(foreign, `is not a setting of a ${g.kind} guardrail (it needs ${rules.needs})`);
  switch (g.kind) {
    case 'blocklist':
      if (!g.terms?.length) throw invalid('terms', 'is required for a blocklist guardrail');
      try {
        termMatcher(g.terms);
      } catch {
        throw invalid('terms', 'cannot be matched (a term the matcher cannot compile)');
      }
      return { terms: g.terms };
    case 'regex': {
      if (!g.patterns?.length) throw invalid('patterns', 'is required for a regex guardrail');
      g.patterns.forEach((p, i) => {
        const problem = patternProblem(p);
        if (problem) throw invalid(`patterns.${i}`, problem);
      });
      return { patterns: g.patterns };
    }
    case 'max_prompt':
      if (g.maxChars === undefined && g.maxTokens === undefined) throw invalid('maxChars', 'maxChars or maxTokens is required for a max_prompt guardrail');
      return { ...(g.maxChars === undefined ? {} : { maxChars: g.maxChars }), ...(g.maxTokens === undefined ? {} : { maxTokens: g.maxTokens }) };
    case 'classifier':
      if (!g.classifier) throw invalid('classifier', 'is required for a classifier guardrail');
      return { classifier: g.classifier };
  }
}

function invalid(param: string, message: string): QudaoError {
  return new QudaoError('QD_INVALID_REQUEST', `${param}: ${message}`, { param });
}

/** A stored guardrail row, as the cache compiles it. */
export interface GuardrailRowLike {
  readonly id: string;
  readonly name: string;
  readonly stage: string;
  readonly kind: string;
  readonly action: string;
  readonly config: unknown;
}

/**
 * Compiles a stored row; undefined when it no longer makes sense (edited in the database by hand): such a
 * row is skipped rather than failing every request of its deployment.
 */
export function compileGuardrail(row: GuardrailRowLike): CompiledGuardrail | undefined {
  const stage = row.stage as GuardrailStage;
  const kind = row.kind as GuardrailKind;
  const action = row.action as GuardrailAction;
  if (!(kind in kindRules) || typeof row.config !== 'object' || row.config === null) return undefined;
  try {
    return compile(row, stage, kind, action);
  } catch {
    return undefined;
  }
}

function compile(row: GuardrailRowLike, stage: GuardrailStage, kind: GuardrailKind, action: GuardrailAction): CompiledGuardrail {
  const config = guardrailConfigOf({ stage, kind, action, ...(row.config as GuardrailConfig) });
  return {
    id: row.id,
    name: row.name,
    stage,
    kind,
    action,
    matcher: config.terms ? termMatcher(config.terms) : config.patterns ? patternMatcher(config.patterns) : undefined,
    maxChars: config.maxChars,
    maxTokens: config.maxTokens,
    classifier: config.classifier,
    matchWindow: config.terms ? 2 * Math.max(...config.terms.map((t) => t.length)) + 1 : config.patterns ? REGEX_WINDOW_CHARS : undefined,
  };
}
