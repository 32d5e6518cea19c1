import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { Readable, type Writable } from "node:stream";
import yazl from "yazl";
import { type ExportPhotoRow, readPhotoData } from "../db/export-queries.js";
import type { Db } from "../db/connect.js";
import { caseColumns, type ItemOfCase, itemColumns, itemsOfCase } from "./columns.js";
import { CsvWriter } from "./csv.js";
import { GeoJsonWriter } from "./geojson.js";
import type { ExportCounts, ExportInfo } from "./info.js";
import { JsonWriter } from "./json.js";
import { createScratchFile, HashedFile, writeChunk, type WrittenFile } from "./output.js";
import { type ExportCase, photoPath } from "./records.js";

/** A stored photo whose bytes no longer match the hash recorded when it arrived: the bundle would not be evidence. */
export class PhotoIntegrityError extends Error {
  readonly code = "PHOTO_INTEGRITY";
  constructor(
    readonly caseRef: string,
    readonly photoId: string,
  ) {
    super(`photo ${photoId} of ${caseRef} does not match its recorded SHA-256`);
  }
}

interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  /** Photos: the SHA-256 of the file as the reporter sent it, before its hidden data was stripped. */
  originalSha256?: string;
  case?: string;
}

/** Photo bytes handed to the archive but not yet written out; past this, reading waits for writing. */
const MAX_PENDING_PHOTO_BYTES = 32 * 1024 * 1024;

const textFiles = ["cases.csv", "items.csv", "cases.geojson", "cases.json"] as const;

/**
 * The evidence bundle: the cases as CSV, GeoJSON and JSON, every stored photo as `photos/<REF>/<n>.<ext>`, a
 * `manifest.json` with each file's size and SHA-256 (and each photo's original hash), and `SHA256SUMS` for
 * `sha256sum -c`. Cases are read once: photos go into the archive as they are read, the text files are written
 * to a work folder at the same time and added after them, then the manifest and the sums, which need every hash.
 */
export class BundleWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly files: Record<(typeof textFiles)[number], HashedFile>;
  private readonly casesCsv: CsvWriter<ExportCase>;
  private readonly itemsCsv: CsvWriter<ItemOfCase>;
  private readonly geojson: GeoJsonWriter;
  private readonly json: JsonWriter;
  /** Photo entries of the manifest, one JSON per line: a bundle may hold more photos than memory should. */
  private readonly photoManifest: Writable;
  private readonly photoManifestPath: string;
  private readonly pending: { bytes: number; consumed: Promise<void> }[] = [];
  private readonly mtime: Date;
  private readonly zipError: Promise<never>;

  /** `counts` is filled in by the caller as cases are read; the manifest states it as it is when the bundle ends. */
  constructor(
    private readonly db: Db,
    out: Writable,
    private readonly workDir: string,
    private readonly info: ExportInfo,
    private readonly counts: ExportCounts,
  ) {
    this.mtime = new Date(info.exportedAt);
    this.zipError = new Promise<never>((_, reject) => this.zip.on("error", reject));
    this.zipError.catch(() => undefined);
    this.zip.outputStream.pipe(out);
    const file = (name: string) => new HashedFile(path.join(workDir, name));
    this.files = {
      "cases.csv": file("cases.csv"),
      "items.csv": file("items.csv"),
      "cases.geojson": file("cases.geojson"),
      "cases.json": file("cases.json"),
    };
    this.casesCsv = new CsvWriter(this.files["cases.csv"], caseColumns);
    this.itemsCsv = new CsvWriter(this.files["items.csv"], itemColumns);
    this.geojson = new GeoJsonWriter(this.files["cases.geojson"]);
    this.json = new JsonWriter(this.files["cases.json"], info);
    this.photoManifestPath = path.join(workDir, "photos.jsonl");
    this.photoManifest = createScratchFile(this.photoManifestPath);
  }

  async writeCases(cases: ExportCase[]): Promise<void> {
    // Photos first: one deleted meanwhile is then listed without a file rather than pointing at nothing.
    for (const c of cases) {
      for (const [index, photo] of c.photos.entries()) {
        if (!photo.data_deleted_at) await this.addPhoto(c.row.ref, photo, index + 1);
      }
    }
    await this.casesCsv.writeRows(cases);
    await this.itemsCsv.writeRows(cases.flatMap((c) => [...itemsOfCase(c)]));
    await this.geojson.writeCases(cases);
    await this.json.writeCases(cases);
  }

  private async addPhoto(ref: string, photo: ExportPhotoRow, n: number): Promise<void> {
    const data = await readPhotoData(this.db, photo.id);
    if (!data) {
      photo.data_deleted_at = new Date();
      return;
    }
    const sha256 = createHash("sha256").update(data).digest("hex");
    if (sha256 !== photo.sha256) throw new PhotoIntegrityError(ref, photo.id);
    while (this.pending.length > 0 && this.pendingBytes() + data.length > MAX_PENDING_PHOTO_BYTES) {
      await Promise.race([this.pending.shift()!.consumed, this.zipError]);
    }
    const stream = Readable.from([data]);
    const consumed = new Promise<void>((resolve) => stream.once("end", resolve));
    this.pending.push({ bytes: data.length, consumed });
    const entryPath = photoPath(ref, n, photo.mime);
    // Photos are already compressed; deflating them again costs time and saves nothing.
    this.zip.addReadStreamLazy(entryPath, { size: data.length, compress: false, mtime: this.mtime }, (cb) => cb(null, stream));
    const entry: ManifestFile = { path: entryPath, size: data.length, sha256, originalSha256: photo.original_sha256, case: ref };
    await writeChunk(this.photoManifest, `${JSON.stringify(entry)}\n`);
  }

  private pendingBytes(): number {
    return this.pending.reduce((sum, p) => sum + p.bytes, 0);
  }

  /** Finishes every file, then the archive; resolves once the last byte was handed to `out`. */
  async end(): Promise<void> {
    await this.casesCsv.end();
    await this.itemsCsv.end();
    await this.geojson.end();
    await this.json.end();
    await new Promise<void>((resolve, reject) =>
      this.photoManifest.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const written: Record<string, WrittenFile> = {};
    for (const name of textFiles) {
      written[name] = await this.files[name].close();
      this.addFile(name, written[name]!);
    }
    const listed = textFiles.map((name) => ({ path: name, size: written[name]!.size, sha256: written[name]!.sha256 }));
    const manifest = await this.writeManifest(listed);
    this.addFile("manifest.json", manifest);
    const sums = await this.writeSums(listed, manifest);
    this.addFile("SHA256SUMS", sums);
    const ended = new Promise<void>((resolve) => this.zip.outputStream.once("end", resolve));
    this.zip.end();
    await Promise.race([ended, this.zipError]);
  }

  private addFile(name: string, file: WrittenFile): void {
    this.zip.addReadStreamLazy(name, { size: file.size, mtime: this.mtime }, (cb) => cb(null, createReadStream(file.path)));
  }

  private async *photoEntries(): AsyncGenerator<ManifestFile> {
    const lines = createInterface({ input: createReadStream(this.photoManifestPath), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield JSON.parse(line) as ManifestFile;
  }

  private async writeManifest(listed: ManifestFile[]): Promise<WrittenFile> {
    const file = new HashedFile(path.join(this.workDir, "manifest.json"));
    const head = {
      format: "svidok-evidence-bundle",
      version: 1,
      ...this.info,
      counts: this.counts,
      hashAlgorithm: "SHA-256",
      verify: "sha256sum -c SHA256SUMS (every file but SHA256SUMS itself is listed there and below)",
    };
    await file.write(`${JSON.stringify(head, null, 2).slice(0, -2)},\n  "files": [`);
    let first = true;
    const entry = async (f: ManifestFile) => {
      await file.write(`${first ? "\n" : ",\n"}    ${JSON.stringify(f)}`);
      first = false;
    };
    for (const f of listed) await entry(f);
    for await (const f of this.photoEntries()) await entry(f);
    await file.write("\n  ]\n}\n");
    return file.close();
  }

  private async writeSums(listed: ManifestFile[], manifest: WrittenFile): Promise<WrittenFile> {
    const file = new HashedFile(path.join(this.workDir, "SHA256SUMS"));
    // Two spaces: the text-mode line sha256sum itself writes and reads.
    const line = (sha256: string, name: string) => file.write(`${sha256}  ${name}\n`);
    for (const f of listed) await line(f.sha256, f.path);
    for await (const f of this.photoEntries()) await line(f.sha256, f.path);
    await line(manifest.sha256, "manifest.json");
    return file.close();
  }

  abort(): void {
    for (const file of Object.values(this.files)) file.abort();
    this.photoManifest.destroy();
    (this.zip.outputStream as Readable).destroy();
  }
}
