reporter-status-new = отримано
reporter-status-in_review = перевіряється
reporter-status-needs_info = чекає вашої відповіді
reporter-status-verified = підтверджено
reporter-status-rejected = не підтверджено
reporter-status-duplicate = уже повідомлено раніше
reporter-status-withdrawn = відкликано
reporter-status-explain-new = Звіт надійшов і чекає на модератора.
reporter-status-explain-in_review = Модератор перевіряє звіт.
reporter-status-explain-needs_info = Модератор поставив вам запитання в цьому чаті. Ваша відповідь допоможе підтвердити звіт.
reporter-status-explain-verified = Звіт підтверджено, його буде передано слідчим.
reporter-status-explain-rejected = Модераторам не вдалося підтвердити звіт.
reporter-status-explain-duplicate = Про ці самі події вже повідомляли; звіти зберігаються разом.
reporter-status-explain-withdrawn = Ви відкликали цей звіт.

reporter-case-line = { $ref } — { $status }, надіслано { $submitted }, речей: { $items }
reporter-mycases-none = Ви ще не надсилали звітів. Надішліть /new, щоб почати.
reporter-mycases-title = Ваші звіти ({ $count }):
reporter-mycases-more = Показано { $shown } останніх із { $total }.
reporter-mycases-hint = Подробиці: /status НОМЕР. Відкликати: /withdraw НОМЕР.
reporter-status-usage = Напишіть номер після команди, наприклад: /status SV-7K3F-9QXM. /mycases показує ваші звіти.
reporter-not-found = Серед ваших звітів немає звіту { $ref }. Перевірте номер або перегляньте /mycases.
reporter-status-details =
    Звіт { $ref }: { $status }
    { $explanation }

    Надіслано: { $submitted }
    Що сталося: { $role }
    Область: { $region }
    Дата: { $date }
    Речей: { $items }, фото: { $photos }

reporter-withdraw-usage = Напишіть номер після команди, наприклад: /withdraw SV-7K3F-9QXM. /mycases показує ваші звіти.
reporter-withdraw-confirm = Відкликати звіт { $ref }? Модератори припинять роботу з ним, і його не буде передано слідчим.
reporter-withdraw-yes = Так, відкликати
reporter-withdraw-no = Ні, залишити
reporter-withdraw-kept = Звіт не відкликано.
reporter-withdraw-done = Звіт { $ref } відкликано. Його фото буде видалено після строку зберігання.
reporter-withdraw-not-allowed = Звіт { $ref } не можна відкликати: його статус — «{ $status }». Щоб прибрати те, що пов'язує його з вами, скористайтеся /deletemydata.

reporter-wipe-done = Я видалив повідомлення цього чату за останні 48 годин, які мені дозволено видалити, — і ваші, і мої.
reporter-wipe-older = Telegram не дозволяє мені видаляти повідомлення, старші за 48 годин, тож старіші повідомлення можуть залишитися в чаті.
reporter-wipe-how = Щоб повністю прибрати цей чат із телефона: натисніть і утримуйте чат у списку (на iPhone — проведіть ліворуч), виберіть «Видалити» і, якщо буде запропоновано, видаліть для обох сторін. Ваші звіти залишаться в безпеці; перевірити їх можна пізніше командою /mycases.
