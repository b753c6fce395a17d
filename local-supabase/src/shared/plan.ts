/**
 * Hosted limits by plan (docs/supabase-behaviour.md#background-tasks-and-lifecycle, #file-system-and-tmp, #function-limits, #realtime-limits; docs/architecture.md#limits). The local platform enforces the
 * chosen plan's values so a test that passes here predicts the hosted result.
 */
export type PlanName = "free" | "pro";

export interface PlanLimits {
  name: PlanName;
  functionMemoryBytes: number;
  functionWallClockMs: number;
  functionCpuSoftMs: number;
  functionCpuHardMs: number;
  functionTmpBytes: number;
  functionIdleTimeoutMs: number;
  realtimeMessagesPerSecond: number;
  realtimePayloadBytes: number;
  /** Channel joins per second across the project (docs/supabase-behaviour.md#realtime-limits). */
  realtimeJoinsPerSecond: number;
  /** Channels one socket may have joined at once (100 on every plan). */
  realtimeChannelsPerConnection: number;
}

const MB = 1024 * 1024;

export const PLANS: Record<PlanName, PlanLimits> = {
  free: {
    name: "free",
    functionMemoryBytes: 256 * MB,
    functionWallClockMs: 150_000,
    functionCpuSoftMs: 1_000,
    functionCpuHardMs: 2_000,
    functionTmpBytes: 256 * MB,
    functionIdleTimeoutMs: 150_000,
    realtimeMessagesPerSecond: 100,
    realtimePayloadBytes: 256 * 1024,
    realtimeJoinsPerSecond: 100,
    realtimeChannelsPerConnection: 100,
  },
  pro: {
    name: "pro",
    functionMemoryBytes: 256 * MB,
    functionWallClockMs: 400_000,
    functionCpuSoftMs: 1_000,
    functionCpuHardMs: 2_000,
    functionTmpBytes: 512 * MB,
    functionIdleTimeoutMs: 150_000,
    realtimeMessagesPerSecond: 500,
    realtimePayloadBytes: 3_000 * 1024,
    realtimeJoinsPerSecond: 500,
    realtimeChannelsPerConnection: 100,
  },
};

export function planFromName(name: string | undefined): PlanLimits {
  const key = (name ?? "free").toLowerCase();
  if (key !== "free" && key !== "pro") throw new Error(`Unknown plan "${name}": use "free" or "pro" (SHOEBOX_PLAN).`);
  return PLANS[key];
}
