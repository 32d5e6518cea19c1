reliability-database-unavailable = Our database is not answering for a moment. What you sent is kept and will be handled as soon as it is back, usually within a minute. Please wait instead of sending it again.
reliability-rate-limited = You are sending messages faster than I can take them. Please wait { $seconds } seconds; what you send meanwhile is not read.
reliability-too-long = This message is longer than I can take (more than { $max } characters). Please send it in shorter parts.
