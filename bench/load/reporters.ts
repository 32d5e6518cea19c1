import type { PhotoSize } from "grammy/types";
import type { Locale } from "../../src/db/types.js";
import type { FakeBotApi } from "../../test/harness/fake-bot-api.js";
import { type ReporterScript, ScriptedReporter } from "../../test/reliability/helpers/scripted-reporter.js";
import { photoSizes } from "./photos.js";
import { seededRandom } from "../../test/helpers/seeded-random.js";

/** Seconds a person takes before each kind of answer when `--pauses` is on: reading and tapping, typing, picking a photo. */
const PAUSES = {
  tap: [1, 3],
  text: [2, 6],
  photo: [2, 5],
} as const;

export function reportScript(n: number, run: string, photos: Buffer[]): ReporterScript {
  const locale: Locale = n % 2 === 0 ? "uk" : "en";
  return {
    locale,
    description: `Laptop of reporter ${run}-${n}, grey, with a sticker on the lid`,
    narrative: `Reporter ${run}-${n}: they came in the morning, three of them, and took everything they could carry.`,
    address: `Irpin, Soborna street ${n + 1}, flat ${(n % 40) + 1}`,
    photos,
  };
}

/**
 * A person filing one report, answering whatever the bot asks (the reliability tests' scripted reporter). Their
 * photos carry prepared smaller sizes, so the benchmark's own image work does not compete with the bot; with
 * `pauses`, they take a person's time before each answer.
 */
export function loadReporter(
  api: FakeBotApi,
  script: ReporterScript,
  thumbnails: PhotoSize[],
  pauses: { seed: number } | undefined,
): ScriptedReporter {
  const reporter = new ScriptedReporter(api, script);
  const user = reporter.user;
  user.sendsPhoto = (bytes) => user.sends({ photo: photoSizes(api, thumbnails, bytes) });
  if (!pauses) return reporter;

  const random = seededRandom(pauses.seed);
  const sleep = (range: readonly [number, number]) =>
    new Promise((resolve) => setTimeout(resolve, (range[0] + random() * (range[1] - range[0])) * 1000));
  // A tap on a reply keyboard is sent as text: only the outermost action pauses.
  let acting = 0;
  const paced = <A extends unknown[], R>(action: (...args: A) => Promise<R>, range: readonly [number, number]) =>
    async (...args: A): Promise<R> => {
      if (acting === 0) await sleep(range);
      acting++;
      try {
        return await action(...args);
      } finally {
        acting--;
      }
    };
  user.taps = paced(user.taps.bind(user), PAUSES.tap);
  user.says = paced(user.says.bind(user), PAUSES.text);
  user.sendsPhoto = paced(user.sendsPhoto.bind(user), PAUSES.photo);
  return reporter;
}
