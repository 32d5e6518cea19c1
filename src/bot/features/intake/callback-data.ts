import { createCallbackData } from "callback-data";

/**
 * Buttons of a report carry the step they answer and a tag of the draft they belong to, so a press on an old
 * keyboard (another step, an earlier report) is recognised and never taken as an answer.
 */
export const intakeData = createCallbackData("intake", { step: String, tag: String, value: String });

/** The tag names the draft without revealing its key: the first eight characters of a random UUID. */
export function draftTag(draftKey: string): string {
  return draftKey.slice(0, 8);
}

/** Consent is asked before a draft exists. */
export const CONSENT_TAG = "0";

export const cancelData = createCallbackData("cancel", { answer: String });

export function unpackIntake(data: string): { step: string; tag: string; value: string } | undefined {
  if (!intakeData.filter().test(data)) return undefined;
  try {
    return intakeData.unpack(data);
  } catch {
    return undefined;
  }
}
