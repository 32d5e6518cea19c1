import type { Db } from "../db/connect.js";
import { findCaseByDraftKey, insertCaseIfNew, insertCaseItems, insertReporterEvent } from "../db/cases.js";
import { attachDraftPhotos } from "../db/photos.js";
import type { Locale } from "../db/types.js";
import type { SealedContact } from "../privacy/contact-cipher.js";
import { firstMissingStep, readAnswers, type Step } from "./draft.js";
import { generateCaseRef } from "./reference.js";

export type SubmitResult =
  | { kind: "submitted"; caseId: string; ref: string; photos: number }
  /** The draft was submitted before (a second tap, a redelivered update): nothing new was written. */
  | { kind: "already_submitted"; caseId: string; ref: string }
  | { kind: "incomplete"; step: Step }
  | { kind: "no_draft" };

export interface SubmitOptions {
  draftKey: string;
  locale: Locale;
  /** The reporter's chat, sealed, when they allow follow-up questions. */
  contact?: SealedContact;
  newRef?: () => string;
}

const REF_ATTEMPTS = 8;

/**
 * Turns a draft into a case in one transaction: the case, its items, its photos, the first audit event, and the
 * draft gone. The draft key is unique on cases, so however often this runs for one draft, one case exists.
 */
export async function submitDraft(db: Db, options: SubmitOptions): Promise<SubmitResult> {
  const newRef = options.newRef ?? (() => generateCaseRef());
  return db.transaction().execute(async (trx) => {
    const draft = await trx
      .selectFrom("drafts")
      .selectAll()
      .where("draft_key", "=", options.draftKey)
      .forUpdate()
      .executeTakeFirst();
    if (!draft) {
      const existing = await findCaseByDraftKey(trx, options.draftKey);
      return existing ? { kind: "already_submitted", caseId: existing.id, ref: existing.ref } : { kind: "no_draft" };
    }
    const answers = readAnswers(draft.answers);
    const missing = firstMissingStep(answers);
    if (missing) return { kind: "incomplete", step: missing };

    let inserted: { id: string; ref: string } | undefined;
    for (let attempt = 0; attempt < REF_ATTEMPTS && !inserted; attempt++) {
      inserted = await insertCaseIfNew(trx, {
        ref: newRef(),
        draft_key: draft.draft_key,
        reporter_id: draft.reporter_id,
        role: answers.role!,
        incident_date: answers.datePrecision === "unknown" ? null : (answers.incidentDate ?? null),
        incident_date_precision: answers.datePrecision!,
        latitude: answers.latitude ?? null,
        longitude: answers.longitude ?? null,
        address: answers.address ?? null,
        region: answers.region ?? null,
        perpetrator_units: answers.perpetratorUnits ?? null,
        perpetrator_vehicles: answers.perpetratorVehicles ?? null,
        perpetrator_count: answers.perpetratorCount ?? null,
        perpetrator_words: answers.perpetratorWords ?? null,
        narrative: answers.narrative ?? null,
        contact_allowed: answers.contactAllowed === true,
        consent_version: answers.consentVersion,
        locale: options.locale,
      });
      if (!inserted) {
        const existing = await findCaseByDraftKey(trx, draft.draft_key);
        if (existing) return { kind: "already_submitted", caseId: existing.id, ref: existing.ref };
      }
    }
    if (!inserted) throw new Error(`no free case reference after ${REF_ATTEMPTS} attempts`);

    await insertCaseItems(
      trx,
      answers.items.map((item, index) => ({
        case_id: inserted.id,
        position: index + 1,
        category: item.category,
        description: item.description,
        quantity: item.quantity,
        value_amount: item.valueAmount,
        value_currency: item.valueAmount === null ? null : item.valueCurrency,
        identifier: item.identifier,
        identifier_kind: item.identifier === null ? null : item.identifierKind,
        identifier_valid: item.identifier === null ? null : item.identifierValid,
      })),
    );
    const photos = await attachDraftPhotos(trx, draft.draft_key, inserted.id);
    await insertReporterEvent(trx, { caseId: inserted.id, kind: "submitted", fromStatus: null, toStatus: "new" });
    if (answers.contactAllowed && options.contact) {
      await trx
        .updateTable("reporters")
        .set({ contact_chat_enc: options.contact.sealed, contact_key_id: options.contact.keyId })
        .where("id", "=", draft.reporter_id)
        .execute();
    }
    await trx.deleteFrom("drafts").where("draft_key", "=", draft.draft_key).execute();
    return { kind: "submitted", caseId: inserted.id, ref: inserted.ref, photos };
  });
}
