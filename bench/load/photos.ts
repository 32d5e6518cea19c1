import type { PhotoSize } from "grammy/types";
import sharp from "sharp";
import type { FakeBotApi } from "../../test/harness/fake-bot-api.js";
import { seededRandom } from "../../test/helpers/seeded-random.js";

export const PHOTO_WIDTH = 1280;
export const PHOTO_HEIGHT = 960;

/**
 * A photo as Telegram delivers one from a phone: 1280×960, about 150 KB. Seeded noise blown up smoothly gives
 * each picture its own content (its own hash and perceptual hash, so no two cases look like duplicates) at a
 * photo's size; the same seed always gives the same bytes.
 */
export async function telegramSizedJpeg(seed: number): Promise<Buffer> {
  const width = 64;
  const height = 48;
  const random = seededRandom(seed);
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(random() * 256);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .resize(PHOTO_WIDTH, PHOTO_HEIGHT, { kernel: "linear" })
    .jpeg({ quality: 85 })
    .toBuffer();
}

export async function telegramSizedJpegs(count: number, firstSeed: number): Promise<Buffer[]> {
  const photos: Buffer[] = [];
  // Two at a time: sharp works on libuv's threads, and this machine may have only two cores.
  for (let i = 0; i < count; i += 2) {
    photos.push(...(await Promise.all([i, i + 1].filter((n) => n < count).map((n) => telegramSizedJpeg(firstSeed + n)))));
  }
  return photos;
}

/**
 * The smaller sizes Telegram adds to a photo message. The bot downloads only the largest, so every photo of the
 * benchmark shares one set of them: the people's phones then do no image work while the bot is measured.
 */
export async function sharedThumbnails(api: FakeBotApi, sample: Buffer): Promise<PhotoSize[]> {
  const sizes: PhotoSize[] = [];
  for (const side of [90, 320, 800]) {
    const { data, info } = await sharp(sample).resize(side, side, { fit: "inside" }).jpeg({ quality: 80 }).toBuffer({ resolveWithObject: true });
    const file = api.addFile(data, { kind: "photos" });
    sizes.push({ file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, width: info.width, height: info.height });
  }
  return sizes;
}

/** The sizes of one photo message: the shared small ones, then these bytes as the largest. */
export function photoSizes(api: FakeBotApi, thumbnails: PhotoSize[], bytes: Buffer): PhotoSize[] {
  const file = api.addFile(bytes, { kind: "photos" });
  return [
    ...thumbnails,
    { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, width: PHOTO_WIDTH, height: PHOTO_HEIGHT },
  ];
}
