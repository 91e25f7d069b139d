import { QudaoError, type ErrorCode } from '../../errors/index.js';
import type { CompiledGuardrail } from './rules.js';

/** The code of a guardrail's refusal: a size limit has its own, every other check is "blocked". */
export function refusalCodeOf(g: CompiledGuardrail): ErrorCode {
  return g.kind === 'max_prompt' ? 'QD_GUARDRAIL_PROMPT_TOO_LARGE' : 'QD_GUARDRAIL_BLOCKED';
}

/**
 * The error a refused request or answer gets. It names the guardrail (so a customer can ask about it)
 * and never the matched text: echoing it would hand back what the guardrail exists to keep out.
 * `param` is the request field the input check read (`messages` or `prompt`); null for an answer.
 */
export function refusalError(g: CompiledGuardrail, param: string | null): QudaoError {
  const what = g.stage === 'input' ? 'the request' : 'the answer';
  const why = g.kind === 'max_prompt' ? 'the prompt is larger than the deployment allows' : g.kind === 'classifier' ? 'a content classifier flagged it' : 'it matched the deployment\'s content rules';
  return new QudaoError(refusalCodeOf(g), `${what} was refused by the guardrail "${g.name}": ${why}`, param === null ? {} : { param });
}
