erasure-confirm-intro = This erases everything that links you to your reports:
erasure-confirm-withdraw = { $count ->
    [one] • your report that is not verified yet will be withdrawn and its photos deleted;
   *[other] • your { $count } reports that are not verified yet will be withdrawn and their photos deleted;
}
erasure-confirm-keep = { $count ->
    [one] • your verified report stays with investigators, with nothing linking it to you;
   *[other] • your { $count } verified reports stay with investigators, with nothing linking them to you;
}
erasure-confirm-draft = • the report you are filling in is deleted with its photos;
erasure-confirm-final =
    • your contact is deleted: moderators can no longer write to you.

    Afterwards /mycases shows nothing, and you cannot withdraw or check these reports any more. This cannot be undone. Erase?
erasure-yes = Yes, erase
erasure-no = No, keep everything
erasure-kept = Nothing was erased.
erasure-done-intro = Done. Nothing in our database links you to a report any more.
erasure-done-withdrawn = { $count ->
    [one] One report was withdrawn and its photos deleted.
   *[other] { $count } reports were withdrawn and their photos deleted.
}
erasure-done-kept = { $count ->
    [one] One report stays with investigators, linked to no one.
   *[other] { $count } reports stay with investigators, linked to no one.
}
erasure-done-outro = This conversation is still on your phone: /wipe deletes it. If you write here again, the bot will not know you.
erasure-nothing = There is nothing here that links you to a report: no report, no draft and no contact. The settings of this chat have been deleted too.

# The audit history on the moderators' case cards names these events.
moderation-event-reporter_unlinked = reporter erased their link to the case
moderation-event-photos_deleted = photo files deleted (hashes kept)
