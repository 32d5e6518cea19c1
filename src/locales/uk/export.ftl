# Експорт: що бачать адміністратори, коли експортують справи для слідчих.

export-usage =
    /export ФОРМАТ [фільтри]
    Формати: { $formats }. zip — пакет доказів: справи у CSV, GeoJSON і JSON, їхні фото та маніфест із SHA-256 кожного файлу.
    Фільтри (необов'язкові, через пробіл):
    status=verified — типово; кілька через кому, або all
    region=kyivska — коди областей або ISO-коди (UA-32), через кому
    role=victim, witness або trafficking
    from=РРРР-ММ-ДД і to=РРРР-ММ-ДД — дати подання включно, за київським часом
    Приклад: /export zip status=verified from=2026-01-01
    Відкликані справи не експортуються ніколи.
export-unknown-format = «{ $format }» — не формат експорту.
export-problem-unknown_filter = Невідомий фільтр «{ $name }»: використовуйте status=, region=, role=, from= або to=.
export-problem-withdrawn = Відкликані справи не експортуються ніколи: заявник забрав їх.
export-problem-bad_value = { $name } не може бути «{ $value }». Можливо: { $allowed }.
export-problem-bad_date = { $name } — це дата у форматі РРРР-ММ-ДД, а не «{ $value }».
export-problem-empty_range = Початкова дата { $from } пізніша за кінцеву { $to }.
export-busy = Уже готується інший експорт. Надішліть команду ще раз, коли він завершиться.
export-started = Готую експорт у форматі { $format }…
export-progress = Експорт: { $done } з { $total } справ…
export-done = Експорт готовий: { $count ->
    [one] { $count } справа.
    [few] { $count } справи.
   *[other] { $count } справ.
}
export-file-caption = { $count ->
    [one] { $count } справа
    [few] { $count } справи
   *[other] { $count } справ
}. SHA-256: { $sha256 }
export-too-large =
    Експорт займає { $size } МБ — більше за { $limit } МБ, які Telegram дозволяє надіслати боту. Нічого не надіслано. Запустіть його на сервері:
    { $command }
export-failed = Експорт не вдався, нічого не надіслано. Причина — у журналі бота.
