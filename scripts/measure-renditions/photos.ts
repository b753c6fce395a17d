/** Photos for the rendition measurement, made in code with sharp. */
import sharp from "sharp";

export const PHOTO_WIDTH = 4000;
export const PHOTO_HEIGHT = 3000;

/**
 * `count` distinct 4000×3000 JPEGs of about 3.5 MB, reused round-robin. Like a photo they have structure
 * at every scale — broad shading, mid-size waves that survive a downscale, grain that keeps the JPEG
 * large — so a rendition weighs what a real one would (pure noise would average out to flat grey).
 */
export async function makePhotos(count: number): Promise<Buffer[]> {
  const width = PHOTO_WIDTH;
  const height = PHOTO_HEIGHT;
  const photos: Buffer[] = [];
  for (let variant = 0; variant < count; variant++) {
    const pixels = Buffer.alloc(width * height * 3);
    const phase = Array.from({ length: 9 }, () => Math.random() * Math.PI * 2);
    let seed = 1234567 + variant;
    const grain = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 56;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) {
          const broad = 60 * Math.sin(x / 420 + phase[c]) * Math.cos(y / 300 + phase[c + 3]);
          const waves = 35 * Math.sin((x * (c + 1) + y * 2) / 37 + phase[c + 6]);
          pixels[i + c] = Math.max(0, Math.min(255, 128 + broad + waves + grain()));
        }
      }
    }
    photos.push(await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
  }
  return photos;
}

/**
 * A small real JPEG (1200×900, smooth shading) for the 10,000-photo album, which counts requests, not
 * bytes: 10,000 copies of a 3.5 MB photo would cost 35 GB of disk for the same count.
 */
export async function makeSmallPhoto(): Promise<Buffer> {
  const width = 1200;
  const height = 900;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = 128 + 100 * Math.sin((x + y) / 90);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}
