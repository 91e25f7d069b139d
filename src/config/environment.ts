/**
 * Reads one secret from the environment by name, for settings that name a variable instead of holding a
 * value (a deployment's `upstream_key_env`). Lives in config/ because only config/ reads `process.env`.
 */
export function environmentSecret(name: string, env: Record<string, string | undefined> = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}
