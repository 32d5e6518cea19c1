# Модерація: що бачить команда в групі модераторів і в особистих чатах, і що повідомляють заявникам.

moderation-status-new = Нова
moderation-status-in_review = На розгляді
moderation-status-needs_info = Чекає відповіді заявника
moderation-status-verified = Підтверджена
moderation-status-rejected = Відхилена
moderation-status-duplicate = Дублікат
moderation-status-withdrawn = Відкликана заявником

moderation-role-victim = пограбували моє житло (потерпілий)
moderation-role-witness = бачив(ла) мародерство
moderation-role-trafficking = награбоване відправляли або продавали

moderation-category-electronics = Електроніка
moderation-category-appliances = Побутова техніка
moderation-category-vehicle = Транспорт
moderation-category-jewellery = Прикраси
moderation-category-cash = Готівка
moderation-category-documents = Документи
moderation-category-clothing = Одяг
moderation-category-furniture = Меблі
moderation-category-tools = Інструменти
moderation-category-food_alcohol = Їжа та алкоголь
moderation-category-other = Інше

moderation-identifier-serial = S/N
moderation-identifier-imei = IMEI
moderation-identifier-vin = VIN
moderation-identifier-check-failed = (контрольна цифра не збігається, заявник підтвердив)

moderation-card-title = { $emoji } { $ref } — { $status }
moderation-card-held = Веде { $name } з { $since }
moderation-card-not-held = Ще ніхто не взяв
moderation-card-duplicate-of = Дублює заяву { $ref }
moderation-card-last-action = Останнє: { $action } — { $name }, { $when }
moderation-card-role = Заява: { $role }
moderation-card-place = Місце: { $place }
moderation-card-coordinates = Мітка: { $lat }, { $lon }
moderation-card-date = Коли: { $date }
moderation-card-submitted = Надіслано: { $when }
moderation-card-items = Майно ({ $count }):
moderation-card-perpetrators = Хто це зробив:
moderation-card-units = Підрозділи чи розпізнавальні знаки: { $text }
moderation-card-vehicles = Техніка: { $text }
moderation-card-count = Скільки людей: { $count }
moderation-card-words = Що казали: { $text }
moderation-card-narrative = Розповідь:
moderation-card-photos = Фото: { $count }{ $answers ->
    [0] {""}
   *[other] {" "}(з них { $answers } надіслано у відповідях)
}
moderation-card-contact-yes = Зв'язок дозволено: так
moderation-card-contact-no = Зв'язок дозволено: ні
moderation-card-truncated = (скорочено: усе показує /case { $ref })
moderation-date-unknown = невідомо
moderation-flag-identifier = ⚠️ { $identifier } також є в заяві { $ref }
moderation-flag-photo = ⚠️ Фото цієї заяви також є в заяві { $ref }
moderation-album-caption = { $ref }: фото { $from }–{ $to } з { $total }

moderation-button-take = 🙋 Взяти
moderation-button-verify = ✅ Підтвердити
moderation-button-reject = ⛔ Відхилити
moderation-button-needinfo = ❓ Уточнити
moderation-button-duplicate = 🔁 Дублікат
moderation-button-note = 📝 Нотатка
moderation-button-details = 📂 Подробиці та історія
moderation-button-dismiss = Скасувати

moderation-actor-reporter = заявник
moderation-actor-system = система
moderation-history-title = Історія:
moderation-history-from = у { $name }

moderation-event-submitted = надіслано
moderation-event-withdrawn = відкликано заявником
moderation-event-taken = взято
moderation-event-taken_over = перебрано
moderation-event-verified = підтверджено
moderation-event-rejected = відхилено
moderation-event-marked_duplicate = позначено як дублікат
moderation-event-info_requested = питання заявникові
moderation-event-info_received = відповідь заявника
moderation-event-info_undelivered = питання не доставлено
moderation-event-note = нотатка
moderation-event-viewed = відкрито

moderation-action-take = взяти
moderation-action-verify = підтвердити
moderation-action-reject = відхилити
moderation-action-mark_duplicate = позначити як дублікат
moderation-action-request_info = поставити питання заявникові
moderation-action-receive_info = прийняти відповідь
moderation-action-info_undelivered = повернути на розгляд
moderation-action-withdraw = відкликати

moderation-error-CaseNotFound = Заяви { $ref } немає.
moderation-error-TransitionNotAllowed = Не можна { $action } { $ref }: статус — { $status }.{ $from ->
    [new] {" "}Спершу візьміть її (🙋 Взяти): рішення ухвалює той, хто розглянув заяву.
   *[other] {""}
}
moderation-error-HeldByAnother = { $ref } веде інший модератор.
moderation-error-ContactNotAllowed = Заявник { $ref } не дозволив додаткових питань або стер свої контакти.
moderation-error-InvalidDuplicateTarget = { $ref } не може бути оригіналом: вкажіть номер іншої заяви, яку не відкликано.
moderation-error-TextRequired = Тут потрібен текст.
moderation-error-TextTooLong = Задовго: щонайбільше { $limit } символів.

moderation-held-confirm = { $ref } веде { $name } з { $since }. Перебрати заяву? Це буде записано в історію.
moderation-takeover-take = Перебрати
moderation-takeover-verify = Перебрати й підтвердити
moderation-takeover-reject = Перебрати й відхилити
moderation-takeover-request_info = Перебрати й запитати заявника
moderation-takeover-mark_duplicate = Перебрати й позначити дублікатом

moderation-prompt-reject = чому { $ref } відхилено? Дайте відповідь на це повідомлення; заявник побачить причину, якщо дозволив зв'язок.
moderation-prompt-request_info = про що запитати заявника { $ref }? Дайте відповідь на це повідомлення; заявник не дізнається, хто питав.
moderation-prompt-mark_duplicate = { $ref } дублює яку заяву? Надішліть її номер (SV-XXXX-XXXX) у відповідь.
moderation-prompt-note = ваша нотатка до { $ref }? Дайте відповідь на це повідомлення.
moderation-prompt-invalid = Будь ласка, дайте відповідь текстом до { $limit } символів.
moderation-placeholder-reject = Причина
moderation-placeholder-request_info = Питання
moderation-placeholder-mark_duplicate = SV-XXXX-XXXX
moderation-placeholder-note = Нотатка

moderation-done-take = { $ref } тепер ваша ({ $status }).
moderation-done-already-yours = { $ref } і так ваша.
moderation-done-verify = { $ref } підтверджено.
moderation-done-reject = { $ref } відхилено.
moderation-done-mark_duplicate = { $ref } позначено як дублікат.
moderation-done-note = Нотатку до { $ref } додано.
moderation-done-request_info = Питання надіслано заявникові { $ref }. Відповідь з'явиться тут.
moderation-done-question-undelivered = Питання не дійшло до заявника { $ref } (можливо, він заблокував бота). Заява знову на розгляді.
moderation-done-reporter-told = Заявника повідомлено.
moderation-done-reporter-not-told = Заявника не повідомлено (зв'язок не дозволено або повідомлення не доставлено).

moderation-usage-case = Як: /case SV-XXXX-XXXX
moderation-usage-take = Як: /take SV-XXXX-XXXX
moderation-usage-verify = Як: /verify SV-XXXX-XXXX
moderation-usage-reject = Як: /reject SV-XXXX-XXXX причина
moderation-usage-duplicate = Як: /duplicate SV-XXXX-XXXX SV-YYYY-YYYY (друга — оригінал)
moderation-usage-needinfo = Як: /needinfo SV-XXXX-XXXX питання до заявника
moderation-usage-note = Як: /note SV-XXXX-XXXX текст
moderation-usage-queue = Як: /queue [статус], де статус — один із: { $statuses }
moderation-usage-find = Як: /find текст (щонайменше { $min } символи): номер заяви, адреса, слова з опису чи розповіді, IMEI, VIN або серійний номер.

moderation-queue-open = Відкриті
moderation-queue-title = Черга: { $filter }, { $from }–{ $to } з { $total }, спершу найстаріші:
moderation-queue-empty = Черга: { $filter }. Порожньо.
moderation-queue-held = веде { $name }

moderation-find-title = Знайдено заяв: { $count }, спершу найновіші:
moderation-find-none = Нічого не знайдено.

moderation-stats-title = Заяв: { $total }
moderation-stats-by-status = За статусом:
moderation-stats-by-region = За областю:
moderation-stats-no-region = без області
moderation-stats-by-week = За тижнем надсилання (останні 12 тижнів, початок тижня):
moderation-stats-by-category = За категорією майна:
moderation-stats-category-line = заяв: { $cases }, предметів: { $items }
moderation-stats-median = Медіанний час від надсилання до першої дії модератора: { $duration }
moderation-stats-median-none = Модератори ще нічого не робили.
moderation-stats-waiting = Заяв, що чекають першої дії: { $count }
moderation-duration-minutes = { $minutes } хв
moderation-duration-hours = { $hours } год { $minutes } хв
moderation-duration-days = { $days } д { $hours } год

moderation-reporter-verified = Вашу заяву { $ref } перевірено й підтверджено. Дякуємо: її передадуть слідчим і до реєстрів збитків.
moderation-reporter-rejected = Вашу заяву { $ref } не вдалося прийняти. Причина: { $reason }
    Якщо вважаєте це помилкою, можете надіслати нову заяву командою /new.
moderation-reporter-duplicate = Ваша заява { $ref } описує ті самі події, що й заява, яка в нас уже є; їх об'єднано. Дякуємо.
moderation-reporter-question = Модератор має питання щодо вашої заяви { $ref }:

    { $question }

    Дайте відповідь на це повідомлення текстом або фото. Вашу відповідь ніхто інший не побачить.
moderation-answer-thanks = Дякуємо. Вашу відповідь додано до заяви { $ref }.
moderation-answer-photo-rejected = Це зображення не вдалося додати: { $reason }. Можете надіслати інше.
moderation-photo-problem-not_an_image = це не зображення
moderation-photo-problem-unsupported_format = цей формат зображення не підтримується
moderation-photo-problem-too_large = файл завеликий
moderation-photo-problem-too_many_pixels = зображення завелике
moderation-photo-problem-corrupt = зображення пошкоджене
moderation-photo-problem-unavailable = його не вдалося завантажити, надішліть ще раз
moderation-answer-text = 💬 { $ref }: відповідь заявника:
    { $text }
moderation-answer-photo = 💬 { $ref }: фото з відповіді заявника
moderation-answer-added = Також додано до заяви { $ref }.
moderation-error-case-gone = Такої заяви немає.
moderation-help =
    Команди для команди модераторів (тут і в групі модераторів):
    /queue [статус] — заяви, що чекають, спершу найстаріші
    /case SV-XXXX-XXXX — уся заява з фото та історією
    /take SV-XXXX-XXXX — взяти заяву
    /verify SV-XXXX-XXXX — підтвердити
    /reject SV-XXXX-XXXX причина — відхилити
    /duplicate SV-XXXX-XXXX SV-YYYY-YYYY — друга є оригіналом
    /needinfo SV-XXXX-XXXX питання — надсилається через бота; заявник не бачить, хто питає
    /note SV-XXXX-XXXX текст — нотатка
    /find текст — номери заяв, адреси, описи, розповіді, IMEI, VIN, серійні номери
    /stats — статистика
    Кнопки під кожною карткою роблять те саме. Кожне відкриття заяви записується в її історію.
