/**
 * Sends the zip to the album-upload function as the raw request body. XMLHttpRequest, because fetch
 * reports no upload progress in browsers. The function answers 202 once the archive is spooled and
 * its entries are recorded; extraction continues in the background (docs/architecture.md#upload-and-spool).
 */
export type UploadProgress = { sent: number; total: number };

export type UploadAccepted = { status: number; body: Record<string, unknown> };

export class UploadError extends Error {
  constructor(message: string, readonly status: number, readonly code?: string) {
    super(message);
    this.name = "UploadError";
  }
}

export class UploadCancelled extends Error {
  constructor() {
    super("The upload was cancelled.");
    this.name = "UploadCancelled";
  }
}

type Options = {
  supabaseUrl: string;
  apiKey: string;
  accessToken: string;
  albumId: string;
  file: Blob;
  onProgress: (progress: UploadProgress) => void;
  signal: AbortSignal;
};

function parseBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return text ? { message: text } : {};
  }
}

/** Error bodies vary by layer: the function's {code,message}, the gateway's {msg}, a worker's {code,message}. */
function messageOf(body: Record<string, unknown>, status: number): string {
  const text = [body.message, body.msg, body.error].find((v) => typeof v === "string" && v) as string | undefined;
  if (text) return text;
  if (status === 0) return "The connection was lost before the upload finished. Check your network and try again.";
  return `The upload service answered ${status}.`;
}

export function uploadArchive({ supabaseUrl, apiKey, accessToken, albumId, file, onProgress, signal }: Options): Promise<UploadAccepted> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new UploadCancelled());
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${supabaseUrl}/functions/v1/album-upload?album=${encodeURIComponent(albumId)}`);
    xhr.setRequestHeader("Authorization", `Bearer ${accessToken}`);
    xhr.setRequestHeader("apikey", apiKey);
    // functions-js would send a File as application/octet-stream too (docs/supabase-behaviour.md#routing-and-jwt-verification).
    xhr.setRequestHeader("Content-Type", "application/zip");
    xhr.upload.onprogress = (event) => onProgress({ sent: event.loaded, total: event.lengthComputable ? event.total : file.size });
    xhr.onload = () => {
      const body = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, body });
      else reject(new UploadError(messageOf(body, xhr.status), xhr.status, typeof body.code === "string" ? body.code : undefined));
    };
    xhr.onerror = () => reject(new UploadError(messageOf({}, 0), 0));
    xhr.onabort = () => reject(new UploadCancelled());
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
