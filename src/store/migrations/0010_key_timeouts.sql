-- Per-key upstream request timeouts (ms): a request waits the shorter of its key's and its deployment's.
ALTER TABLE api_keys ADD COLUMN timeout_ms integer;
