import { escapeHtml } from "./mailbox.ts";

/**
 * GoTrue's default recovery mail (subject and body, as `supabase start` sends it): a link to
 * `/auth/v1/verify` and the six-digit code for `verifyOtp`.
 */
export function recoveryMail(confirmationUrl: string, code: string): { subject: string; html: string; text: string } {
  const html = [
    "<h2>Reset Password</h2>",
    "",
    "<p>Follow this link to reset the password for your user:</p>",
    `<p><a href="${escapeHtml(confirmationUrl)}">Reset Password</a></p>`,
    `<p>Alternatively, enter the code: ${escapeHtml(code)}</p>`,
  ].join("\n");
  const text = `Reset Password\n\nFollow this link to reset the password for your user:\n${confirmationUrl}\n\nAlternatively, enter the code: ${code}\n`;
  return { subject: "Reset Your Password", html, text };
}
