# Moderation: what staff see in the moderators' group and in private chats, and what reporters are told.

moderation-status-new = New
moderation-status-in_review = In review
moderation-status-needs_info = Waiting for the reporter
moderation-status-verified = Verified
moderation-status-rejected = Rejected
moderation-status-duplicate = Duplicate
moderation-status-withdrawn = Withdrawn by the reporter

moderation-role-victim = my home was looted (victim)
moderation-role-witness = witnessed looting
moderation-role-trafficking = looted goods shipped or sold

moderation-category-electronics = Electronics
moderation-category-appliances = Appliances
moderation-category-vehicle = Vehicle
moderation-category-jewellery = Jewellery
moderation-category-cash = Cash
moderation-category-documents = Documents
moderation-category-clothing = Clothing
moderation-category-furniture = Furniture
moderation-category-tools = Tools
moderation-category-food_alcohol = Food and alcohol
moderation-category-other = Other

moderation-identifier-serial = S/N
moderation-identifier-imei = IMEI
moderation-identifier-vin = VIN
moderation-identifier-check-failed = (check digit failed, confirmed by the reporter)

moderation-card-title = { $emoji } { $ref } — { $status }
moderation-card-held = Held by { $name } since { $since }
moderation-card-not-held = Not taken yet
moderation-card-duplicate-of = Duplicate of { $ref }
moderation-card-last-action = Last: { $action } — { $name }, { $when }
moderation-card-role = Report: { $role }
moderation-card-place = Place: { $place }
moderation-card-coordinates = Pin: { $lat }, { $lon }
moderation-card-date = When: { $date }
moderation-card-submitted = Submitted: { $when }
moderation-card-items = Items ({ $count }):
moderation-card-perpetrators = Who did it:
moderation-card-units = Units or insignia: { $text }
moderation-card-vehicles = Vehicles: { $text }
moderation-card-count = Number of people: { $count }
moderation-card-words = What they said: { $text }
moderation-card-narrative = Account:
moderation-card-photos = Photos: { $count }{ $answers ->
    [0] {""}
   *[other] {" "}(of them { $answers } sent as answers)
}
moderation-card-contact-yes = Contact allowed: yes
moderation-card-contact-no = Contact allowed: no
moderation-card-truncated = (shortened: /case { $ref } shows everything)
moderation-date-unknown = unknown
moderation-flag-identifier = ⚠️ { $identifier } is also reported in { $ref }
moderation-flag-photo = ⚠️ A photo of this case also appears in { $ref }
moderation-album-caption = { $ref }: photos { $from }–{ $to } of { $total }

moderation-button-take = 🙋 Take
moderation-button-verify = ✅ Verify
moderation-button-reject = ⛔ Reject
moderation-button-needinfo = ❓ Needs info
moderation-button-duplicate = 🔁 Duplicate
moderation-button-note = 📝 Note
moderation-button-details = 📂 Details and history
moderation-button-dismiss = Cancel

moderation-actor-reporter = reporter
moderation-actor-system = system
moderation-history-title = History:
moderation-history-from = from { $name }

moderation-event-submitted = submitted
moderation-event-withdrawn = withdrawn by the reporter
moderation-event-taken = taken
moderation-event-taken_over = taken over
moderation-event-verified = verified
moderation-event-rejected = rejected
moderation-event-marked_duplicate = marked duplicate
moderation-event-info_requested = question to the reporter
moderation-event-info_received = answer from the reporter
moderation-event-info_undelivered = question could not be delivered
moderation-event-note = note
moderation-event-viewed = opened

moderation-action-take = take
moderation-action-verify = verify
moderation-action-reject = reject
moderation-action-mark_duplicate = mark as duplicate
moderation-action-request_info = ask the reporter
moderation-action-receive_info = receive an answer
moderation-action-info_undelivered = return to review
moderation-action-withdraw = withdraw

moderation-error-CaseNotFound = No case { $ref }.
moderation-error-TransitionNotAllowed = Cannot { $action } { $ref }: it is { $status }.{ $from ->
    [new] {" "}Take it first (🙋 Take): a decision needs someone who reviewed the case.
   *[other] {""}
}
moderation-error-HeldByAnother = { $ref } is held by another moderator.
moderation-error-ContactNotAllowed = The reporter of { $ref } did not allow follow-up questions, or has erased their contact.
moderation-error-InvalidDuplicateTarget = { $ref } cannot be the original: give the reference of another case that is not withdrawn.
moderation-error-TextRequired = This needs a text.
moderation-error-TextTooLong = Too long: at most { $limit } characters.

moderation-held-confirm = { $ref } is held by { $name } since { $since }. Take it over? The takeover is written to the case's log.
moderation-takeover-take = Take it over
moderation-takeover-verify = Take over and verify
moderation-takeover-reject = Take over and reject
moderation-takeover-request_info = Take over and ask the reporter
moderation-takeover-mark_duplicate = Take over and mark duplicate

moderation-prompt-reject = why is { $ref } rejected? Reply to this message; the reporter sees the reason if they allowed contact.
moderation-prompt-request_info = what should the reporter of { $ref } be asked? Reply to this message; they will not see who asked.
moderation-prompt-mark_duplicate = { $ref } duplicates which case? Reply with its reference (SV-XXXX-XXXX).
moderation-prompt-note = your note on { $ref }? Reply to this message.
moderation-prompt-invalid = Please reply with text of at most { $limit } characters.
moderation-placeholder-reject = Reason
moderation-placeholder-request_info = Question
moderation-placeholder-mark_duplicate = SV-XXXX-XXXX
moderation-placeholder-note = Note

moderation-done-take = { $ref } is yours now ({ $status }).
moderation-done-already-yours = You already hold { $ref }.
moderation-done-verify = { $ref } verified.
moderation-done-reject = { $ref } rejected.
moderation-done-mark_duplicate = { $ref } marked as duplicate.
moderation-done-note = Note added to { $ref }.
moderation-done-request_info = Question sent to the reporter of { $ref }. Their answer will appear here.
moderation-done-question-undelivered = The question could not reach the reporter of { $ref } (they may have blocked the bot). The case is back in review.
moderation-done-reporter-told = The reporter was told.
moderation-done-reporter-not-told = The reporter was not told (no contact allowed, or the message could not be delivered).

moderation-usage-case = Usage: /case SV-XXXX-XXXX
moderation-usage-take = Usage: /take SV-XXXX-XXXX
moderation-usage-verify = Usage: /verify SV-XXXX-XXXX
moderation-usage-reject = Usage: /reject SV-XXXX-XXXX reason
moderation-usage-duplicate = Usage: /duplicate SV-XXXX-XXXX SV-YYYY-YYYY (the second is the original)
moderation-usage-needinfo = Usage: /needinfo SV-XXXX-XXXX question for the reporter
moderation-usage-note = Usage: /note SV-XXXX-XXXX text
moderation-usage-queue = Usage: /queue [status], where status is one of: { $statuses }
moderation-usage-find = Usage: /find text (at least { $min } characters): a reference, an address, words of a description or account, an IMEI, VIN or serial number.

moderation-queue-open = Open
moderation-queue-title = Queue: { $filter }, { $from }–{ $to } of { $total }, oldest first:
moderation-queue-empty = Queue: { $filter }. Nothing here.
moderation-queue-held = held by { $name }

moderation-find-title = Found { $count ->
    [one] one case
   *[other] { $count } cases
}, newest first:
moderation-find-none = Nothing found.

moderation-stats-title = Cases: { $total }
moderation-stats-by-status = By status:
moderation-stats-by-region = By region:
moderation-stats-no-region = no region
moderation-stats-by-week = By week of submission (last 12 weeks, week starting):
moderation-stats-by-category = By item category:
moderation-stats-category-line = { $cases } cases, { $items } items
moderation-stats-median = Median time from submission to the first moderator action: { $duration }
moderation-stats-median-none = No moderator action yet.
moderation-stats-waiting = Cases waiting for a first action: { $count }
moderation-duration-minutes = { $minutes } min
moderation-duration-hours = { $hours } h { $minutes } min
moderation-duration-days = { $days } d { $hours } h

moderation-reporter-verified = Your report { $ref } has been checked and verified. Thank you: it will be passed on to investigators and damage registers.
moderation-reporter-rejected = Your report { $ref } could not be accepted. Reason: { $reason }
    If you think this is a mistake, you can send a new report with /new.
moderation-reporter-duplicate = Your report { $ref } describes the same events as a report we already have; the two have been joined. Thank you.
moderation-reporter-question = A moderator has a question about your report { $ref }:

    { $question }

    Reply to this message with text or photos. Nobody else sees your answer.
moderation-answer-thanks = Thank you. Your answer was added to report { $ref }.
moderation-answer-photo-rejected = This picture could not be added: { $reason }. You can send another one.
moderation-photo-problem-not_an_image = it is not a picture
moderation-photo-problem-unsupported_format = this picture format is not supported
moderation-photo-problem-too_large = the file is too large
moderation-photo-problem-too_many_pixels = the picture is too large
moderation-photo-problem-corrupt = the picture is damaged
moderation-photo-problem-unavailable = it could not be downloaded, please send it again
moderation-answer-text = 💬 { $ref }: answer from the reporter:
    { $text }
moderation-answer-photo = 💬 { $ref }: photo from the reporter's answer
moderation-answer-added = Also added to report { $ref }.
moderation-error-case-gone = This case does not exist.
moderation-help =
    Staff commands (here and in the moderators' group):
    /queue [status] — cases waiting, oldest first
    /case SV-XXXX-XXXX — the full case with photos and history
    /take SV-XXXX-XXXX — take a case
    /verify SV-XXXX-XXXX
    /reject SV-XXXX-XXXX reason
    /duplicate SV-XXXX-XXXX SV-YYYY-YYYY — the second is the original
    /needinfo SV-XXXX-XXXX question — asked through the bot; the reporter does not see who asks
    /note SV-XXXX-XXXX text
    /find text — references, addresses, descriptions, accounts, IMEI, VIN, serial numbers
    /stats
    The buttons under each card do the same. Opening a case is written to its history.
