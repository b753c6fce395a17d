/**
 * The upload contract of the album-upload function: request forms, the segment plan, the closed list
 * of problem codes, the directory locator and the archive fingerprint. One file, shared with the
 * function, so the browser and the server cannot drift apart.
 */
export {
  archiveFingerprint,
  DEFAULT_ARCHIVE_CEILING_BYTES,
  directoryHeaders,
  isProblemCode,
  locateDirectory,
  PROBLEM_CODES,
  PROBLEMS,
  readProblem,
  SEGMENTS_IN_FLIGHT,
  TAIL_PROBE_BYTES,
  uploadPath,
  UploadProblem,
  type DirectoryAnswer,
  type DirectoryLocation,
  type InvocationFigures,
  type LeaveReason,
  type PlannedSegment,
  type ProblemBody,
  type ProblemCode,
  type SegmentStatus,
} from "../supabase/functions/_shared/upload-protocol.ts";
