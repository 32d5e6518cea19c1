import exifr from "exifr";
import sharp from "sharp";

export interface PhotoEvidence {
  /** When the photo was taken, as the camera recorded it (EXIF carries no time zone: kept as the camera's clock read, stored as if UTC). */
  takenAt?: Date;
  latitude?: number;
  longitude?: number;
}

const EARLIEST = Date.UTC(1990, 0, 1);

/**
 * The two facts investigators need from a photo — when and where — read before every tag is stripped.
 * Nothing else is kept. Implausible values (0,0, out of range, dates before 1990 or in the future) are dropped.
 */
export async function readEvidence(input: Buffer, options: { isoMedia?: boolean } = {}): Promise<PhotoEvidence> {
  const webp = isWebp(input) ? webpMetadataChunks(input) : undefined;
  let tags = { ...xmpTags(webp?.xmp), ...(await exifTags(webp ? webp.exif : input)) };
  if (options.isoMedia && tags.latitude === undefined && tags.GPSLatitude === undefined) {
    // Containers the EXIF reader does not walk (AVIF, some HEIF): libvips hands over the raw EXIF and XMP.
    const embedded = await embeddedMetadata(input);
    tags = { ...xmpTags(embedded.xmp), ...(await exifTags(embedded.exif)), ...tags };
  }
  const evidence: PhotoEvidence = {};
  const lat = typeof tags.latitude === "number" ? tags.latitude : xmpCoordinate(tags.GPSLatitude);
  const lon = typeof tags.longitude === "number" ? tags.longitude : xmpCoordinate(tags.GPSLongitude);
  if (
    lat !== undefined &&
    lon !== undefined &&
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180 &&
    !(lat === 0 && lon === 0)
  ) {
    evidence.latitude = lat;
    evidence.longitude = lon;
  }
  const taken = parseExifDate(tags.DateTimeOriginal ?? tags.CreateDate);
  if (taken && taken.getTime() >= EARLIEST && taken.getTime() <= Date.now() + 86_400_000) evidence.takenAt = taken;
  return evidence;
}

async function exifTags(input: Buffer | undefined): Promise<Record<string, unknown>> {
  if (!input || input.length === 0) return {};
  try {
    return ((await exifr.parse(input, {
      tiff: true,
      exif: true,
      gps: true,
      xmp: true,
      ifd1: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      makerNote: false,
      userComment: false,
      translateValues: true,
      reviveValues: false,
    })) ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function embeddedMetadata(input: Buffer): Promise<{ exif?: Buffer; xmp?: string }> {
  try {
    const metadata = await sharp(input, { limitInputPixels: false, failOn: "none" }).metadata();
    const exif = metadata.exif?.toString("latin1", 0, 6) === "Exif\0\0" ? metadata.exif.subarray(6) : metadata.exif;
    return { ...(exif ? { exif } : {}), ...(metadata.xmp ? { xmp: metadata.xmp.toString("utf8") } : {}) };
  } catch {
    return {};
  }
}

const isWebp = (b: Buffer) => b.length >= 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP";

// The EXIF reader does not know WebP: its EXIF chunk (a TIFF structure) and XMP chunk are handed over apart.
function webpMetadataChunks(input: Buffer): { exif?: Buffer; xmp?: string } {
  const found: { exif?: Buffer; xmp?: string } = {};
  for (let offset = 12; offset + 8 <= input.length; ) {
    const id = input.toString("latin1", offset, offset + 4);
    const size = input.readUInt32LE(offset + 4);
    const body = input.subarray(offset + 8, Math.min(input.length, offset + 8 + size));
    if (id === "EXIF") found.exif = body.toString("latin1", 0, 6) === "Exif\0\0" ? body.subarray(6) : body;
    if (id === "XMP ") found.xmp = body.toString("utf8");
    offset += 8 + size + (size % 2);
  }
  return found;
}

function xmpTags(xmp: string | undefined): Record<string, unknown> {
  if (!xmp) return {};
  const tags: Record<string, unknown> = {};
  for (const name of ["GPSLatitude", "GPSLongitude", "DateTimeOriginal", "CreateDate"]) {
    const m = new RegExp(`${name}(?:="([^"]*)"|>([^<]*)<)`).exec(xmp);
    if (m) tags[name] = m[1] ?? m[2];
  }
  return tags;
}

// XMP writes coordinates as "DDD,MM.mmmN" or "DDD,MM,SSN".
function xmpCoordinate(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])\s*$/i.exec(value);
  if (!m) return undefined;
  const degrees = Number(m[1]) + Number(m[2]) / 60 + (m[3] ? Number(m[3]) / 3600 : 0);
  return /[SW]/i.test(m[4]!) ? -degrees : degrees;
}

// "2008:10:22 16:29:49" (EXIF) or "2008-10-22T16:29:49" (XMP), read the same on every server whatever its zone.
function parseExifDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d! ? date : undefined;
}
