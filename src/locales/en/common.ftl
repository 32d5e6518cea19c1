error-generic = Sorry, something went wrong on our side. What you have already entered is kept. Please try again in a minute; if you were in the middle of a report, just send your answer again.
unhandled-unknown-command = I don't know this command. Send /help to see what I can do.
unhandled-hint = To report looting, send /new. For help, send /help.
unhandled-stale-button = This button is no longer active.
