// Builds the TIFF structure that carries EXIF tags (big-endian "MM"), the payload cameras put in a JPEG's
// APP1 segment (after "Exif\0\0") and in a HEIC's `Exif` item. Only the tags Shoebox reads are offered.

export interface ExifTags {
  /** EXIF Orientation 1–8 (6 = the camera was turned clockwise; shown rotated 90° clockwise). */
  orientation?: number;
  /** "YYYY:MM:DD HH:MM:SS", as cameras write DateTimeOriginal. */
  dateTimeOriginal?: string;
  /** "+02:00": the UTC offset of DateTimeOriginal (OffsetTimeOriginal). */
  offsetTimeOriginal?: string;
  make?: string;
  model?: string;
}

const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const TYPE_SIZES: Record<number, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4 };

interface Field {
  tag: number;
  type: number;
  /** ASCII: the string (a NUL is added); SHORT/LONG: the numbers. */
  value: string | number[];
}

const EXIF_IFD_POINTER = 0x8769;

/** The TIFF bytes ("MM\0*" …) holding these tags in IFD0 and the Exif IFD. */
export function buildExifTiff(tags: ExifTags): Uint8Array {
  const ifd0: Field[] = [];
  if (tags.make !== undefined) ifd0.push({ tag: 0x010f, type: ASCII, value: tags.make });
  if (tags.model !== undefined) ifd0.push({ tag: 0x0110, type: ASCII, value: tags.model });
  if (tags.orientation !== undefined) ifd0.push({ tag: 0x0112, type: SHORT, value: [tags.orientation] });
  const exif: Field[] = [];
  if (tags.dateTimeOriginal !== undefined) {
    if (!/^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$/.test(tags.dateTimeOriginal)) throw new Error(`dateTimeOriginal must read "YYYY:MM:DD HH:MM:SS", not "${tags.dateTimeOriginal}"`);
    exif.push({ tag: 0x9003, type: ASCII, value: tags.dateTimeOriginal });
  }
  if (tags.offsetTimeOriginal !== undefined) exif.push({ tag: 0x9011, type: ASCII, value: tags.offsetTimeOriginal });

  // IFD0 sits at 8; the Exif IFD (if any) follows IFD0 and its out-of-line values.
  const withPointer = exif.length ? [...ifd0, { tag: EXIF_IFD_POINTER, type: LONG, value: [0] }] : ifd0;
  const ifd0Bytes = ifdSize(withPointer);
  const exifAt = 8 + ifd0Bytes;
  if (exif.length) withPointer[withPointer.length - 1].value = [exifAt];
  const out = new Uint8Array(exifAt + (exif.length ? ifdSize(exif) : 0));
  const view = new DataView(out.buffer);
  out.set([0x4d, 0x4d, 0x00, 0x2a]);
  view.setUint32(4, 8);
  writeIfd(view, 8, withPointer);
  if (exif.length) writeIfd(view, exifAt, exif);
  return out;
}

const valueBytes = (field: Field) => (typeof field.value === "string" ? field.value.length + 1 : field.value.length * TYPE_SIZES[field.type]);
const count = (field: Field) => (typeof field.value === "string" ? field.value.length + 1 : field.value.length);
const even = (n: number) => n + (n & 1);

/** Entry count, 12-byte entries, next-IFD offset, then values that do not fit in 4 bytes. */
function ifdSize(fields: Field[]): number {
  return 2 + fields.length * 12 + 4 + fields.reduce((sum, f) => sum + (valueBytes(f) > 4 ? even(valueBytes(f)) : 0), 0);
}

function writeIfd(view: DataView, at: number, fields: Field[]): void {
  const sorted = [...fields].sort((a, b) => a.tag - b.tag);
  view.setUint16(at, sorted.length);
  let extra = at + 2 + sorted.length * 12 + 4;
  sorted.forEach((field, i) => {
    const entry = at + 2 + i * 12;
    view.setUint16(entry, field.tag);
    view.setUint16(entry + 2, field.type);
    view.setUint32(entry + 4, count(field));
    const inline = valueBytes(field) <= 4;
    const target = inline ? entry + 8 : extra;
    if (!inline) {
      view.setUint32(entry + 8, extra);
      extra += even(valueBytes(field));
    }
    if (typeof field.value === "string") {
      for (let c = 0; c < field.value.length; c++) view.setUint8(target + c, field.value.charCodeAt(c) & 0x7f);
      view.setUint8(target + field.value.length, 0);
    } else {
      field.value.forEach((n, k) => (field.type === SHORT ? view.setUint16(target + k * 2, n) : view.setUint32(target + k * 4, n)));
    }
  });
  view.setUint32(at + 2 + sorted.length * 12, 0);
}
