import { NextResponse, type NextRequest } from "next/server";
import { createClient } from "@/lib/supabase/server";

/**
 * Where an emailed auth link lands (PKCE): Auth redirects here with `?code=…`, which is exchanged for a
 * session using the code verifier this browser kept in a cookie when it asked for the mail. A used or
 * expired link arrives with `error_code` instead and is sent to ask for a new one.
 */
export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const code = params.get("code");
  // Only paths on this site: an open redirect would let a crafted link send people anywhere.
  const next = params.get("next")?.startsWith("/") && !params.get("next")?.startsWith("//") ? params.get("next")! : "/";
  if (code) {
    const supabase = await createClient();
    const { error } = await supabase.auth.exchangeCodeForSession(code);
    if (!error) return NextResponse.redirect(new URL(next, request.url));
  }
  return NextResponse.redirect(new URL("/login/forgot-password?expired=1", request.url));
}
