// The zip checksum for the archives tests build: the function's own reference implementation, which
// its tests hold to the catalogued check value.
import { crc32Table } from "../../../supabase/functions/_shared/crc32.ts";

export const crc32 = (data: Uint8Array): number => crc32Table(data, 0);
