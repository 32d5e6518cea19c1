basics-welcome =
    Hello. I am Svidok, a bot that records testimony about looting by invading troops.

    If your home was looted, if you saw looting, or if you saw looted goods being shipped or sold, you can report it here. Your report goes to a team of moderators and lawyers who check it and pass verified cases to investigators and damage registers.

    You decide what to share. Photos are cleaned of hidden data (location, phone model) before they are stored.
basics-start-report = 📝 Start a report
basics-privacy-button = 🔒 Privacy
basics-language-button = 🌐 Мова / Language
basics-help =
    How to use Svidok:
    /new — start a report
    /mycases — your reports and their status
    /status REF — one report by its reference
    /withdraw REF — withdraw a report
    /cancel — stop the report you are filling in
    /wipe — delete this conversation from your phone
    /deletemydata — erase everything that links you to your reports
    /privacy — what we collect and who sees it
    /language — change the language

    During a report, answer the questions or tap the buttons. If you make a mistake, you can correct everything at the end before sending.
basics-privacy =
    What we collect: what you tell us in a report (place, date, what was taken, what you saw, your photos and your account of events) and whether we may contact you.

    What we do not keep: your name, username, phone number, or your Telegram id in readable form. Photos are stripped of all hidden data (GPS position, phone model, serial numbers) before they are stored; if a photo carried its own date and place, investigators see only those two facts, never the phone it came from.

    Who sees your report: the moderators and lawyers of this project, and later the investigators, prosecutors or damage registers they pass verified cases to. Moderators never see who you are, and they can only write to you through this bot if you allowed it.

    How to withdraw: /withdraw REF withdraws one report. /deletemydata erases what links you to your reports: reports not yet verified are withdrawn and their photos deleted; verified reports stay with investigators but are no longer linked to you. /wipe deletes this conversation from your phone.
basics-language-choose = Choose your language / Оберіть мову:
basics-language-set = Language set: English.
basics-command-new = Start a report
basics-command-mycases = My reports
basics-command-help = Help
basics-command-privacy = Privacy: what we collect
basics-command-language = Change language
basics-command-cancel = Cancel the current report
basics-command-wipe = Delete this chat from your phone
basics-command-deletemydata = Erase my data
