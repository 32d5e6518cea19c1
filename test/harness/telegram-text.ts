import type { MessageEntity } from "grammy/types";

/** An error in the shape Telegram answers with: `{ ok: false, error_code, description, parameters? }`. */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(`${errorCode}: ${description}`);
  }
}

export const badRequest = (description: string) => new BotApiError(400, `Bad Request: ${description}`);

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;

/**
 * Turns the text a bot sends into what Telegram shows, refusing markup Telegram refuses. Parse errors are
 * the most common way a bot that works in a unit test fails in production (a reporter's "<" or "." pasted
 * into an HTML or MarkdownV2 message), so the fake is as strict as Telegram here.
 */
export function parseFormattedText(raw: unknown, parseMode: unknown, entities: unknown): FormattedText {
  const text = typeof raw === "number" ? String(raw) : raw;
  if (typeof text !== "string") throw badRequest("message text is empty");
  if (parseMode === undefined || parseMode === null || parseMode === "") {
    return { text, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  }
  switch (String(parseMode).toLowerCase()) {
    case "html":
      return parseHtml(text);
    case "markdownv2":
      return parseMarkdownV2(text);
    case "markdown":
      return parseLegacyMarkdown(text);
    default:
      throw badRequest(`unsupported parse_mode`);
  }
}

const byteOffset = (source: string, index: number) => Buffer.byteLength(source.slice(0, index), "utf8");
const entityError = (message: string) => badRequest(`can't parse entities: ${message}`);

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset || b.length - a.length);
}

// ---------------------------------------------------------------- HTML

const htmlEntityTypes: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

const namedCharacters: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface OpenTag {
  name: string;
  start: number;
  attributes: Map<string, string>;
}

function parseHtml(source: string): FormattedText {
  let out = "";
  const stack: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === "&") {
      const match = /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/.exec(source.slice(i));
      const name = match?.[1];
      if (name !== undefined) {
        const decoded = name.startsWith("#x")
          ? String.fromCodePoint(parseInt(name.slice(2), 16))
          : name.startsWith("#")
            ? String.fromCodePoint(parseInt(name.slice(1), 10))
            : namedCharacters[name.toLowerCase()];
        if (decoded !== undefined) {
          out += decoded;
          i += match![0].length;
          continue;
        }
      }
      out += char;
      i++;
      continue;
    }
    if (char !== "<") {
      out += char;
      i++;
      continue;
    }
    if (!/^<\/?[a-zA-Z]/.test(source.slice(i, i + 3))) {
      throw entityError(`Unsupported start tag "" at byte offset ${byteOffset(source, i)}`);
    }
    const end = source.indexOf(">", i);
    if (end < 0) throw entityError(`Unclosed start tag at byte offset ${byteOffset(source, i)}`);
    const inner = source.slice(i + 1, end);
    if (inner.startsWith("/")) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open || (name !== "" && open.name !== name)) {
        const expected = open ? `expected "</${open.name}>"` : "no open tag";
        throw entityError(`Unmatched end tag at byte offset ${byteOffset(source, i)}, ${expected}, found "</${name}>"`);
      }
      entities.push(...htmlEntity(open, out.length, stack));
    } else {
      const tagMatch = /^([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*$/.exec(inner);
      const name = tagMatch?.[1]?.toLowerCase();
      if (!tagMatch || !name || !(name in htmlEntityTypes)) {
        throw entityError(`Unsupported start tag "${name ?? inner.split(/\s/)[0]}" at byte offset ${byteOffset(source, i)}`);
      }
      const attributes = new Map<string, string>();
      for (const attr of tagMatch[2]!.matchAll(/([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
        attributes.set(attr[1]!.toLowerCase(), decodeHtmlAttribute(attr[2] ?? attr[3] ?? attr[4] ?? ""));
      }
      if (name === "span" && attributes.get("class") !== "tg-spoiler") {
        throw entityError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, i)}`);
      }
      stack.push({ name, start: out.length, attributes });
    }
    i = end + 1;
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw entityError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text: out, entities: sortEntities(entities) };
}

function decodeHtmlAttribute(value: string): string {
  return value.replace(/&(lt|gt|amp|quot);/gi, (_, name: string) => namedCharacters[name.toLowerCase()]!);
}

function htmlEntity(tag: OpenTag, end: number, stack: OpenTag[]): MessageEntity[] {
  const base = { offset: tag.start, length: end - tag.start };
  switch (tag.name) {
    case "a": {
      const url = tag.attributes.get("href") ?? "";
      return url ? [{ ...base, type: "text_link", url }] : [];
    }
    case "code": {
      // <pre><code class="language-x"> is one pre entity with a language, not two entities.
      const parent = stack.at(-1);
      const language = tag.attributes.get("class")?.replace(/^language-/, "");
      if (parent?.name === "pre") {
        if (language) parent.attributes.set("language", language);
        return [];
      }
      return [{ ...base, type: "code" }];
    }
    case "pre": {
      const language = tag.attributes.get("language");
      return [{ ...base, type: "pre", ...(language ? { language } : {}) }];
    }
    case "blockquote":
      return [{ ...base, type: tag.attributes.has("expandable") ? "expandable_blockquote" : "blockquote" }];
    case "tg-emoji":
      return [{ ...base, type: "custom_emoji", custom_emoji_id: tag.attributes.get("emoji-id") ?? "" }];
    default:
      return [{ ...base, type: htmlEntityTypes[tag.name]! } as MessageEntity];
  }
}

// ---------------------------------------------------------------- MarkdownV2

const reservedV2 = new Set("_*[]()~`>#+-=|{}.!".split(""));

const v2Names: Record<string, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  text_link: "TextUrl",
};

function parseMarkdownV2(source: string): FormattedText {
  let out = "";
  const entities: MessageEntity[] = [];
  const stack: { type: string; start: number; at: number }[] = [];
  let quoteStart: number | undefined;
  let i = 0;
  const toggle = (type: string, width: number) => {
    const top = stack.at(-1);
    if (top?.type === type) {
      stack.pop();
      entities.push({ type, offset: top.start, length: out.length - top.start } as MessageEntity);
    } else {
      stack.push({ type, start: out.length, at: i });
    }
    i += width;
  };
  while (i < source.length) {
    const char = source[i]!;
    const atLineStart = i === 0 || source[i - 1] === "\n";
    if (atLineStart && quoteStart !== undefined && char !== ">") {
      entities.push({ type: "blockquote", offset: quoteStart, length: out.length - quoteStart - 1 });
      quoteStart = undefined;
    }
    if (char === "\\") {
      const next = source[i + 1];
      if (next !== undefined && next.charCodeAt(0) >= 1 && next.charCodeAt(0) <= 126) {
        out += next;
        i += 2;
      } else {
        out += char;
        i++;
      }
      continue;
    }
    if (char === "`") {
      const fence = source.startsWith("```", i);
      const close = fence ? findUnescaped(source, "```", i + 3) : findUnescaped(source, "`", i + 1);
      if (close < 0) {
        throw entityError(`Can't find end of ${fence ? "Pre" : "Code"} entity at byte offset ${byteOffset(source, i)}`);
      }
      let body = source.slice(i + (fence ? 3 : 1), close);
      let language: string | undefined;
      if (fence) {
        const newline = body.indexOf("\n");
        if (newline >= 0 && /^[\w+-]+$/.test(body.slice(0, newline))) {
          language = body.slice(0, newline);
          body = body.slice(newline + 1);
        }
      }
      const start = out.length;
      out += body.replace(/\\([\\`])/g, "$1");
      entities.push({
        type: fence ? "pre" : "code",
        offset: start,
        length: out.length - start,
        ...(language ? { language } : {}),
      } as MessageEntity);
      i = close + (fence ? 3 : 1);
      continue;
    }
    if (char === ">" && atLineStart) {
      if (quoteStart === undefined) quoteStart = out.length;
      i++;
      continue;
    }
    if (char === "*") {
      toggle("bold", 1);
      continue;
    }
    if (char === "~") {
      toggle("strikethrough", 1);
      continue;
    }
    if (char === "_") {
      if (source[i + 1] === "_") toggle("underline", 2);
      else toggle("italic", 1);
      continue;
    }
    if (char === "|" && source[i + 1] === "|") {
      toggle("spoiler", 2);
      continue;
    }
    if (char === "[") {
      stack.push({ type: "text_link", start: out.length, at: i });
      i++;
      continue;
    }
    if (char === "]" && stack.at(-1)?.type === "text_link" && source[i + 1] === "(") {
      const close = findUnescaped(source, ")", i + 2);
      if (close < 0) throw entityError(`Can't find end of a URL at byte offset ${byteOffset(source, i + 2)}`);
      const url = source.slice(i + 2, close).replace(/\\([\\)])/g, "$1");
      const open = stack.pop()!;
      entities.push({ type: "text_link", offset: open.start, length: out.length - open.start, url });
      i = close + 1;
      continue;
    }
    if (reservedV2.has(char)) {
      throw entityError(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
    }
    out += char;
    i++;
  }
  if (quoteStart !== undefined) entities.push({ type: "blockquote", offset: quoteStart, length: out.length - quoteStart });
  const unclosed = stack.at(-1);
  if (unclosed) {
    throw entityError(`Can't find end of ${v2Names[unclosed.type]} entity at byte offset ${byteOffset(source, unclosed.at)}`);
  }
  return { text: out, entities: sortEntities(entities) };
}

function findUnescaped(source: string, needle: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === "\\") {
      i++;
      continue;
    }
    if (source.startsWith(needle, i)) return i;
  }
  return -1;
}

// ---------------------------------------------------------------- legacy Markdown

function parseLegacyMarkdown(source: string): FormattedText {
  let out = "";
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === "\\" && "_*`[".includes(source[i + 1] ?? "")) {
      out += source[i + 1];
      i += 2;
      continue;
    }
    const marker = source.startsWith("```", i) ? "```" : "*_`[".includes(char) ? char : undefined;
    if (!marker) {
      out += char;
      i++;
      continue;
    }
    const closer = marker === "[" ? "]" : marker;
    const close = source.indexOf(closer, i + marker.length);
    if (close < 0) throw entityError(`Can't find end of the entity starting at byte offset ${byteOffset(source, i)}`);
    const body = source.slice(i + marker.length, close);
    const start = out.length;
    out += body;
    if (marker === "[") {
      const urlMatch = /^\(([^)]*)\)/.exec(source.slice(close + 1));
      if (urlMatch) {
        entities.push({ type: "text_link", offset: start, length: body.length, url: urlMatch[1]! });
        i = close + 1 + urlMatch[0].length;
      } else {
        out = out.slice(0, start) + `[${body}]`;
        i = close + 1;
      }
      continue;
    }
    const type = ({ "*": "bold", _: "italic", "`": "code", "```": "pre" } as const)[marker];
    entities.push({ type, offset: start, length: body.length } as MessageEntity);
    i = close + marker.length;
  }
  return { text: out, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------- keyboards

type Json = Record<string, unknown>;

const inlineActions = [
  "callback_data",
  "url",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

/** Refuses the keyboards Telegram refuses; the callback_data limit of 64 bytes is the one bots trip over. */
export function validateReplyMarkup(markup: unknown): void {
  if (markup === undefined || markup === null) return;
  if (typeof markup !== "object") throw badRequest("can't parse reply keyboard markup JSON object");
  const m = markup as Json;
  if ("inline_keyboard" in m) {
    if (!Array.isArray(m.inline_keyboard) || !m.inline_keyboard.every(Array.isArray)) {
      throw badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays");
    }
    for (const row of m.inline_keyboard as unknown[][]) {
      for (const button of row) {
        const b = (button ?? {}) as Json;
        if (typeof b.text !== "string" || b.text === "") throw badRequest("text buttons are unallowed in the inline keyboard");
        const actions = inlineActions.filter((key) => b[key] !== undefined);
        if (actions.length !== 1) throw badRequest("text buttons are unallowed in the inline keyboard");
        if (actions[0] === "callback_data") {
          const data = b.callback_data;
          const size = typeof data === "string" ? Buffer.byteLength(data, "utf8") : 0;
          if (size < 1 || size > 64) throw badRequest("BUTTON_DATA_INVALID");
        }
        if (actions[0] === "url" && !isUrl(b.url)) throw badRequest(`inline keyboard button URL '${String(b.url)}' is invalid`);
      }
    }
    return;
  }
  if ("keyboard" in m) {
    if (!Array.isArray(m.keyboard) || !m.keyboard.every(Array.isArray)) {
      throw badRequest("field \"keyboard\" of the ReplyKeyboardMarkup must be an Array of Arrays");
    }
    for (const row of m.keyboard as unknown[][]) {
      for (const button of row) {
        const text = typeof button === "string" ? button : (button as Json | null)?.text;
        if (typeof text !== "string" || text === "") throw badRequest("keyboard button text must be non-empty");
      }
    }
    return;
  }
  if (m.remove_keyboard === true || m.force_reply === true) return;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

function isUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return ["http:", "https:", "tg:"].includes(url.protocol);
  } catch {
    return false;
  }
}
