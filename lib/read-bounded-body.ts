// Reads an HTTP body (a Request's or a fetch Response's) as UTF-8 text, stopping at `limit` bytes,
// so a peer that sends too much costs us at most `limit` bytes of memory. Callers turn the
// "too large" result into their own error, because each speaks its own error vocabulary.

/** The body text, or `null` when it grew past `limit` bytes (the stream is cancelled then). */
export async function readBoundedBody(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<string | null> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
