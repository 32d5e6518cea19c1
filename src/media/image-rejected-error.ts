export const rejectionReasons = ["not_an_image", "unsupported_format", "too_large", "too_many_pixels", "corrupt"] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

/** The one error the sanitizer throws; the bot turns `reason` into a sentence in the person's language. */
export class ImageRejectedError extends Error {
  override readonly name = "ImageRejectedError";
  constructor(
    readonly reason: RejectionReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}
