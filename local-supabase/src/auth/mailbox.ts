import { randomUUID } from "node:crypto";
import type { PlatformContext } from "../service-contract.ts";

/** One mail as the local viewer shows it (the fields Mailpit's API uses). */
export interface Mail {
  id: string;
  from: { name: string; address: string };
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Every link in the mail, in order: what a test or a person clicks. */
  links: string[];
  created: Date;
}

/**
 * Where auth mail goes locally. The CLI points GoTrue's SMTP at Inbucket/Mailpit, which keeps mail in
 * memory and shows it in a web page; here the auth service delivers into this list and the mail viewer
 * (`/mail`) shows it. Lost when the platform stops, as Mailpit's is.
 */
export class Mailbox {
  private readonly mails: Mail[] = [];

  deliver(mail: Omit<Mail, "id" | "created" | "links">): Mail {
    const links = [...mail.html.matchAll(/href="([^"]+)"/g)].map((match) => decodeEntities(match[1]));
    const stored: Mail = { ...mail, id: randomUUID(), links, created: new Date() };
    this.mails.push(stored);
    // Mailpit keeps 500 messages by default; so does this list.
    if (this.mails.length > 500) this.mails.shift();
    return stored;
  }

  /** Newest first, optionally only those sent to one address. */
  list(to?: string): Mail[] {
    const wanted = to?.trim().toLowerCase();
    return this.mails.filter((mail) => !wanted || mail.to === wanted).reverse();
  }

  get(id: string): Mail | undefined {
    return this.mails.find((mail) => mail.id === id);
  }

  clear(): void {
    this.mails.length = 0;
  }
}

const MAILBOXES = new WeakMap<PlatformContext, Mailbox>();

/** The platform's one mailbox, shared by the auth service (sender) and the mail viewer. */
export function mailboxFor(context: PlatformContext): Mailbox {
  let mailbox = MAILBOXES.get(context);
  if (!mailbox) MAILBOXES.set(context, (mailbox = new Mailbox()));
  return mailbox;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
