/**
 * The whole zip in one request, for a function that publishes no segment figures (an older
 * deployment): one part, the same progress and the same errors as the segmented sequence. Not retried:
 * the function claims the album for the archive as it arrives.
 */
import { PROGRESS_INTERVAL_MS } from "@/lib/progress";
import { TransferMeter } from "@/lib/transfer-meter";
import type { WholeArchiveClient } from "@/lib/upload-client";
import type { SequenceDeps, SequenceOptions } from "@/lib/upload-sequence";

export async function runSingleUpload(
  { file, albumId, signal, onProgress }: SequenceOptions,
  deps: Pick<SequenceDeps, "now" | "every"> & { client: WholeArchiveClient },
): Promise<{ sent: number; rate: number }> {
  const meter = new TransferMeter(file.size, 1);
  const stop = deps.every(PROGRESS_INTERVAL_MS, () => {
    meter.tick(deps.now());
    onProgress(meter.snapshot());
  });
  try {
    meter.start(0, file.size);
    await deps.client.sendWhole({ albumId, file, signal, onSent: (loaded) => meter.progress(0, loaded, deps.now()) });
    meter.finished(0, file.size);
    return { sent: 1, rate: meter.rate() };
  } finally {
    stop();
    onProgress(meter.snapshot());
  }
}
