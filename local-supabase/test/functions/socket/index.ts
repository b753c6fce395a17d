// A WebSocket server in the shape the hosted docs give (Deno.upgradeWebSocket), driven by the test:
//   `?deny`          answers 403 instead of upgrading (a function refusing a bad token);
//   `?hold`          keeps an EdgeRuntime.waitUntil promise open until the socket closes;
//   `?outbound=<ws>` relays the socket to another WebSocket server the function connects to;
//   `?report=<url>`  reports the close code the function receives and any beforeunload reason.
// Messages: `info` → what the handshake carried; `close:<code>:<reason>` → the function closes;
// `spin` → burns CPU until the worker is ended; any other text → `echo:<text>`; binary → reversed bytes.
import { report } from "../_shared/report.ts";

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void };

let target: string | null = null;
addEventListener("beforeunload", (event) => {
  void report(target, { event: "beforeunload", reason: (event as CustomEvent).detail?.reason });
});

function spin(): void {
  const slice = () => {
    const until = performance.now() + 20;
    while (performance.now() < until) Math.sqrt(Math.random());
    setTimeout(slice, 0); // lets the beforeunload event in between slices
  };
  slice();
}

const server = {
  fetch(req: Request): Response {
    const url = new URL(req.url);
    target = url.searchParams.get("report");
    if ((req.headers.get("upgrade") ?? "").toLowerCase() !== "websocket") {
      return Response.json({ error: "request isn't trying to upgrade to WebSocket." }, { status: 400 });
    }
    if (url.searchParams.has("deny")) return Response.json({ error: "Invalid token provided" }, { status: 403 });

    // The request is finished once upgraded: read what the handshake carried now.
    const authorization = req.headers.get("authorization");
    const offered = (req.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    const jwtProtocol = offered.find((p) => p.startsWith("jwt-"));
    const { socket, response } = Deno.upgradeWebSocket(req, jwtProtocol ? { protocol: jwtProtocol } : {});
    const closed = new Promise<void>((resolve) => socket.addEventListener("close", () => resolve()));
    if (url.searchParams.has("hold")) EdgeRuntime.waitUntil(closed);

    socket.addEventListener("close", (event) => {
      void report(target, { event: "closed", code: event.code, reason: event.reason });
    });

    const outbound = url.searchParams.get("outbound");
    if (outbound) {
      const onward = new WebSocket(outbound);
      onward.binaryType = "arraybuffer";
      const opened = new Promise<void>((resolve) => onward.addEventListener("open", () => resolve()));
      onward.addEventListener("message", (event) => socket.send(event.data));
      onward.addEventListener("close", (event) => socket.close(event.code, event.reason));
      socket.addEventListener("message", async (event) => {
        await opened;
        onward.send(event.data);
      });
      return response;
    }

    socket.binaryType = "arraybuffer";
    socket.addEventListener("message", (event) => {
      if (event.data instanceof ArrayBuffer) return socket.send(new Uint8Array(event.data).reverse());
      const text = String(event.data);
      if (text === "info") {
        return socket.send(JSON.stringify({
          path: url.pathname,
          query: url.search,
          authorization,
          protocols: offered,
        }));
      }
      if (text === "spin") return spin();
      if (text.startsWith("close:")) {
        const [, code, reason] = text.split(":");
        return socket.close(Number(code), reason);
      }
      socket.send(`echo:${text}`);
    });
    return response;
  },
};

// `export default { fetch }`, the form the hosted WebSocket guide uses.
export default server;
