# Export: what admins see when they export cases for investigators.

export-usage =
    /export FORMAT [filters]
    Formats: { $formats }. zip is the evidence bundle: the cases as CSV, GeoJSON and JSON, their photos, and a manifest with every file's SHA-256.
    Filters (optional, several separated by spaces):
    status=verified — the default; several with commas, or all
    region=kyivska — region codes or ISO codes (UA-32), with commas
    role=victim, witness or trafficking
    from=YYYY-MM-DD and to=YYYY-MM-DD — submission dates, inclusive, Kyiv time
    Example: /export zip status=verified from=2026-01-01
    Withdrawn cases are never exported.
export-unknown-format = “{ $format }” is not an export format.
export-problem-unknown_filter = Unknown filter “{ $name }”: use status=, region=, role=, from= or to=.
export-problem-withdrawn = Withdrawn cases are never exported: the reporter took them back.
export-problem-bad_value = { $name } cannot be “{ $value }”. Possible: { $allowed }.
export-problem-bad_date = { $name } needs a date as YYYY-MM-DD, not “{ $value }”.
export-problem-empty_range = The start date { $from } is after the end date { $to }.
export-busy = Another export is being prepared. Send the command again when it is done.
export-started = Preparing the { $format } export…
export-progress = Exporting: { $done } of { $total } cases…
export-done = Export ready: { $count ->
    [one] { $count } case.
   *[other] { $count } cases.
}
export-file-caption = { $count ->
    [one] { $count } case
   *[other] { $count } cases
}. SHA-256: { $sha256 }
export-too-large =
    The export is { $size } MB, more than the { $limit } MB Telegram lets a bot send. Nothing was sent. Run it on the server instead:
    { $command }
export-failed = The export failed and nothing was sent. The reason is in the bot's log.
