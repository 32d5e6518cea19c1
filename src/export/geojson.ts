import { type ChunkSink, TextBatch } from "./output.js";
import { categoriesOf, type ExportCase, incidentDate, regionIso } from "./records.js";

/**
 * A GeoJSON FeatureCollection (RFC 7946) of the cases that have a point: `[longitude, latitude]` in WGS 84, the
 * order GIS tools expect. Cases known only by an address or a region have no point and are left out of the map.
 */
export class GeoJsonWriter {
  private started = false;
  private features = 0;

  constructor(private readonly out: ChunkSink) {}

  get count(): number {
    return this.features;
  }

  async writeCases(cases: Iterable<ExportCase>): Promise<void> {
    const batch = new TextBatch();
    if (!this.started) batch.add('{"type":"FeatureCollection","features":[');
    this.started = true;
    for (const c of cases) {
      const { row } = c;
      if (row.latitude === null || row.longitude === null) continue;
      const feature = {
        type: "Feature",
        id: row.ref,
        geometry: { type: "Point", coordinates: [row.longitude, row.latitude] },
        properties: {
          reference: row.ref,
          status: row.status,
          role: row.role,
          region: row.region,
          regionIso: regionIso(row.region),
          date: incidentDate(row),
          datePrecision: row.incident_date_precision,
          itemCount: c.items.length,
          categories: categoriesOf(c.items),
          submittedAt: row.submitted_at.toISOString(),
        },
      };
      batch.add(`${this.features === 0 ? "\n" : ",\n"}${JSON.stringify(feature)}`);
      this.features++;
    }
    const bytes = batch.take();
    if (bytes.length > 0) await this.out.write(bytes);
  }

  async end(): Promise<void> {
    await this.writeCases([]);
    await this.out.write("\n]}\n");
  }
}
