/**
 * Fetches a file (a statement's or an invoice's CSV, an invoice's PDF) with the session's credentials and
 * hands it to the browser as a download: a plain link could not send the bearer token.
 */
export async function downloadFile(fetchFile: () => Promise<Response>, filename: string): Promise<void> {
  const blob = await (await fetchFile()).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
