import { describe, expect, it } from "vitest";
import { parseMultipart } from "./multipart.js";
import { parseFormattedText, validateReplyMarkup } from "./telegram-text.js";

describe("HTML parse mode", () => {
  it("strips tags into entities with UTF-16 offsets and decodes character references", () => {
    expect(parseFormattedText("Привіт <b>світ</b> &amp; <i>👍 ok</i> &lt;3 &#1111;", "HTML", undefined)).toEqual({
      text: "Привіт світ & 👍 ok <3 ї",
      entities: [
        { type: "bold", offset: 7, length: 4 },
        { type: "italic", offset: 14, length: 5 },
      ],
    });
  });

  it("reads links, spoilers, quotes and a pre block with its language", () => {
    const parsed = parseFormattedText(
      '<a href="https://example.org/?a=1&amp;b=2">map</a> <span class="tg-spoiler">x</span> <blockquote expandable>q</blockquote> <pre><code class="language-json">{}</code></pre>',
      "HTML",
      undefined,
    );
    expect(parsed.text).toBe("map x q {}");
    expect(parsed.entities).toEqual([
      { type: "text_link", offset: 0, length: 3, url: "https://example.org/?a=1&b=2" },
      { type: "spoiler", offset: 4, length: 1 },
      { type: "expandable_blockquote", offset: 6, length: 1 },
      { type: "pre", offset: 8, length: 2, language: "json" },
    ]);
  });

  it.each([
    ["<b>bold", /Can't find end tag corresponding to start tag "b"/],
    ["<b>x</i>", /Unmatched end tag at byte offset 4, expected "<\/b>", found "<\/i>"/],
    ["<script>x</script>", /Unsupported start tag "script" at byte offset 0/],
    ["<span>x</span>", /must have class "tg-spoiler"/],
    ["Ціна < 5", /Unsupported start tag "" at byte offset 9/],
  ])("refuses %j", (text, message) => {
    expect(() => parseFormattedText(text, "HTML", undefined)).toThrow(message);
  });
});

describe("MarkdownV2 parse mode", () => {
  it("reads entities and escapes", () => {
    const parsed = parseFormattedText("*b* _i_ __u__ ~s~ ||sp|| `c\\`d` [l](https://x.org/a\\)b) 1\\.5\\!", "MarkdownV2", undefined);
    expect(parsed.text).toBe("b i u s sp c`d l 1.5!");
    expect(parsed.entities).toEqual([
      { type: "bold", offset: 0, length: 1 },
      { type: "italic", offset: 2, length: 1 },
      { type: "underline", offset: 4, length: 1 },
      { type: "strikethrough", offset: 6, length: 1 },
      { type: "spoiler", offset: 8, length: 2 },
      { type: "code", offset: 11, length: 3 },
      { type: "text_link", offset: 15, length: 1, url: "https://x.org/a)b" },
    ]);
  });

  it("reads a pre block with a language and a block quote", () => {
    const parsed = parseFormattedText("```js\nlet a = 1;\n```\n>quoted\n>more\nafter", "MarkdownV2", undefined);
    expect(parsed.text).toBe("let a = 1;\n\nquoted\nmore\nafter");
    expect(parsed.entities).toEqual([
      { type: "pre", offset: 0, length: 11, language: "js" },
      { type: "blockquote", offset: 12, length: 11 },
    ]);
  });

  it.each([
    ["Case SV-7K3F saved.", /Character '-' is reserved/],
    ["Done.", /Character '\.' is reserved/],
    ["*bold", /Can't find end of Bold entity at byte offset 0/],
    ["`code", /Can't find end of Code entity/],
  ])("refuses %j", (text, message) => {
    expect(() => parseFormattedText(text, "MarkdownV2", undefined)).toThrow(message);
  });
});

describe("legacy Markdown and plain text", () => {
  it("reads the four legacy markers and refuses an unclosed one", () => {
    expect(parseFormattedText("*b* _i_ `c` [l](https://x.org) 1.5", "Markdown", undefined)).toEqual({
      text: "b i c l 1.5",
      entities: [
        { type: "bold", offset: 0, length: 1 },
        { type: "italic", offset: 2, length: 1 },
        { type: "code", offset: 4, length: 1 },
        { type: "text_link", offset: 6, length: 1, url: "https://x.org" },
      ],
    });
    expect(() => parseFormattedText("snake_case", "Markdown", undefined)).toThrow(/Can't find end of the entity starting at byte offset 5/);
  });

  it("keeps plain text as it is, with any entities given", () => {
    const entities = [{ type: "bold", offset: 0, length: 1 }];
    expect(parseFormattedText("<b>", undefined, entities)).toEqual({ text: "<b>", entities });
  });
});

describe("reply markup", () => {
  it("accepts inline and reply keyboards and removal", () => {
    expect(() => validateReplyMarkup({ inline_keyboard: [[{ text: "Так", callback_data: "x".repeat(64) }, { text: "Map", url: "https://example.org" }]] })).not.toThrow();
    expect(() => validateReplyMarkup({ keyboard: [["Red", { text: "Where I am", request_location: true }]] })).not.toThrow();
    expect(() => validateReplyMarkup({ remove_keyboard: true })).not.toThrow();
  });

  it("counts callback_data in bytes, as Telegram does", () => {
    expect(() => validateReplyMarkup({ inline_keyboard: [[{ text: "x", callback_data: "д".repeat(33) }]] })).toThrow(/BUTTON_DATA_INVALID/);
    expect(() => validateReplyMarkup({ inline_keyboard: [[{ text: "x", callback_data: "" }]] })).toThrow(/BUTTON_DATA_INVALID/);
  });

  it.each([
    [{ inline_keyboard: [{ text: "x", callback_data: "y" }] }, /Array of Arrays/],
    [{ inline_keyboard: [[{ text: "", callback_data: "y" }]] }, /text buttons are unallowed/],
    [{ inline_keyboard: [[{ text: "x" }]] }, /text buttons are unallowed/],
    [{ inline_keyboard: [[{ text: "x", url: "not a url" }]] }, /URL 'not a url' is invalid/],
    [{ something: true }, /can't parse reply keyboard markup/],
  ])("refuses %j", (markup, message) => {
    expect(() => validateReplyMarkup(markup)).toThrow(message);
  });
});

describe("multipart/form-data", () => {
  it("reads fields and binary files with grammY's unquoted and quoted dispositions", () => {
    const boundary = "----------abc123";
    const binary = Buffer.from([0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0x0d, 0x0a]);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n-100123\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nрядок 1\r\nрядок 2\r\n`),
      Buffer.from(`--${boundary}\r\ncontent-disposition:form-data;name="x7";filename=cases.csv\r\ncontent-type:application/octet-stream\r\n\r\n`),
      binary,
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a \\"b\\".jpg"\r\n\r\nJPEG\r\n--${boundary}--\r\n`),
    ]);
    const parts = parseMultipart(body, `multipart/form-data; boundary=${boundary}`);
    expect(parts.map((p) => [p.name, p.filename, p.data.toString("latin1")])).toEqual([
      ["chat_id", undefined, "-100123"],
      ["caption", undefined, Buffer.from("рядок 1\r\nрядок 2").toString("latin1")],
      ["x7", "cases.csv", binary.toString("latin1")],
      ["photo", 'a "b".jpg', "JPEG"],
    ]);
    expect(parts[2]!.contentType).toBe("application/octet-stream");
  });

  it("refuses a body without its closing boundary", () => {
    expect(() => parseMultipart(Buffer.from('--b\r\ncontent-disposition:form-data;name="a"\r\n\r\nx'), "multipart/form-data; boundary=b")).toThrow(
      /not closed/,
    );
  });
});
