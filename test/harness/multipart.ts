/** One part of a multipart/form-data body: a plain field (no filename) or an uploaded file. */
export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export class MultipartError extends Error {}

/**
 * A strict-enough multipart/form-data reader. grammY writes its own bodies (headers without spaces, an
 * unquoted filename), which some general parsers reject, so the fake reads them the way Telegram does.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const value = boundary?.[1] ?? boundary?.[2];
  if (!value) throw new MultipartError("multipart body without a boundary");
  const delimiter = Buffer.from(`--${value}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw new MultipartError("multipart body without its first boundary");
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString("latin1") === "--") return parts;
    if (body.subarray(position, position + 2).toString("latin1") !== "\r\n") {
      throw new MultipartError("malformed boundary line");
    }
    position += 2;
    const headerEnd = body.indexOf("\r\n\r\n", position, "latin1");
    if (headerEnd < 0) throw new MultipartError("part without the blank line after its headers");
    const headers = parseHeaders(body.subarray(position, headerEnd).toString("utf8"));
    const dataStart = headerEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), dataStart);
    if (next < 0) throw new MultipartError("part not closed by a boundary");
    const disposition = headers.get("content-disposition");
    if (!disposition) throw new MultipartError("part without content-disposition");
    const name = dispositionParameter(disposition, "name");
    if (name === undefined) throw new MultipartError("part without a name");
    const filename = dispositionParameter(disposition, "filename");
    const partContentType = headers.get("content-type");
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      ...(partContentType !== undefined ? { contentType: partContentType } : {}),
      data: Buffer.from(body.subarray(dataStart, next)),
    });
    position = next + 2;
  }
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MultipartError(`malformed part header: ${line}`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function dispositionParameter(disposition: string, parameter: string): string | undefined {
  const pattern = new RegExp(`(?:^|;)\\s*${parameter}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i");
  const match = pattern.exec(disposition);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2]!.trim();
}
