import type { Context } from "grammy";
import { unpackIntake } from "./callback-data.js";

/** What a person sent, reduced to what a question can take as an answer. */
export type Input =
  | { kind: "text"; text: string }
  | { kind: "button"; step: string; tag: string; value: string }
  | { kind: "location"; latitude: number; longitude: number; address?: string }
  | { kind: "photo"; fileId: string; fileUniqueId: string; fileSize?: number; mediaGroupId?: string }
  | { kind: "document"; fileId: string; fileUniqueId: string; fileSize?: number; mediaGroupId?: string }
  | { kind: "unsupported_media"; media: "video" | "voice" | "audio" | "sticker" | "animation" | "other" }
  /** Commands go on to their handlers; buttons of other features too. Neither is an answer. */
  | { kind: "command" }
  | { kind: "foreign_button" }
  | { kind: "ignored" };

export function readInput(ctx: Context): Input {
  const query = ctx.callbackQuery;
  if (query) {
    const data = query.data ? unpackIntake(query.data) : undefined;
    return data ? { kind: "button", ...data } : { kind: "foreign_button" };
  }
  const message = ctx.message;
  if (!message) return { kind: "ignored" };
  if (message.text !== undefined) {
    const command = message.entities?.some((e) => e.type === "bot_command" && e.offset === 0);
    return command ? { kind: "command" } : { kind: "text", text: message.text };
  }
  if (message.venue) {
    const { venue } = message;
    const address = [venue.title, venue.address].filter((part) => part && part.trim()).join(", ");
    return {
      kind: "location",
      latitude: venue.location.latitude,
      longitude: venue.location.longitude,
      ...(address ? { address } : {}),
    };
  }
  if (message.location) return { kind: "location", latitude: message.location.latitude, longitude: message.location.longitude };
  const group = message.media_group_id ? { mediaGroupId: message.media_group_id } : {};
  if (message.photo && message.photo.length > 0) {
    // Telegram lists the sizes smallest first; the largest is the closest to what the person sent.
    const largest = message.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    return {
      kind: "photo",
      fileId: largest.file_id,
      fileUniqueId: largest.file_unique_id,
      ...(largest.file_size !== undefined ? { fileSize: largest.file_size } : {}),
      ...group,
    };
  }
  if (message.animation) return { kind: "unsupported_media", media: "animation" };
  if (message.document) {
    const { document } = message;
    return {
      kind: "document",
      fileId: document.file_id,
      fileUniqueId: document.file_unique_id,
      ...(document.file_size !== undefined ? { fileSize: document.file_size } : {}),
      ...group,
    };
  }
  if (message.video || message.video_note) return { kind: "unsupported_media", media: "video" };
  if (message.voice) return { kind: "unsupported_media", media: "voice" };
  if (message.audio) return { kind: "unsupported_media", media: "audio" };
  if (message.sticker) return { kind: "unsupported_media", media: "sticker" };
  return { kind: "unsupported_media", media: "other" };
}

/** For comparing a typed answer with a button label: case, emoji and punctuation do not matter. */
export function normalizeLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’ʼ`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
