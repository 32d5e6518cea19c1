import exifr from "exifr";

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
export async function readEvidence(input: Buffer): Promise<PhotoEvidence> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(input, {
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
    })) as Record<string, unknown> | undefined;
  } catch {
    return {};
  }
  if (!tags) return {};
  const evidence: PhotoEvidence = {};
  const lat = tags.latitude;
  const lon = tags.longitude;
  if (
    typeof lat === "number" &&
    typeof lon === "number" &&
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

// "2008:10:22 16:29:49" (EXIF) or "2008-10-22T16:29:49" (XMP), read the same on every server whatever its zone.
function parseExifDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d! ? date : undefined;
}
