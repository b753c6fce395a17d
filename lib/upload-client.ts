/**
 * The album-upload function over HTTP, as the upload sequence needs it. XMLHttpRequest, because fetch
 * reports no upload progress in browsers. Every answer that is not a success becomes an UploadError
 * through the protocol's readProblem, so a code the function sends always has the person's message.
 */
import { directoryHeaders, readProblem, uploadPath, type DirectoryAnswer, type LeaveReason } from "@/lib/upload-protocol";
import { UploadCancelled, UploadError } from "@/lib/upload-error";
import type { DirectoryRequest, SegmentRequest, UploadClient } from "@/lib/upload-sequence";

export type Connection = {
  supabaseUrl: string;
  apiKey: string;
  /** The session's access token, asked for on every request: a long upload outlives one token. */
  accessToken(): Promise<string>;
};

type Answer = { status: number; body: Record<string, unknown> };

function parseBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return text ? { message: text } : {};
  }
}

/** The error for a refusal: the protocol's code and message, and when to try again if the server said. */
export function errorFromAnswer(status: number, body: Record<string, unknown>, retryAfterHeader: string | null = null): UploadError {
  const problem = readProblem(status, body);
  const fromBody = typeof body.retryAfterSeconds === "number" ? body.retryAfterSeconds : undefined;
  const fromHeader = retryAfterHeader && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
  const album = typeof body.album === "string" ? body.album : undefined;
  return new UploadError(problem.code, { message: problem.message, retryAfterSeconds: fromBody ?? fromHeader, album });
}

function send(
  connection: Connection,
  path: string,
  body: Blob,
  headers: Record<string, string>,
  signal: AbortSignal,
  onSent?: (loaded: number) => void,
): Promise<Answer> {
  return connection.accessToken().then((token) => new Promise<Answer>((resolve, reject) => {
    if (signal.aborted) return reject(new UploadCancelled());
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${connection.supabaseUrl}${path}`);
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("apikey", connection.apiKey);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onSent) xhr.upload.onprogress = (event) => onSent(event.loaded);
    const abort = () => xhr.abort();
    xhr.onload = () => {
      signal.removeEventListener("abort", abort);
      const answer = { status: xhr.status, body: parseBody(xhr.responseText) };
      // 200 with `segment_done`: an earlier request already delivered this part, which is success.
      if (xhr.status >= 200 && xhr.status < 300) resolve(answer);
      else reject(errorFromAnswer(xhr.status, answer.body, xhr.getResponseHeader("Retry-After")));
    };
    xhr.onerror = () => {
      signal.removeEventListener("abort", abort);
      reject(errorFromAnswer(0, {}));
    };
    xhr.onabort = () => reject(new UploadCancelled());
    signal.addEventListener("abort", abort, { once: true });
    xhr.send(body);
  }));
}

/** The single-request form: the whole zip in one POST, for a function that plans no segments. */
export type WholeArchiveClient = {
  sendWhole(request: { albumId: string; file: Blob; signal: AbortSignal; onSent(loaded: number): void }): Promise<void>;
};

/** Tells the function the page that was sending into an album is going away (pagehide), or the person cancelled. */
export type LeaveClient = { leave(albumId: string, reason: LeaveReason): void };

export function createUploadClient(session: Connection): UploadClient & WholeArchiveClient & LeaveClient {
  // pagehide leaves no time to ask the session for a token: the last one used is kept for it.
  let lastToken: string | null = null;
  const connection: Connection = { ...session, accessToken: async () => (lastToken = await session.accessToken()) };
  return {
    leave(albumId, reason) {
      if (!lastToken) return;
      // keepalive: the request outlives the page, which is the point.
      void fetch(`${connection.supabaseUrl}${uploadPath({ form: "leave", album: albumId, reason })}`, {
        method: "POST",
        keepalive: true,
        headers: { Authorization: `Bearer ${lastToken}`, apikey: connection.apiKey },
      }).catch(() => undefined);
    },
    async sendWhole({ albumId, file, signal, onSent }) {
      await send(connection, uploadPath({ form: "single", album: albumId }), file, {}, signal, onSent);
    },
    async sendDirectory({ albumId, tail, archiveSize, archiveName, uploadRate, signal }: DirectoryRequest): Promise<DirectoryAnswer> {
      const path = uploadPath({ form: "directory", album: albumId });
      const { body } = await send(connection, path, tail, directoryHeaders(archiveSize, archiveName, uploadRate), signal);
      return body as unknown as DirectoryAnswer;
    },
    async sendSegment({ albumId, archiveId, segment, body, signal, onSent }: SegmentRequest): Promise<void> {
      const path = uploadPath({ form: "segment", album: albumId, archive: archiveId, segment: segment.index });
      await send(connection, path, body, {}, signal, onSent);
    },
  };
}
