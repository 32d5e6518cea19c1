import type { ExportEventRow, ExportPhotoRow } from "../db/export-queries.js";
import type { ExportInfo } from "./info.js";
import { type ChunkSink, TextBatch } from "./output.js";
import { type ExportCase, incidentDate, photoPath, regionIso } from "./records.js";

function photoRecord(ref: string, photo: ExportPhotoRow, n: number) {
  return {
    n,
    file: photo.data_deleted_at ? null : photoPath(ref, n, photo.mime),
    source: photo.source,
    mime: photo.mime,
    width: photo.width,
    height: photo.height,
    sizeBytes: photo.size_bytes,
    sha256: photo.sha256,
    originalSha256: photo.original_sha256,
    perceptualHash: photo.perceptual_hash,
    receivedAt: photo.created_at.toISOString(),
    // Read from the original file before it was stripped; the stored picture carries none of it.
    evidence: {
      takenAt: photo.taken_at?.toISOString() ?? null,
      latitude: photo.evidence_latitude,
      longitude: photo.evidence_longitude,
    },
    deletedAt: photo.data_deleted_at?.toISOString() ?? null,
  };
}

function historyRecord(event: ExportEventRow) {
  return {
    at: event.created_at.toISOString(),
    kind: event.kind,
    actor: { kind: event.actor_kind, id: event.actor_id, name: event.actor_name },
    fromStatus: event.from_status,
    toStatus: event.to_status,
    text: event.text,
    data: event.data,
  };
}

/** Everything known about a case, as one JSON object. */
export function caseRecord(c: ExportCase) {
  const { row } = c;
  return {
    reference: row.ref,
    status: row.status,
    role: row.role,
    submittedAt: row.submitted_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    incident: { date: incidentDate(row), precision: row.incident_date_precision },
    place: {
      region: row.region,
      regionIso: regionIso(row.region),
      address: row.address,
      latitude: row.latitude,
      longitude: row.longitude,
    },
    perpetrators: {
      units: row.perpetrator_units,
      vehicles: row.perpetrator_vehicles,
      count: row.perpetrator_count,
      words: row.perpetrator_words,
    },
    narrative: row.narrative,
    contactAllowed: row.contact_allowed,
    language: row.locale,
    consentVersion: row.consent_version,
    duplicateOf: row.duplicate_of_ref,
    items: c.items.map((item) => ({
      position: item.position,
      category: item.category,
      description: item.description,
      quantity: item.quantity,
      // Exact decimal text: a float would turn 0.10 into 0.1000000000000000055...
      value: item.value_amount === null ? null : { amount: item.value_amount, currency: item.value_currency },
      identifier: item.identifier === null ? null : { value: item.identifier, kind: item.identifier_kind, valid: item.identifier_valid },
    })),
    photos: c.photos.map((photo, index) => photoRecord(row.ref, photo, index + 1)),
    history: c.events.map(historyRecord),
  };
}

/**
 * One JSON document: what the export is (when, by whom, which filters), then the cases one by one as they are
 * read, then their count. It is written as it goes, so its size never matters to memory.
 */
export class JsonWriter {
  private started = false;
  private cases = 0;

  constructor(
    private readonly out: ChunkSink,
    private readonly info: ExportInfo,
  ) {}

  async writeCases(cases: Iterable<ExportCase>): Promise<void> {
    const batch = new TextBatch();
    if (!this.started) {
      const head = JSON.stringify({ format: "svidok-cases", version: 1, ...this.info });
      batch.add(`${head.slice(0, -1)},"cases":[`);
      this.started = true;
    }
    for (const c of cases) {
      batch.add(`${this.cases === 0 ? "\n" : ",\n"}${JSON.stringify(caseRecord(c))}`);
      this.cases++;
    }
    const bytes = batch.take();
    if (bytes.length > 0) await this.out.write(bytes);
  }

  async end(): Promise<void> {
    await this.writeCases([]);
    await this.out.write(`\n],"count":${this.cases}}\n`);
  }
}
