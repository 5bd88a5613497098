// A minimal text/event-stream client over fetch, for the tests of live event streams.

export interface StreamedEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Opens the stream and hands each event to `onEvent` until it returns true (the client then
 * disconnects) or the server ends the stream. Resolves with every event received.
 */
export async function readEventStream(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: StreamedEvent) => boolean | undefined = () => false,
): Promise<StreamedEvent[]> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`event stream answered ${response.status}: ${await response.text()}`);
  }
  const received: StreamedEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return received;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const event = parseBlock(block);
        if (!event) continue;
        received.push(event);
        if (onEvent(event)) {
          controller.abort();
          return received;
        }
      }
    }
  } catch (err) {
    if (controller.signal.aborted) return received;
    throw err;
  }
}

function parseBlock(block: string): StreamedEvent | undefined {
  let id: string | undefined;
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue; // a comment (keep-alive)
    const [field, ...rest] = line.split(":");
    const value = rest.join(":").replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length > 0 ? { id, event, data: data.join("\n") } : undefined;
}
