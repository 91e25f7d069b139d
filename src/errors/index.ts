export { errorCatalogue, isErrorCode, type ErrorCode } from './catalogue.js';
export { QudaoError, toQudaoError, toOpenAIErrorBody, type QudaoErrorOptions, type OpenAIErrorBody } from './qudao-error.js';
export { parseInput, parseMonth, inputIssueMessage, invalidInputError } from './input-issues.js';
export { found } from './found.js';
