intake-button-back = ⬅️ Назад
intake-button-skip = Пропустити
intake-stale-button = Ця кнопка належить до попереднього запитання.
intake-notice-resumed = Продовжімо ваш звіт з того місця, де ви зупинилися. Усе, що ви вже ввели, збережено.
intake-notice-existing = У вас уже є незавершений звіт, тож продовжімо його. Щоб видалити його й почати спочатку, надішліть /cancel.

## Скасування
intake-cancel-confirm = Видалити цей звіт? Усе, що ви ввели, і всі його фото буде видалено. Це не можна скасувати.
intake-cancel-yes = 🗑 Так, видалити
intake-cancel-no = Ні, продовжити
intake-cancel-nothing = Незавершеного звіту немає. Надішліть /new, щоб почати.
intake-cancel-done = { $photos ->
    [0] Звіт видалено. Нічого з нього не збережено. Надішліть /new, коли захочете почати знову.
    [one] Звіт видалено разом із { $photos } фото. Нічого з нього не збережено. Надішліть /new, коли захочете почати знову.
   *[other] Звіт видалено разом із { $photos } фото. Нічого з нього не збережено. Надішліть /new, коли захочете почати знову.
}
intake-cancel-kept = Добре, ваш звіт збережено. Продовжуємо.

## Згода
intake-consent-question =
    Перш ніж почати, прочитайте, будь ласка.

    Що ми збираємо: те, що ви розповісте в цьому звіті, — місце, дату, що забрали, що ви бачили, ваші фото та розповідь. Ми не зберігаємо вашого імені, імені користувача, номера телефону чи ідентифікатора Telegram у відкритому вигляді.

    Хто це побачить: модератори та юристи проєкту, а згодом слідчі, прокурори й реєстри збитків, яким вони передають підтверджені випадки.

    Фото: з кожного фото перед збереженням видаляються приховані дані (GPS-координати, модель телефону, серійні номери).

    Ви будь-коли можете відкликати звіт командою /withdraw і стерти все, що пов'язує вас зі звітами, командою /deletemydata.

    Зупинитися можна будь-коли командою /cancel. Чи згодні ви продовжити? (версія згоди { $version })
intake-consent-agree = ✅ Я згоден / згодна
intake-consent-decline = Не згоден / не згодна
intake-consent-declined = Зрозуміло. Нічого не збережено. Якщо передумаєте, надішліть /new.
intake-error-consent = Щоб зробити звіт, натисніть «Я згоден / згодна». Якщо ви не згодні, натисніть «Не згоден / не згодна», і нічого не буде збережено.

## Що сталося
intake-role-question = Про що ви хочете повідомити?
intake-role-victim = 🏠 Мій дім пограбували
intake-role-witness = 👁 Я бачив(-ла) мародерство
intake-role-trafficking = 📦 Я бачив(-ла), як награбоване відправляли чи продавали

## Місце
intake-location-question =
    Де це сталося?

    Можна надіслати геолокацію: натисніть 📎 і виберіть «Геопозиція» — мітку можна поставити будь-де, не лише там, де ви зараз. Або напишіть адресу: населений пункт і вулицю (настільки точно, наскільки вам безпечно).
intake-region-question = У якій області це було? Якщо награбоване відправляли чи продавали за кордоном, виберіть «Не в Україні». Назву можна також написати.

## Дата
intake-date-question =
    Коли це сталося?

    Напишіть дату як ДД.ММ.РРРР (наприклад, 24.02.2022) або лише місяць як ММ.РРРР (наприклад, 03.2022), або натисніть кнопку.
intake-date-today = Сьогодні
intake-date-yesterday = Вчора
intake-date-unknown = Не знаю

## Речі
intake-item-category-question = Річ { $number }: що саме забрали? Виберіть категорію.
intake-item-description-question = Річ { $number } ({ $category }): опишіть її — наприклад, марка, модель, колір, усе, що допоможе її впізнати.
intake-item-quantity-question = Скільки їх було? Напишіть число або натисніть 1.
intake-item-value-question = Скільки приблизно це коштувало? Напишіть суму й валюту, наприклад «15000 грн», «300 USD» чи «250 EUR». Якщо не знаєте, натисніть «Пропустити».
intake-item-value-currency = У якій валюті { $amount }?
intake-item-identifier-question = Чи знаєте ви серійний номер або IMEI (для телефонів: наберіть *#06# або подивіться на коробці)? Це допомагає знайти викрадене. Напишіть його або натисніть «Пропустити».
intake-item-identifier-question-vehicle = Чи знаєте ви VIN-код (17 символів, у свідоцтві про реєстрацію) або номерний знак? Напишіть його або натисніть «Пропустити».
intake-identifier-warning-imei_check_digit = { $identifier } не схожий на правильний IMEI: не збігається контрольна цифра. Перевірте, будь ласка. Залишити як написано?
intake-identifier-warning-vin_forbidden_letters = { $identifier } не схожий на правильний VIN: у VIN-кодах не буває літер I, O чи Q. Перевірте, будь ласка. Залишити як написано?
intake-identifier-warning-vin_check_digit = Контрольний символ { $identifier } (9-й) не збігається. Багато європейських VIN-кодів не мають контрольного символу, тож код усе ж може бути правильним. Залишити як написано?
intake-identifier-keep = Залишити як написано
intake-identifier-retype = Написати ще раз
intake-identifier-type-again = Напишіть номер ще раз, будь ласка.
intake-identifier-kind-serial = Серійний номер
intake-identifier-kind-imei = IMEI
intake-identifier-kind-vin = VIN
intake-item-more-question = Збережено: { $last }. Разом { $count } { $count ->
    [one] річ
    [few] речі
   *[other] речей
}. Чи забрали ще щось?
intake-item-more-full = Ви перелічили { $count } речей — це найбільше, що вміщує один звіт. Якщо забрали більше, опишіть це у своїй розповіді або зробіть ще один звіт.
intake-item-more-add = ➕ Додати ще річ
intake-item-more-done = Це все

intake-category-electronics = 📱 Електроніка
intake-category-appliances = 🧺 Побутова техніка
intake-category-vehicle = 🚗 Транспорт
intake-category-jewellery = 💍 Прикраси
intake-category-cash = 💵 Гроші
intake-category-documents = 📄 Документи
intake-category-clothing = 👕 Одяг
intake-category-furniture = 🪑 Меблі
intake-category-tools = 🔧 Інструменти
intake-category-food_alcohol = 🥫 Їжа та алкоголь
intake-category-other = 📦 Інше

## Хто це зробив
intake-perpetrators-question = Чи знаєте ви щось про те, хто це зробив, — назви частин чи знаки розрізнення, позначки чи номери техніки, скільки їх було, що вони казали? Це необов'язково.
intake-perpetrators-tell = Так, розповім
intake-perp-units-question = Які назви частин, знаки розрізнення, шеврони чи прапори ви бачили? Напишіть або натисніть «Пропустити».
intake-perp-vehicles-question = Чи були на техніці позначки (літери Z чи V, тактичні знаки) або номерні знаки? Напишіть або натисніть «Пропустити».
intake-perp-count-question = Скільки приблизно їх було? Напишіть число або натисніть «Пропустити».
intake-perp-words-question = Чи казали вони щось — імена, позивні, звідки вони? Напишіть або натисніть «Пропустити».

## Фото
intake-photos-question = Тепер можна надіслати фото — пошкоджень, того, що залишилося, награбованих речей (до { $max }). Надсилайте їх як фото або як файли, можна кілька одразу. Коли закінчите, натисніть «Готово». Немає фото? Натисніть «Пропустити».
intake-photos-question-more = Ви додали { $count } з { $max } фото. Надішліть ще або натисніть «Готово».
intake-photos-done = ✅ Готово
intake-photos-clear = 🗑 Прибрати всі фото
intake-photos-cleared = Фото прибрано: { $count }.
intake-photos-received = ✅ Фото отримано й очищено від прихованих даних. { $total } з { $max }. Надішліть ще або натисніть «Готово».
intake-photos-received-album = ✅ Отримано фото з цього альбому: { $received }, очищено від прихованих даних. У звіті { $total } з { $max }. Надішліть ще або натисніть «Готово».
intake-photos-limit = У цьому звіті вже { $max } фото — це найбільше, що він вміщує. Натисніть «Готово», щоб продовжити.
intake-photos-error-text = Надішліть фото або натисніть «Готово», коли надішлете всі.
intake-photos-error-location = Геолокація тут не потрібна: надішліть фото або натисніть «Готово».
intake-photos-refused-video = Відео прийняти не можна, лише фото. Якщо можете, надішліть знімок екрана з важливим моментом.
intake-photos-refused-voice = Голосові повідомлення тут прийняти не можна. Свою розповідь ви зможете написати на одному з наступних кроків.
intake-photos-refused-audio = Аудіофайли прийняти не можна, лише фото.
intake-photos-refused-sticker = Стікери прийняти не можна, лише фото.
intake-photos-refused-animation = Анімації прийняти не можна, лише фото.
intake-photos-refused-other = Це тут прийняти не можна. Надішліть фото або натисніть «Готово».
intake-photo-rejected-not_an_image = Цей файл не є зображенням, тому його не прийнято. Додати можна лише фото та зображення (JPEG, PNG, HEIC, WebP тощо).
intake-photo-rejected-unsupported_format = Цей формат зображення не вдається прочитати. Надішліть його як звичайне фото, а не як файл.
intake-photo-rejected-too_large = Цей файл завеликий. Надішліть його як звичайне фото (не як файл) — тоді він буде меншим.
intake-photo-rejected-too_many_pixels = Це зображення завелике для обробки. Надішліть його як звичайне фото, а не як файл.
intake-photo-rejected-corrupt = Це зображення пошкоджене, його не вдається відкрити. Спробуйте надіслати ще раз.
intake-photo-rejected-unavailable = Це фото не вдалося завантажити. Надішліть його ще раз, будь ласка.

## Розповідь і зв'язок
intake-narrative-question = Тепер своїми словами: що сталося? Допомогти може все, що ви пам'ятаєте, — до { $max } символів. Або натисніть «Пропустити».
intake-contact-question = Чи можуть модератори поставити вам додаткові запитання через цього бота? Вони не бачитимуть, хто ви; ви завжди можете не відповідати.
intake-contact-yes = Так, можуть
intake-contact-no = Ні

## Перевірка
intake-review-question = Перевірте, будь ласка, ваш звіт вище. Усе правильно?
intake-review-submit = 📨 Надіслати звіт
intake-review-edit = ✏️ Змінити щось
intake-review-cancel = 🗑 Видалити звіт
intake-review-edit-question = Що ви хочете змінити?
intake-review-back = ⬅️ Назад до звіту
intake-section-role = Що сталося
intake-section-place = Місце
intake-section-date = Дата
intake-section-items = Речі
intake-section-perpetrators = Хто це зробив
intake-section-photos = Фото
intake-section-narrative = Розповідь
intake-section-contact = Зв'язок
intake-items-edit-question = Речей у звіті: { $count }. Натисніть на річ, щоб прибрати її, або додайте нову.
intake-items-edit-remove = ✖ { $number }. { $label }
intake-items-edit-add = ➕ Додати річ

intake-summary-title = 📋 Ваш звіт
intake-summary-role = Що сталося
intake-summary-place = Місце
intake-summary-pin = мітка { $latitude }, { $longitude }
intake-summary-region = Область
intake-summary-date = Дата
intake-summary-date-unknown = невідомо
intake-summary-items = Речі ({ $count }):
intake-summary-quantity = кількість: { $quantity }
intake-summary-value = вартість: { $amount } { $currency }
intake-summary-identifier = { $kind }: { $identifier }
intake-summary-identifier-unchecked = { $kind }: { $identifier } (⚠️ перевірка не пройдена, залишено як написано)
intake-summary-perpetrators = Хто це зробив
intake-summary-perp-units = Частини, знаки розрізнення
intake-summary-perp-vehicles = Техніка, номери
intake-summary-perp-count = Кількість людей
intake-summary-perp-words = Що вони казали
intake-summary-photos = Фото
intake-summary-contact = Додаткові запитання дозволено
intake-summary-narrative = Розповідь

intake-submitted =
    ✅ Ваш звіт надіслано. Його номер — { $ref }.

    Що далі: модератори перевірять його, зазвичай протягом кількох днів. Статус можна переглянути командою /status { $ref } або /mycases. Якщо ви дозволили додаткові запитання, вам можуть написати тут.

    Для вашої безпеки: якщо ваш телефон можуть перевірити, надішліть /wipe, і я видалю цю розмову з чату. Спершу запишіть номер звіту в безпечному місці.
intake-already-submitted = Цей звіт уже надіслано: { $ref }.
intake-error-no-draft = Цей звіт уже закрито. Надішліть /new, щоб почати новий.

## Помилки
intake-error-photo-here = Фото додаються на одному з наступних кроків. Зараз, будь ласка, дайте відповідь словами.
intake-error-text-expected = Будь ласка, дайте відповідь словами або скористайтеся кнопками.
intake-error-empty = Відповідь порожня. Напишіть її ще раз, будь ласка.
intake-error-too-long = Це { $length } символів, а можна щонайбільше { $max }. Скоротіть, будь ласка.
intake-error-choose-button = Виберіть, будь ласка, одну з кнопок.
intake-error-coordinates = Ця геолокація не може бути правильною (координати поза межами). Надішліть її ще раз або напишіть адресу.
intake-error-location = Надішліть геолокацію (📎 → Геопозиція) або напишіть адресу.
intake-error-address-short = Це закоротко для адреси. Напишіть хоча б населений пункт.
intake-error-region = Не вдалося розпізнати область. Виберіть її кнопкою, будь ласка.
intake-error-date-format = Не вдалося прочитати дату. Напишіть її як ДД.ММ.РРРР (наприклад, 24.02.2022) або ММ.РРРР, чи натисніть кнопку.
intake-error-date-no_such_date = Такої дати не існує. Перевірте день і місяць.
intake-error-date-future = Ця дата ще не настала. Перевірте її, будь ласка.
intake-error-date-too_early = Звіти можуть стосуватися лише подій від 20.02.2014. Перевірте дату, будь ласка.
intake-error-quantity-format = Напишіть кількість цілим числом, наприклад 2.
intake-error-quantity-range = Кількість має бути від 1 до 1 000 000.
intake-error-value-format = Не вдалося прочитати суму. Напишіть число й валюту, наприклад «15000 грн».
intake-error-value-too_large = Ця сума завелика. Перевірте її, будь ласка.
intake-error-value-currency = Я знаю лише гривні, долари та євро. Напишіть суму в одній із них, наприклад «300 USD».
intake-error-currency = Виберіть валюту кнопкою: UAH, USD або EUR.
intake-error-identifier-too-long = Це задовго для серійного номера. Напишіть лише номер.
intake-error-items-full = Звіт може містити щонайбільше 50 речей.
intake-error-perp-count = Напишіть кількість людей цілим числом, наприклад 5, або натисніть «Пропустити».
intake-error-last-item = У звіті має бути хоча б одна річ, тож останню прибрати не можна. Спершу можна додати іншу.
intake-error-review-buttons = Скористайтеся, будь ласка, кнопками під звітом: надіслати, змінити щось або видалити.

## Області
intake-region-vinnytska = Вінницька область
intake-region-volynska = Волинська область
intake-region-dnipropetrovska = Дніпропетровська область
intake-region-donetska = Донецька область
intake-region-zhytomyrska = Житомирська область
intake-region-zakarpatska = Закарпатська область
intake-region-zaporizka = Запорізька область
intake-region-ivano_frankivska = Івано-Франківська область
intake-region-kyivska = Київська область
intake-region-kirovohradska = Кіровоградська область
intake-region-luhanska = Луганська область
intake-region-lvivska = Львівська область
intake-region-mykolaivska = Миколаївська область
intake-region-odeska = Одеська область
intake-region-poltavska = Полтавська область
intake-region-rivnenska = Рівненська область
intake-region-sumska = Сумська область
intake-region-ternopilska = Тернопільська область
intake-region-kharkivska = Харківська область
intake-region-khersonska = Херсонська область
intake-region-khmelnytska = Хмельницька область
intake-region-cherkaska = Черкаська область
intake-region-chernivetska = Чернівецька область
intake-region-chernihivska = Чернігівська область
intake-region-kyiv = м. Київ
intake-region-crimea = АР Крим
intake-region-sevastopol = м. Севастополь
intake-region-not_in_ukraine = 🌍 Не в Україні
intake-daily-limit = За останні 24 години ви почали { $limit } звітів — це найбільше, що можна з одного облікового запису. Поверніться завтра; вже надіслані звіти збережено.
