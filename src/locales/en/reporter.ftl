reporter-status-new = received
reporter-status-in_review = being checked
reporter-status-needs_info = waiting for your answer
reporter-status-verified = verified
reporter-status-rejected = not confirmed
reporter-status-duplicate = already reported
reporter-status-withdrawn = withdrawn
reporter-status-explain-new = The report has arrived and waits for a moderator.
reporter-status-explain-in_review = A moderator is checking the report.
reporter-status-explain-needs_info = A moderator asked you a question in this chat. Your answer helps to confirm the report.
reporter-status-explain-verified = The report was confirmed and will be passed on to investigators.
reporter-status-explain-rejected = The moderators could not confirm the report.
reporter-status-explain-duplicate = The same events were already reported; the reports are kept together.
reporter-status-explain-withdrawn = You withdrew this report.

reporter-case-line = { $ref } — { $status }, sent { $submitted }, items: { $items }
reporter-mycases-none = You have not sent any reports yet. Send /new to start one.
reporter-mycases-title = { $count ->
    [one] Your report:
   *[other] Your reports ({ $count }):
}
reporter-mycases-more = Showing the { $shown } most recent of { $total }.
reporter-mycases-hint = Details: /status REFERENCE. Withdraw: /withdraw REFERENCE.
reporter-status-usage = Send the reference after the command, for example: /status SV-7K3F-9QXM. /mycases lists your reports.
reporter-not-found = No report { $ref } was found among your reports. Check the reference, or see /mycases.
reporter-status-details =
    Report { $ref }: { $status }
    { $explanation }

    Sent: { $submitted }
    What happened: { $role }
    Region: { $region }
    Date: { $date }
    Items: { $items }, photos: { $photos }

reporter-withdraw-usage = Send the reference after the command, for example: /withdraw SV-7K3F-9QXM. /mycases lists your reports.
reporter-withdraw-confirm = Withdraw report { $ref }? Moderators will stop working on it and it will not be passed to investigators.
reporter-withdraw-yes = Yes, withdraw it
reporter-withdraw-no = No, keep it
reporter-withdraw-kept = The report was not withdrawn.
reporter-withdraw-done = Report { $ref } is withdrawn. Its photos will be deleted after a retention period.
reporter-withdraw-not-allowed = Report { $ref } cannot be withdrawn: it is { $status }. To remove what links it to you, use /deletemydata.

reporter-wipe-done = I have deleted the messages of this chat from the last 48 hours that I was allowed to delete — yours and mine.
reporter-wipe-older = Telegram does not let me delete messages older than 48 hours, so older messages may still be in this chat.
reporter-wipe-how = To remove this chat completely from your phone: press and hold the chat in the list (on iPhone: swipe it left), tap "Delete", and choose to delete it for both sides if offered. Your reports stay safe with us; you can check them later with /mycases.
