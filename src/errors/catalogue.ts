/**
 * The one error catalogue. Every failure a user can see has a stable code here, the HTTP status it maps to,
 * the OpenAI error `type` used on `/v1/*`, and a message that says what to fix. Codes never change meaning
 * once released; add new ones instead. `catalogue.test.ts` fails if a code is missing from the README table.
 */
export const errorCatalogue = {
  // --- configuration and start-up
  QD_CONFIG_INVALID: { status: 500, type: 'server_error', message: 'A configuration setting is invalid.' },
  QD_DATA_DIR_LOCKED: { status: 500, type: 'server_error', message: 'The data folder is in use by another Qudao process.' },
  QD_STORE_UNAVAILABLE: { status: 503, type: 'server_error', message: 'The database cannot be reached.' },
  QD_MIGRATION_FAILED: { status: 500, type: 'server_error', message: 'A database migration failed.' },

  // --- request validation (shared by /v1 and /api)
  QD_BAD_JSON: { status: 400, type: 'invalid_request_error', message: 'The request body is not valid JSON.' },
  QD_INVALID_REQUEST: { status: 400, type: 'invalid_request_error', message: 'The request is invalid.' },
  QD_BODY_TOO_LARGE: { status: 413, type: 'invalid_request_error', message: 'The request body is too large.' },
  QD_UNSUPPORTED_MEDIA_TYPE: { status: 415, type: 'invalid_request_error', message: 'Send the body as application/json.' },
  QD_MALFORMED_HTTP: { status: 400, type: 'invalid_request_error', message: 'The HTTP request is malformed (request line, headers or chunked body).' },
  QD_REQUEST_TIMEOUT: { status: 408, type: 'invalid_request_error', message: 'The request did not arrive in time.' },
  QD_URI_TOO_LONG: { status: 414, type: 'invalid_request_error', message: 'The request URL, or one of its path segments, is too long.' },
  QD_HEADERS_TOO_LARGE: { status: 431, type: 'invalid_request_error', message: 'The request headers are too large.' },
  QD_NOT_FOUND: { status: 404, type: 'invalid_request_error', message: 'No such route or resource.' },
  QD_METHOD_NOT_ALLOWED: { status: 405, type: 'invalid_request_error', message: 'This method is not allowed here.' },
  QD_CONFLICT: { status: 409, type: 'invalid_request_error', message: 'The resource already exists or was changed meanwhile.' },
  QD_REFERENCED: { status: 409, type: 'invalid_request_error', message: 'The resource is referenced by ledger rows; archive it instead of deleting it.' },
  QD_IMMUTABLE: { status: 409, type: 'invalid_request_error', message: 'The resource is final and can no longer be changed.' },
  QD_MONTH_NOT_ENDED: { status: 409, type: 'invalid_request_error', message: 'The month has not ended; finalise its statement once it has (drafts are allowed meanwhile).' },
  QD_LAST_OWNER: { status: 409, type: 'invalid_request_error', message: 'The last active owner cannot be demoted, disabled or deleted; make another user an owner first.' },

  // --- authentication and authorisation
  QD_UNAUTHENTICATED: { status: 401, type: 'authentication_error', message: 'Missing or invalid credentials.' },
  QD_INVALID_API_KEY: { status: 401, type: 'authentication_error', message: 'The API key is invalid.' },
  QD_API_KEY_REVOKED: { status: 401, type: 'authentication_error', message: 'The API key has been revoked.' },
  QD_API_KEY_EXPIRED: { status: 401, type: 'authentication_error', message: 'The API key has expired.' },
  QD_FORBIDDEN: { status: 403, type: 'permission_error', message: 'These credentials may not do this.' },
  QD_MODEL_NOT_ALLOWED: { status: 403, type: 'permission_error', message: 'This API key may not use this model.' },

  // --- limits and quotas
  QD_RATE_LIMITED: { status: 429, type: 'rate_limit_error', message: 'Rate limit reached; retry after the time in the Retry-After header.' },
  QD_QUOTA_EXCEEDED: { status: 429, type: 'insufficient_quota', message: 'The monthly token quota is used up.' },
  QD_BUDGET_EXCEEDED: { status: 429, type: 'insufficient_quota', message: 'The monthly spend budget is used up.' },
  QD_CREDIT_EXHAUSTED: { status: 402, type: 'insufficient_quota', message: 'The prepaid credit balance does not cover this request; top up the customer\'s credit (qudao credits grant, or POST /api/customers/:id/credits).' },

  // --- models and upstreams
  QD_MODEL_NOT_FOUND: { status: 404, type: 'invalid_request_error', message: 'The model does not exist or is not deployed.' },
  QD_UNSUPPORTED_PARAMETER: { status: 400, type: 'invalid_request_error', message: 'A request field is not supported by this model.' },
  QD_GUARDRAIL_BLOCKED: { status: 400, type: 'invalid_request_error', message: 'A guardrail of the deployment refused the request or its answer.' },
  QD_GUARDRAIL_PROMPT_TOO_LARGE: { status: 400, type: 'invalid_request_error', message: 'The prompt is larger than a guardrail of the deployment allows.' },
  QD_CONTEXT_TOO_LONG: { status: 400, type: 'invalid_request_error', message: 'The prompt plus max_tokens exceeds the model context length.' },
  QD_UPSTREAM_ERROR: { status: 502, type: 'api_error', message: 'The model upstream failed.' },
  QD_UPSTREAM_TIMEOUT: { status: 504, type: 'api_error', message: 'The model upstream did not answer in time.' },
  QD_UPSTREAM_UNHEALTHY: { status: 503, type: 'api_error', message: 'The model\'s upstream failed its last health check; it is not called until a check passes.' },
  QD_OVERLOADED: { status: 503, type: 'server_error', message: 'The server is overloaded or shutting down; retry shortly.' },

  // --- pipeline
  QD_DATA_UNREADABLE: { status: 400, type: 'invalid_request_error', message: 'An input file cannot be read.' },
  QD_DATA_ENCODING: { status: 400, type: 'invalid_request_error', message: 'An input file is not valid UTF-8.' },
  QD_DATA_EMPTY: { status: 400, type: 'invalid_request_error', message: 'No documents are left to train on.' },
  QD_DATA_COLUMN: { status: 400, type: 'invalid_request_error', message: 'The chosen column or field is missing.' },
  QD_DATA_PARSE: { status: 400, type: 'invalid_request_error', message: 'An input line or record is malformed.' },
  QD_DATA_OPTIONS: { status: 400, type: 'invalid_request_error', message: 'A data preparation option is invalid.' },
  QD_FINETUNE_FILE_INVALID: { status: 400, type: 'invalid_request_error', message: 'A fine-tuning file is not valid chat fine-tuning JSONL; the message names the line and what to fix.' },
  QD_DATA_OUTPUT_EXISTS: { status: 409, type: 'invalid_request_error', message: 'The output folder already exists; choose another or remove it.' },
  QD_CHECKPOINT_CORRUPT: { status: 422, type: 'invalid_request_error', message: 'The checkpoint is corrupt or does not match the model.' },

  // --- strategy
  QD_INVALID_INPUT: { status: 400, type: 'invalid_request_error', message: 'The input to the method is invalid.' },
  QD_AHP_INCONSISTENT: { status: 422, type: 'invalid_request_error', message: 'The pairwise judgements are too inconsistent (CR > 0.10).' },
  QD_AHP_INVALID_MATRIX: { status: 400, type: 'invalid_request_error', message: 'The pairwise comparison matrix must be square, positive, reciprocal, with ones on the diagonal.' },
  QD_FIT_DEGENERATE: { status: 422, type: 'invalid_request_error', message: 'The spend history cannot determine a response curve (too few or identical points).' },
  QD_BUDGET_INFEASIBLE: { status: 422, type: 'invalid_request_error', message: 'The per-channel minimum and maximum bounds cannot meet the total budget.' },

  // --- everything else
  QD_INTERNAL: { status: 500, type: 'server_error', message: 'An internal error occurred.' },
} as const satisfies Record<string, { status: number; type: string; message: string }>;

/** A stable error code from the catalogue. */
export type ErrorCode = keyof typeof errorCatalogue;

/** True when `code` is a catalogued code. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorCatalogue, code);
}
