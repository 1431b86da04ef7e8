# UI strings of reader comments.
comment-form-title = Add a comment
comment-mandatory = Mandatory *
comment-name = Name *
comment-email = E-mail *
comment-email-hint = Never shown to readers.
comment-title = Comment Title *
comment-body = Comment *
comment-chars-left = { $n } : Characters Left
comment-leave-empty = Leave this empty
comment-terms-title = Terms of use
comment-agree = I agree with the Terms of Use *
comment-code = Security Code *
comment-code-alt = Security code: type the letters and digits in this picture
comment-code-new = Show a new code
comment-code-alternative = Cannot read it? Let your browser prove you are a person
comment-code-working = Checking…
comment-code-done = Checked: no code to type.
comment-code-failed = The automatic check failed; type the code from the picture.
comment-code-busy = Too many security codes were asked for just now. Try again in a minute.
comment-send = Send comment
comment-has-errors = Please correct the marked fields; your text is kept.
comment-notice-pending = Thank you. Your comment awaits moderation and appears once approved.
comment-notice-published = Thank you. Your comment is published.
comments-closed = Comments are closed for this article.
comment-preview-note = Readers comment on the published article.
comments-order = Order:
comments-oldest = Oldest first
comments-newest = Newest first
comment-reply-to = In reply to
comments-pages = Pages of comments
comments-previous = Previous comments
comments-more = More comments
comment-closed = Comments are closed for this article.
comment-banned = Comments from you are not accepted on this site.
comment-too-many = You sent several comments in a short time. Please wait ten minutes.
comment-cross-site = This form must be sent from the site's own pages.
comment-error-field-required = This field is required.
comment-error-field-too-long = Too long: at most { $limit } characters.
comment-error-field-invalid-email = Enter an e-mail address such as name@example.com.
comment-error-field-must-agree = Tick the box to agree with the Terms of Use.
comment-error-field-wrong-code = The security code is wrong or has expired. Type the code in the new picture.
card-comments = { $n ->
    [one] One comment
   *[other] { $n } comments
}
comment-notice-reported = Thank you. The moderators will look at the comment you reported.
report-open = Report this comment
report-why = Why?
report-reason-offensive = It breaks the terms (insult, incitement)
report-reason-spam = Spam or advertising
report-reason-off_topic = Off topic
report-reason-other = Something else
report-note = Details (optional)
report-send = Report
report-reason-needed = Choose why you report the comment.
report-too-many = You have sent many reports; please wait an hour.
verify-mail-subject = Confirm your e-mail address for { $site }
verify-mail-body = Hello,

    You commented on { $site }. Confirm that this address is yours by opening this link within seven days:

    { $link }

    Commenters who confirm their address and keep to the terms of use are published sooner. If you did not comment, ignore this mail.
verify-title = Confirm your e-mail address
verify-ask = Press the button to confirm the address you comment with. This browser will then be known as yours on this site.
verify-button = Confirm my address
verify-done-title = Address confirmed
verify-done = Thank you: your e-mail address is confirmed. Your comments count towards your standing on this site.
verify-failed-title = This link does not work
verify-failed = The confirmation link is wrong, used already or expired. Comment again to receive a new one.
notice-home = Back to the home page
