import exifr from "exifr";

export interface PhotoEvidence {
  /**
   * When the photo was taken. With the camera's UTC offset (EXIF OffsetTimeOriginal, or an offset in XMP) this
   * is the real instant; without one, EXIF gives only the camera's clock reading, which is kept as if it were UTC.
   */
  takenAt?: Date;
  latitude?: number;
  longitude?: number;
}

/** Metadata blocks the image decoder found, for containers the EXIF reader does not walk (WebP, AVIF, HEIF). */
export interface EmbeddedMetadata {
  exif?: Buffer | undefined;
  xmp?: Buffer | undefined;
}

const EARLIEST = Date.UTC(1990, 0, 1);
const DAY_MS = 86_400_000;

type Tags = Record<string, unknown>;

/**
 * The two facts investigators need from a photo — when and where — read before every tag is stripped.
 * Nothing else is kept. Implausible values (0,0, out of range, dates before 1990 or more than a day ahead)
 * are dropped: a camera with a flat clock battery says 1970 or 2000, not when the photo was taken.
 */
export async function readEvidence(input: Buffer, embedded: EmbeddedMetadata = {}): Promise<PhotoEvidence> {
  const tags = await exifTags(input);
  // Fills only what the original's own reading lacks.
  for (const [name, value] of Object.entries(await embeddedTags(embedded))) {
    if (tags[name] === undefined) tags[name] = value;
  }
  const evidence: PhotoEvidence = {};
  const latitude = typeof tags.latitude === "number" ? tags.latitude : xmpCoordinate(tags.GPSLatitude);
  const longitude = typeof tags.longitude === "number" ? tags.longitude : xmpCoordinate(tags.GPSLongitude);
  if (isPlausiblePosition(latitude, longitude)) {
    evidence.latitude = latitude;
    evidence.longitude = longitude;
  }
  // Only the moment of capture: a file's creation or modification date may be when it was edited or copied.
  const takenAt = parseDate(tags.DateTimeOriginal, tags.OffsetTimeOriginal);
  if (takenAt && takenAt.getTime() >= EARLIEST && takenAt.getTime() <= Date.now() + DAY_MS) evidence.takenAt = takenAt;
  return evidence;
}

function isPlausiblePosition(latitude: number | undefined, longitude: number | undefined): boolean {
  return (
    latitude !== undefined &&
    longitude !== undefined &&
    Number.isFinite(latitude) &&
    Number.isFinite(longitude) &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180 &&
    !(latitude === 0 && longitude === 0)
  );
}

/**
 * One object for every call: exifr caches the options it derives in a module-level Map keyed by this object, so
 * a literal per call would keep one entry per photo for the life of the process.
 */
const exifOptions = {
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
};

async function exifTags(input: Buffer | undefined): Promise<Tags> {
  if (!input || input.length === 0) return {};
  try {
    const parsed: unknown = await exifr.parse(input, exifOptions);
    return parsed && typeof parsed === "object" ? { ...(parsed as Tags) } : {};
  } catch {
    // A file the EXIF reader cannot walk still has its pixels; its evidence is what the decoder found.
    return {};
  }
}

async function embeddedTags(embedded: EmbeddedMetadata): Promise<Tags> {
  const exif = embedded.exif;
  // libvips hands EXIF over as an APP1 payload: "Exif\0\0" and then the TIFF structure the reader wants.
  const tiff = exif && exif.toString("latin1", 0, 6) === "Exif\0\0" ? exif.subarray(6) : exif;
  return { ...xmpTags(embedded.xmp?.toString("utf8")), ...(await exifTags(tiff)) };
}

function xmpTags(xmp: string | undefined): Tags {
  if (!xmp) return {};
  const tags: Tags = {};
  for (const name of ["GPSLatitude", "GPSLongitude", "DateTimeOriginal"]) {
    const match = new RegExp(`:${name}(?:\\s*=\\s*"([^"]*)"|>([^<]*)<)`).exec(xmp);
    if (match) tags[name] = match[1] ?? match[2];
  }
  return tags;
}

// XMP writes coordinates as "DDD,MM.mmmN" or "DDD,MM,SSN".
function xmpCoordinate(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^\s*(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])\s*$/i.exec(value);
  if (!match) return undefined;
  const degrees = Number(match[1]) + Number(match[2]) / 60 + (match[3] ? Number(match[3]) / 3600 : 0);
  return /[SW]/i.test(match[4]!) ? -degrees : degrees;
}

/**
 * "2008:10:22 16:29:49" (EXIF, with its offset in a separate tag such as "+02:00") or
 * "2008-10-22T16:29:49+02:00" (XMP), read the same on every server whatever its own time zone.
 */
function parseDate(value: unknown, separateOffset: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?/.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const clock = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  if (new Date(clock).getUTCDate() !== day) return undefined;
  const offset = offsetMinutes(match[7] ?? separateOffset);
  return new Date(clock - (offset ?? 0) * 60_000);
}

function offsetMinutes(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  if (value.trim() === "Z") return 0;
  const match = /^\s*([+-])(\d{2}):?(\d{2})\s*$/.exec(value);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60) return undefined;
  return match[1] === "-" ? -minutes : minutes;
}
