// What a person reads on an album whose worker was shut down mid-extraction (`beforeunload` reasons,
// docs/supabase-behaviour.md#background-tasks-and-lifecycle). Every message says how to continue: drop the same zip on the album again.

const CONTINUE = "Drop the same zip file on the album again to continue where it stopped.";

export function interruptReason(reason: string | null | undefined): string {
  switch (reason) {
    case "wall_clock":
      return `The server ran out of time for this upload. ${CONTINUE}`;
    case "cpu":
      return `The server ran out of processing time for this upload. ${CONTINUE}`;
    case "memory":
      return `The server ran out of memory while extracting this archive. ${CONTINUE}`;
    default:
      return `The server stopped while extracting this archive. ${CONTINUE}`;
  }
}
