/** The outcome of one request in a load run. */
export interface Shot {
  status: number;
  headers: Headers;
  body: { id?: string; error?: { code: string } };
}

/** Sends `count` chat completions at once (all in flight together) and returns their outcomes. */
export async function burst(baseUrl: string, key: string, count: number, body: Record<string, unknown>): Promise<Shot[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as Shot['body'] };
    }),
  );
}

/** Counts outcomes by status code. */
export function byStatus(shots: Shot[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of shots) out[s.status] = (out[s.status] ?? 0) + 1;
  return out;
}
