// Real HEIC photos built in code, shaped like an iPhone's: an `ftyp` of brand `heic`, one primary `hvc1`
// (HEVC-coded) image item, optionally an `irot` rotation property and an `Exif` item linked to the image by
// a `cdsc` reference. The HEVC coding is done by elheif (libheif + kvazaar compiled to WebAssembly); its
// output is then rewritten box by box: its alpha plane is dropped (phones write none), and the rotation and
// EXIF are added, since elheif offers neither.
import { buildExifTiff, type ExifTags } from "./exif-tiff.ts";

export type { ExifTags } from "./exif-tiff.ts";

export interface HeicSpec {
  width: number;
  height: number;
  /** width × height × 4 RGBA bytes; by default four coloured quadrants (see QUADRANT_COLOURS). */
  rgba?: Uint8Array;
  /** An `Exif` item holding these tags (the Orientation tag does not turn the image; `rotation` does). */
  exif?: ExifTags;
  /** An `irot` property: the image is shown turned this many degrees anticlockwise, as libheif applies it. */
  rotation?: 0 | 90 | 180 | 270;
}

/** Top-left, top-right, bottom-left, bottom-right of the default picture, as RGB. */
export const QUADRANT_COLOURS = [[220, 30, 30], [30, 200, 30], [30, 30, 220], [240, 240, 240]] as const;

interface ElheifModule {
  onRuntimeInitialized?: () => void;
  jsEncodeImage(rgba: Uint8Array, width: number, height: number): { err: string; data: Uint8Array };
  jsDecodeImage(heic: Uint8Array): { err: string; data: Array<{ width: number; height: number; data: Uint8Array }> };
}

let elheif: Promise<ElheifModule> | null = null;

/** elheif's package entry imports its wasm file without an extension, which Node refuses; load that file. */
function loadElheif(): Promise<ElheifModule> {
  elheif ??= (async () => {
    await import("elheif/pkg/elheif-wasm.js" as string);
    const init = (globalThis as { __init__ELHEIF_MODULE?: (module: ElheifModule) => void }).__init__ELHEIF_MODULE;
    if (!init) throw new Error("elheif did not register its module initialiser");
    const wasm = {} as ElheifModule;
    await new Promise<void>((resolve) => {
      wasm.onRuntimeInitialized = resolve;
      init(wasm);
    });
    return wasm;
  })();
  return elheif;
}

/** The default picture: four flat quadrants, so a test can tell which way up a rendition came out. */
export function quadrantPixels(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = QUADRANT_COLOURS[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)];
      rgba.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return rgba;
}

/** A HEIC file holding `spec`'s picture, HEVC-coded. */
export async function buildHeic(spec: HeicSpec): Promise<Uint8Array> {
  const { width, height } = spec;
  const rgba = spec.rgba ?? quadrantPixels(width, height);
  if (rgba.length !== width * height * 4) throw new Error(`rgba holds ${rgba.length} bytes; ${width}×${height} RGBA needs ${width * height * 4}`);
  const encoded = (await loadElheif()).jsEncodeImage(rgba, width, height);
  if (encoded.err) throw new Error(`elheif could not encode ${width}×${height}: ${encoded.err}`);
  return reshape(new Uint8Array(encoded.data), spec);
}

/** Decodes a HEIC with elheif (libheif + libde265), for checking what a builder wrote. */
export async function decodeHeic(heic: Uint8Array): Promise<{ width: number; height: number; rgba: Uint8Array }> {
  const decoded = (await loadElheif()).jsDecodeImage(heic);
  if (decoded.err || !decoded.data.length) throw new Error(`elheif could not decode: ${decoded.err || "no image"}`);
  const [image] = decoded.data;
  return { width: image.width, height: image.height, rgba: image.data };
}

/**
 * The same file with its coded picture data overwritten: the `ftyp` and `meta` boxes are intact, so it
 * still sniffs as HEIC and states its size, but no decoder can produce the picture.
 */
export function corruptHeic(heic: Uint8Array): Uint8Array {
  const out = heic.slice();
  for (const box of readBoxes(out, 0, out.length)) {
    if (box.type !== "mdat") continue;
    for (let at = box.body; at < box.end; at++) out[at] = (at * 151 + 7) & 0xff;
  }
  return out;
}

/**
 * The same file claiming another size in its `ispe` property (the size readers check before decoding),
 * so a test can meet the pixel limit without encoding 50 megapixels.
 */
export function withStatedSize(heic: Uint8Array, width: number, height: number): Uint8Array {
  const out = heic.slice();
  const view = new DataView(out.buffer);
  const meta = readBoxes(out, 0, out.length).find((b) => b.type === "meta");
  const iprp = meta && readBoxes(out, meta.body + 4, meta.end).find((b) => b.type === "iprp");
  const ipco = iprp && readBoxes(out, iprp.body, iprp.end).find((b) => b.type === "ipco");
  const ispes = ipco ? readBoxes(out, ipco.body, ipco.end).filter((b) => b.type === "ispe") : [];
  if (!ispes.length) throw new Error("no ispe property to rewrite");
  for (const ispe of ispes) {
    view.setUint32(ispe.body + 4, width);
    view.setUint32(ispe.body + 8, height);
  }
  return out;
}

// ---- ISO-BMFF boxes ---------------------------------------------------------------------------------

interface Box {
  type: string;
  start: number;
  /** Where the payload begins (after size, type and, for full boxes, nothing else: callers skip those). */
  body: number;
  end: number;
}

const latin1 = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

function readBoxes(bytes: Uint8Array, start: number, end: number): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  for (let at = start; at + 8 <= end;) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) throw new Error(`malformed box at ${at}`);
    boxes.push({ type: latin1(bytes, at + 4, 4), start: at, body: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concat(payload);
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint32(0, out.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  return out;
}

function numbers(...fields: Array<[bytes: 1 | 2 | 4, value: number]>): Uint8Array {
  const out = new Uint8Array(fields.reduce((sum, [n]) => sum + n, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [n, value] of fields) {
    if (n === 1) view.setUint8(at, value);
    else if (n === 2) view.setUint16(at, value);
    else view.setUint32(at, value);
    at += n;
  }
  return out;
}

const fullBoxHeader = (version: number, flags = 0) => numbers([1, version], [1, flags >> 16], [2, flags & 0xffff]);

interface Extent { offset: number; length: number }
interface Location { id: number; baseOffset: number; extents: Extent[] }
interface Association { index: number; essential: boolean }

/** Reads a field of `size` bytes (0, 4 or 8) from `view` at `at`. */
function sized(view: DataView, at: number, size: number): number {
  if (size === 0) return 0;
  if (size === 4) return view.getUint32(at);
  if (size === 8) return Number(view.getBigUint64(at));
  throw new Error(`unexpected iloc field size ${size}`);
}

function parseIloc(bytes: Uint8Array, b: Box): Location[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[b.body];
  let at = b.body + 4;
  const offsetSize = bytes[at] >> 4, lengthSize = bytes[at] & 15, baseSize = bytes[at + 1] >> 4;
  const indexSize = version >= 1 ? bytes[at + 1] & 15 : 0;
  at += 2;
  const count = version < 2 ? view.getUint16(at) : view.getUint32(at);
  at += version < 2 ? 2 : 4;
  const items: Location[] = [];
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? view.getUint16(at) : view.getUint32(at);
    at += version < 2 ? 2 : 4;
    if (version >= 1) {
      if ((view.getUint16(at) & 15) !== 0) throw new Error("only file-offset item locations are supported");
      at += 2;
    }
    at += 2; // data_reference_index: 0, this file
    const baseOffset = sized(view, at, baseSize);
    at += baseSize;
    const extents: Extent[] = [];
    const extentCount = view.getUint16(at);
    at += 2;
    for (let e = 0; e < extentCount; e++) {
      at += indexSize;
      const offset = sized(view, at, offsetSize);
      at += offsetSize;
      extents.push({ offset, length: sized(view, at, lengthSize) });
      at += lengthSize;
    }
    items.push({ id, baseOffset, extents });
  }
  return items;
}

/**
 * iloc version 0 with 4-byte offsets and lengths and no base offset: every extent's offset counts from the
 * file's start, as iPhones write it (and as exifr, which ignores base offsets, expects).
 */
function writeIloc(items: Location[]): Uint8Array {
  const parts = [fullBoxHeader(0), numbers([1, 0x44], [1, 0x00], [2, items.length])];
  for (const item of items) {
    parts.push(numbers([2, item.id], [2, 0], [2, item.extents.length]));
    for (const extent of item.extents) parts.push(numbers([4, item.baseOffset + extent.offset], [4, extent.length]));
  }
  return box("iloc", ...parts);
}

function parseIpma(bytes: Uint8Array, b: Box): { version: number; flags: number; entries: Map<number, Association[]> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[b.body];
  const flags = (bytes[b.body + 1] << 16) | view.getUint16(b.body + 2);
  let at = b.body + 4;
  const count = view.getUint32(at);
  at += 4;
  const entries = new Map<number, Association[]>();
  for (let i = 0; i < count; i++) {
    const id = version < 1 ? view.getUint16(at) : view.getUint32(at);
    at += version < 1 ? 2 : 4;
    const n = bytes[at++];
    const list: Association[] = [];
    for (let k = 0; k < n; k++) {
      if (flags & 1) {
        const v = view.getUint16(at);
        list.push({ essential: (v & 0x8000) !== 0, index: v & 0x7fff });
        at += 2;
      } else {
        const v = bytes[at++];
        list.push({ essential: (v & 0x80) !== 0, index: v & 0x7f });
      }
    }
    entries.set(id, list);
  }
  return { version, flags, entries };
}

function writeIpma(version: number, flags: number, entries: Map<number, Association[]>): Uint8Array {
  const parts = [fullBoxHeader(version, flags), numbers([4, entries.size])];
  for (const [id, list] of entries) {
    parts.push(numbers([version < 1 ? 2 : 4, id], [1, list.length]));
    for (const a of list) parts.push(flags & 1 ? numbers([2, (a.essential ? 0x8000 : 0) | a.index]) : numbers([1, (a.essential ? 0x80 : 0) | a.index]));
  }
  return box("ipma", ...parts);
}

/** Item id of an `infe` box (versions 2 and 3, which elheif and phones write). */
function infeItemId(bytes: Uint8Array, b: Box): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes[b.body] === 2 ? view.getUint16(b.body + 4) : view.getUint32(b.body + 4);
}

/**
 * Rewrites elheif's file: keeps only the primary image item (its alpha item and the reference to it go),
 * adds `irot` and an `Exif` item as asked, and moves every item's data offset by what `meta` grew or shrank.
 */
function reshape(file: Uint8Array, spec: HeicSpec): Uint8Array {
  const top = readBoxes(file, 0, file.length);
  const ftyp = top.find((b) => b.type === "ftyp");
  const meta = top.find((b) => b.type === "meta");
  if (!ftyp || !meta || top[0] !== ftyp) throw new Error("elheif wrote no ftyp/meta");
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const children = readBoxes(file, meta.body + 4, meta.end);
  const child = (type: string) => {
    const found = children.find((b) => b.type === type);
    if (!found) throw new Error(`elheif wrote no ${type}`);
    return found;
  };
  const raw = (b: Box) => file.subarray(b.start, b.end);

  const pitm = child("pitm");
  const primary = file[pitm.body] === 0 ? view.getUint16(pitm.body + 4) : view.getUint32(pitm.body + 4);
  const iinf = child("iinf");
  const iinfEntriesAt = iinf.body + 4 + (file[iinf.body] === 0 ? 2 : 4);
  const infes = readBoxes(file, iinfEntriesAt, iinf.end).filter((b) => b.type === "infe" && infeItemId(file, b) === primary);
  const locations = parseIloc(file, child("iloc")).filter((item) => item.id === primary);
  const iprp = child("iprp");
  const iprpChildren = readBoxes(file, iprp.body, iprp.end);
  const ipco = iprpChildren.find((b) => b.type === "ipco");
  const ipmaBox = iprpChildren.find((b) => b.type === "ipma");
  if (!ipco || !ipmaBox) throw new Error("elheif wrote no ipco/ipma");
  const properties = readBoxes(file, ipco.body, ipco.end).map(raw);
  const ipma = parseIpma(file, ipmaBox);
  const associations = new Map([[primary, [...(ipma.entries.get(primary) ?? [])]]]);

  if (spec.rotation) {
    properties.push(box("irot", numbers([1, spec.rotation / 90])));
    associations.get(primary)!.push({ index: properties.length, essential: true });
  }
  const itemInfos = infes.map(raw);
  const references: Uint8Array[] = [];
  let exifPayload: Uint8Array | null = null;
  const exifId = primary + 1;
  if (spec.exif) {
    // Item data: the offset to the TIFF header, then "Exif\0\0" and the TIFF structure, as iPhones write it.
    const tiff = buildExifTiff(spec.exif);
    exifPayload = concat([numbers([4, 6]), new Uint8Array([0x45, 0x78, 0x69, 0x66, 0, 0]), tiff]);
    itemInfos.push(box("infe", fullBoxHeader(2), numbers([2, exifId], [2, 0]), new TextEncoder().encode("Exif"), new Uint8Array([0])));
    references.push(box("cdsc", numbers([2, exifId], [2, 1], [2, primary])));
  }

  const buildMeta = (exifOffset: number, delta: number) => {
    const iloc = writeIloc([
      ...locations.map((item) => ({ ...item, baseOffset: item.baseOffset + delta })),
      ...(exifPayload ? [{ id: exifId, baseOffset: exifOffset, extents: [{ offset: 0, length: exifPayload.length }] }] : []),
    ]);
    const kept = children.filter((b) => !["iloc", "iinf", "iprp", "iref"].includes(b.type)).map(raw);
    return box("meta", fullBoxHeader(0),
      ...kept,
      iloc,
      box("iinf", fullBoxHeader(0), numbers([2, itemInfos.length]), ...itemInfos),
      box("iprp", box("ipco", ...properties), writeIpma(ipma.version, ipma.flags, associations)),
      ...(references.length ? [box("iref", fullBoxHeader(0), ...references)] : []));
  };
  const sizing = buildMeta(0, 0);
  const delta = sizing.length - (meta.end - meta.start);
  const rest = concat(top.filter((b) => b !== ftyp && b !== meta).map(raw));
  const exifOffset = ftyp.end + sizing.length + rest.length + 8;
  const newMeta = buildMeta(exifOffset, delta);
  if (meta.start !== ftyp.end || top.indexOf(meta) !== 1) throw new Error("elheif's meta does not follow ftyp");
  return concat([raw(ftyp), newMeta, rest, ...(exifPayload ? [box("mdat", exifPayload)] : [])]);
}
