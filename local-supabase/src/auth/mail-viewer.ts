import type { ServerResponse } from "node:http";
import type { PlatformContext, Service } from "../service-contract.ts";
import { escapeHtml, mailboxFor, type Mail } from "./mailbox.ts";

/**
 * The local mail viewer at `/mail`, standing in for the Mailpit (formerly Inbucket) page `supabase
 * start` serves on port 54324: every mail the auth service sent, newest first, with its body and links.
 * `GET /mail/api/v1/messages[?query=to:<address>]`, `GET /mail/api/v1/message/<id>` and
 * `DELETE /mail/api/v1/messages` answer in Mailpit's JSON shape, for tests and scripts.
 */
export function createMailViewerService(context: PlatformContext): Service {
  const mailbox = mailboxFor(context);
  return {
    async handle(req, res, routed) {
      const path = routed.path.replace(/\/+$/, "") || "/";
      const method = req.method ?? "GET";
      if (path === "/api/v1/messages" && method === "GET") {
        const to = /(?:^|\s)to:(\S+)/.exec(routed.url.searchParams.get("query") ?? "")?.[1];
        const mails = mailbox.list(to);
        return json(res, 200, { total: mails.length, count: mails.length, start: 0, messages: mails.map(summary) });
      }
      if (path === "/api/v1/messages" && method === "DELETE") {
        mailbox.clear();
        return json(res, 200, "ok");
      }
      const one = /^\/api\/v1\/message\/([^/]+)$/.exec(path);
      if (one && method === "GET") {
        const mail = mailbox.get(one[1]);
        return mail ? json(res, 200, full(mail)) : json(res, 404, { error: `No message ${one[1]}; list them at /mail/api/v1/messages` });
      }
      if (path === "/" && method === "GET") return page(res, mailbox.list());
      return json(res, 404, { error: "Not found: the mail viewer serves /mail and /mail/api/v1/messages" });
    },
  };
}

function summary(mail: Mail) {
  return {
    ID: mail.id,
    From: { Name: mail.from.name, Address: mail.from.address },
    To: [{ Name: "", Address: mail.to }],
    Subject: mail.subject,
    Created: mail.created.toISOString(),
    Snippet: mail.text.replace(/\s+/g, " ").trim().slice(0, 250),
  };
}

function full(mail: Mail) {
  return { ...summary(mail), Date: mail.created.toISOString(), Text: mail.text, HTML: mail.html, Links: mail.links };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)) });
  res.end(text);
}

/** A plain page: the HTML body of each mail in a sandboxed frame, and its links as ordinary links. */
function page(res: ServerResponse, mails: Mail[]): void {
  const items = mails.map(
    (mail) => `<article>
  <h2>${escapeHtml(mail.subject)}</h2>
  <p class="meta">To <strong>${escapeHtml(mail.to)}</strong> · from ${escapeHtml(mail.from.name)} &lt;${escapeHtml(mail.from.address)}&gt; · <time datetime="${mail.created.toISOString()}">${mail.created.toISOString()}</time></p>
  <iframe sandbox title="${escapeHtml(mail.subject)}" srcdoc="${escapeHtml(mail.html)}"></iframe>
  <p>Links in this mail:</p>
  <ul>${mail.links.map((link) => `<li><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></li>`).join("")}</ul>
</article>`,
  );
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local mail · Shoebox platform</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1c1917}
article{border:1px solid #d6d3d1;border-radius:.75rem;padding:1rem;margin:1rem 0}.meta{color:#57534e;font-size:13px}
iframe{width:100%;height:12rem;border:1px solid #e7e5e4;border-radius:.5rem}a{word-break:break-all}</style></head>
<body><h1>Local mail</h1>
<p>Every mail Auth sent since the platform started (the CLI shows these in Mailpit). Nothing leaves this machine.</p>
${items.length ? items.join("\n") : "<p>No mail yet.</p>"}
</body></html>`;
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": String(Buffer.byteLength(html)) });
  res.end(html);
}
