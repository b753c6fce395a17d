// Sends an observation to the listener the test runs (its URL arrives in the `report` query parameter).
export async function report(url: string | null, event: Record<string, unknown>): Promise<void> {
  if (!url) return;
  await fetch(url, { method: "POST", body: JSON.stringify(event) });
}
