intake-button-back = ⬅️ Back
intake-button-skip = Skip
intake-stale-button = This button belongs to an earlier question.
intake-notice-resumed = Let's continue your report where you left off. Everything you entered so far is saved.
intake-notice-existing = You already have a report in progress, so let's continue it. To throw it away and start over, send /cancel.

## Cancelling
intake-cancel-confirm = Delete this report? Everything you entered and all its photos will be deleted. This cannot be undone.
intake-cancel-yes = 🗑 Yes, delete it
intake-cancel-no = No, continue
intake-cancel-nothing = There is no report in progress. Send /new to start one.
intake-cancel-done = { $photos ->
    [0] The report was deleted. Nothing of it was kept. Send /new whenever you want to start again.
    [one] The report was deleted, with its photo. Nothing of it was kept. Send /new whenever you want to start again.
   *[other] The report was deleted, with its { $photos } photos. Nothing of it was kept. Send /new whenever you want to start again.
}
intake-cancel-kept = Good, your report is kept. Let's go on.

## Consent
intake-consent-question =
    Before we start, please read this.

    What we collect: what you tell us in this report — the place, the date, what was taken, what you saw, your photos and your account. We do not store your name, username, phone number or Telegram id in readable form.

    Who will see it: the project's moderators and lawyers, and later the investigators, prosecutors and damage registers they pass verified cases to.

    Photos: every photo is cleaned of hidden data (GPS position, phone model, serial numbers) before it is stored.

    You can withdraw a report at any time with /withdraw, and erase what links you to your reports with /deletemydata.

    You can stop at any moment with /cancel. Do you agree to go on? (consent version { $version })
intake-consent-agree = ✅ I agree
intake-consent-decline = I do not agree
intake-consent-declined = Understood. Nothing was saved. If you change your mind, send /new.
intake-error-consent = To make a report, please tap "I agree". If you do not agree, tap "I do not agree" and nothing will be saved.

## Role
intake-role-question = What do you want to report?
intake-role-victim = 🏠 My home was looted
intake-role-witness = 👁 I witnessed looting
intake-role-trafficking = 📦 I saw looted goods shipped or sold

## Place
intake-location-question =
    Where did it happen?

    You can send a location: tap 📎 and choose "Location" — you can move the pin anywhere, not only where you are now. Or type the address: settlement and street (as precisely as you feel safe to say).
intake-region-question = Which region (oblast) was it in? For goods shipped or sold abroad, choose "Not in Ukraine". You can also type the name.

## Date
intake-date-question =
    When did it happen?

    Type the date as DD.MM.YYYY (for example 24.02.2022), or only the month as MM.YYYY (for example 03.2022), or tap a button.
intake-date-today = Today
intake-date-yesterday = Yesterday
intake-date-unknown = I don't know

## Items
intake-item-category-question = Item { $number }: what kind of thing was taken? Choose a category.
intake-item-description-question = Item { $number } ({ $category }): describe it — for example make, model, colour, anything that would help recognise it.
intake-item-quantity-question = How many of them? Type a number, or tap 1.
intake-item-value-question = Roughly how much was it worth? Type the amount and currency, for example "15000 UAH", "300 USD" or "250 EUR". If you don't know, tap Skip.
intake-item-value-currency = In which currency is { $amount }?
intake-item-identifier-question = Do you know a serial number or an IMEI (for phones: dial *#06#, or look on the box)? It helps find stolen goods. Type it, or tap Skip.
intake-item-identifier-question-vehicle = Do you know the VIN (17 characters, in the registration certificate) or the number plate? Type it, or tap Skip.
intake-identifier-warning-imei_check_digit = { $identifier } does not look like a valid IMEI: its check digit does not match. Please check it. Keep it as typed anyway?
intake-identifier-warning-vin_forbidden_letters = { $identifier } does not look like a valid VIN: VINs never contain the letters I, O or Q. Please check it. Keep it as typed anyway?
intake-identifier-warning-vin_check_digit = The check digit of { $identifier } (the 9th character) does not match. Many European VINs have no check digit, so it may still be right. Keep it as typed?
intake-identifier-keep = Keep it as typed
intake-identifier-retype = Type it again
intake-identifier-type-again = Please type the number again.
intake-identifier-kind-serial = Serial number
intake-identifier-kind-imei = IMEI
intake-identifier-kind-vin = VIN
intake-item-more-question = Saved: { $last }. That makes { $count } { $count ->
    [one] item
   *[other] items
}. Was anything else taken?
intake-item-more-full = You have listed { $count } items, the most one report can hold. If more was taken, describe it in your account of events, or make a second report.
intake-item-more-add = ➕ Add another item
intake-item-more-done = That's all

intake-category-electronics = 📱 Electronics
intake-category-appliances = 🧺 Appliances
intake-category-vehicle = 🚗 Vehicle
intake-category-jewellery = 💍 Jewellery
intake-category-cash = 💵 Cash
intake-category-documents = 📄 Documents
intake-category-clothing = 👕 Clothing
intake-category-furniture = 🪑 Furniture
intake-category-tools = 🔧 Tools
intake-category-food_alcohol = 🥫 Food and alcohol
intake-category-other = 📦 Other

## Who did it
intake-perpetrators-question = Do you know anything about who did it — unit names or insignia, vehicle markings or plates, how many there were, anything they said? This is optional.
intake-perpetrators-tell = Yes, I'll tell
intake-perp-units-question = Which unit names, insignia, patches or flags did you see? Type them, or tap Skip.
intake-perp-vehicles-question = Any vehicle markings (letters like Z or V, tactical signs) or number plates? Type them, or tap Skip.
intake-perp-count-question = How many people were there, roughly? Type a number, or tap Skip.
intake-perp-words-question = Did they say anything — names, call signs, where they were from? Type it, or tap Skip.

## Photos
intake-photos-question = Now you can send photos — of the damage, of what is left, of the looted goods (up to { $max }). Send them as photos or as files; you can send several at once. When you are done, tap Done. No photos? Tap Skip.
intake-photos-question-more = You have added { $count } of { $max } photos. Send more, or tap Done.
intake-photos-done = ✅ Done
intake-photos-clear = 🗑 Remove all photos
intake-photos-cleared = { $count ->
    [one] The photo was removed.
   *[other] All { $count } photos were removed.
}
intake-photos-received = ✅ Photo received and cleaned of hidden data. { $total } of { $max }. Send more, or tap Done.
intake-photos-received-album = ✅ Received { $received } { $received ->
    [one] photo
   *[other] photos
} from this album, cleaned of hidden data. { $total } of { $max } in the report. Send more, or tap Done.
intake-photos-limit = This report already has { $max } photos, the most it can hold. Tap Done to go on.
intake-photos-error-text = Please send photos, or tap Done when you have sent them all.
intake-photos-error-location = A location is not needed here: please send photos, or tap Done.
intake-photos-refused-video = Videos cannot be accepted, only photos. If you can, send a screenshot of the important moment instead.
intake-photos-refused-voice = Voice messages cannot be accepted here. You can type your account of events in a later step.
intake-photos-refused-audio = Audio files cannot be accepted, only photos.
intake-photos-refused-sticker = Stickers cannot be accepted, only photos.
intake-photos-refused-animation = Animations cannot be accepted, only photos.
intake-photos-refused-other = This cannot be accepted here. Please send photos, or tap Done.
intake-photo-rejected-not_an_image = This file is not a picture, so it was not accepted. Only photos and images can be added (JPEG, PNG, HEIC, WebP and the like).
intake-photo-rejected-unsupported_format = This image format cannot be read. Please send it as an ordinary photo instead of a file.
intake-photo-rejected-too_large = This file is too large. Please send it as an ordinary photo (not as a file), which makes it smaller.
intake-photo-rejected-too_many_pixels = This image is too large to process. Please send it as an ordinary photo instead of a file.
intake-photo-rejected-corrupt = This image is damaged and cannot be opened. Please try sending it again.
intake-photo-rejected-unavailable = This photo could not be downloaded. Please send it again.

## Account and contact
intake-narrative-question = Now, in your own words: what happened? Anything you remember can help — up to { $max } characters. Or tap Skip.
intake-contact-question = May moderators ask you follow-up questions through this bot? They will not see who you are; you can always choose not to answer.
intake-contact-yes = Yes, they may ask
intake-contact-no = No

## Review
intake-review-question = Please check your report above. Is everything right?
intake-review-submit = 📨 Send the report
intake-review-edit = ✏️ Change something
intake-review-cancel = 🗑 Delete the report
intake-review-edit-question = What do you want to change?
intake-review-back = ⬅️ Back to the report
intake-section-role = What happened
intake-section-place = Place
intake-section-date = Date
intake-section-items = Items
intake-section-perpetrators = Who did it
intake-section-photos = Photos
intake-section-narrative = Account
intake-section-contact = Contact
intake-items-edit-question = { $count ->
    [one] There is 1 item. Tap an item to remove it, or add one.
   *[other] There are { $count } items. Tap an item to remove it, or add one.
}
intake-items-edit-remove = ✖ { $number }. { $label }
intake-items-edit-add = ➕ Add an item

intake-summary-title = 📋 Your report
intake-summary-role = What happened
intake-summary-place = Place
intake-summary-pin = pin { $latitude }, { $longitude }
intake-summary-region = Region
intake-summary-date = Date
intake-summary-date-unknown = unknown
intake-summary-items = Items ({ $count }):
intake-summary-quantity = quantity: { $quantity }
intake-summary-value = value: { $amount } { $currency }
intake-summary-identifier = { $kind }: { $identifier }
intake-summary-identifier-unchecked = { $kind }: { $identifier } (⚠️ check failed, kept as typed)
intake-summary-perpetrators = Who did it
intake-summary-perp-units = Units, insignia
intake-summary-perp-vehicles = Vehicles, plates
intake-summary-perp-count = Number of people
intake-summary-perp-words = What they said
intake-summary-photos = Photos
intake-summary-contact = Follow-up questions allowed
intake-summary-narrative = Account

intake-submitted =
    ✅ Your report has been sent. Its reference is { $ref }.

    What happens next: moderators will check it, usually within a few days. You can see its status with /status { $ref } or /mycases. If you allowed follow-up questions, they may write to you here.

    For your safety: if your phone could be checked by someone, send /wipe and I will delete this conversation from the chat. Write the reference down somewhere safe first.
intake-already-submitted = This report has already been sent: { $ref }.
intake-error-no-draft = This report is no longer open. Send /new to start a new one.

## Errors
intake-error-photo-here = Photos are added in a later step. For now, please answer the question in words.
intake-error-text-expected = Please answer in words, or use the buttons.
intake-error-empty = The answer is empty. Please type it again.
intake-error-too-long = That is { $length } characters; the most is { $max }. Please shorten it.
intake-error-choose-button = Please choose one of the buttons.
intake-error-coordinates = This location cannot be right (the coordinates are out of range). Please send it again, or type the address.
intake-error-location = Please send a location (📎 → Location) or type the address.
intake-error-address-short = That is too short for an address. Please type at least the settlement.
intake-error-region = I could not recognise this region. Please choose it from the buttons.
intake-error-date-format = I could not read this date. Please type it as DD.MM.YYYY (for example 24.02.2022) or MM.YYYY, or tap a button.
intake-error-date-no_such_date = This date does not exist. Please check the day and the month.
intake-error-date-future = This date is in the future. Please check it.
intake-error-date-too_early = Reports can only cover events from 20.02.2014 on. Please check the date.
intake-error-quantity-format = Please type the quantity as a whole number, for example 2.
intake-error-quantity-range = The quantity must be between 1 and 1,000,000.
intake-error-value-format = I could not read this amount. Please type a number and a currency, for example "15000 UAH".
intake-error-value-too_large = This amount is too large. Please check it.
intake-error-value-currency = I know only UAH, USD and EUR. Please type the amount in one of them, for example "300 USD".
intake-error-currency = Please choose the currency with a button: UAH, USD or EUR.
intake-error-identifier-too-long = That is too long for a serial number. Please type only the number.
intake-error-items-full = A report can hold at most 50 items.
intake-error-perp-count = Please type the number of people as a whole number, for example 5, or tap Skip.
intake-error-last-item = A report needs at least one item, so the last one cannot be removed. You can add another first.
intake-error-review-buttons = Please use the buttons under the summary: send the report, change something, or delete it.

## Regions
intake-region-vinnytska = Vinnytsia oblast
intake-region-volynska = Volyn oblast
intake-region-dnipropetrovska = Dnipropetrovsk oblast
intake-region-donetska = Donetsk oblast
intake-region-zhytomyrska = Zhytomyr oblast
intake-region-zakarpatska = Zakarpattia oblast
intake-region-zaporizka = Zaporizhzhia oblast
intake-region-ivano_frankivska = Ivano-Frankivsk oblast
intake-region-kyivska = Kyiv oblast
intake-region-kirovohradska = Kirovohrad oblast
intake-region-luhanska = Luhansk oblast
intake-region-lvivska = Lviv oblast
intake-region-mykolaivska = Mykolaiv oblast
intake-region-odeska = Odesa oblast
intake-region-poltavska = Poltava oblast
intake-region-rivnenska = Rivne oblast
intake-region-sumska = Sumy oblast
intake-region-ternopilska = Ternopil oblast
intake-region-kharkivska = Kharkiv oblast
intake-region-khersonska = Kherson oblast
intake-region-khmelnytska = Khmelnytskyi oblast
intake-region-cherkaska = Cherkasy oblast
intake-region-chernivetska = Chernivtsi oblast
intake-region-chernihivska = Chernihiv oblast
intake-region-kyiv = Kyiv city
intake-region-crimea = Crimea
intake-region-sevastopol = Sevastopol
intake-region-not_in_ukraine = 🌍 Not in Ukraine
intake-daily-limit = You have started { $limit } reports in the last 24 hours, the most one account may. Please come back tomorrow; your reports already sent are safe.
