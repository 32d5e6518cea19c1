/** Downloads a file that getFile described, from `{apiRoot}/file/bot{token}/{file_path}`, never more than `maxBytes`. */

export type DownloadProblem = "too_large" | "unavailable";

export class DownloadError extends Error {
  readonly code = "DOWNLOAD_FAILED";
  constructor(
    readonly problem: DownloadProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  apiRoot: string;
  token: string;
  filePath: string;
  maxBytes: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export const DEFAULT_API_ROOT = "https://api.telegram.org";

/** Each segment of the path is escaped: a file name from Telegram is data, not part of the URL's syntax. */
export function fileUrl(apiRoot: string, token: string, filePath: string): string {
  const relative = filePath.replace(/^\/+/, "");
  return `${apiRoot.replace(/\/+$/, "")}/file/bot${token}/${relative.split("/").map(encodeURIComponent).join("/")}`;
}

/**
 * The declared size is checked by the caller before this is called; here the body is counted as it arrives too,
 * so a server that sends more than it announced cannot fill the memory. Error messages never contain the URL:
 * it holds the bot token.
 */
export async function downloadTelegramFile(options: DownloadOptions): Promise<Buffer> {
  const fetchImpl = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  let response: Response;
  try {
    response = await fetchImpl(fileUrl(options.apiRoot, options.token, options.filePath), { signal });
  } catch (error) {
    throw new DownloadError("unavailable", `file download failed: ${(error as Error).name}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadError("unavailable", `file download failed with HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new DownloadError("too_large", `file is ${declared} bytes, more than ${options.maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new DownloadError("too_large", `file is more than ${options.maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError("unavailable", `file download interrupted: ${(error as Error).name}`);
  }
  return Buffer.concat(chunks, total);
}
