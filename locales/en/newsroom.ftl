# UI strings of the newsroom, in English.
newsroom-name = Newsroom
newsroom-login-title = Log in to the newsroom
newsroom-email = E-mail
newsroom-password = Password
newsroom-login = Log in
newsroom-logout = Log out
newsroom-email-invalid = Enter an e-mail address such as name@example.com.
newsroom-login-failed = The e-mail address or the password is wrong.
newsroom-busy = Many logins are being checked right now. Try again in a moment.
newsroom-throttled = Too many failed attempts. Try again in { $seconds } s.
newsroom-cross-site = This form must be sent from the newsroom's own pages.
newsroom-dashboard-title = Dashboard
newsroom-welcome = Welcome, { $name }
newsroom-your-sites = Your sites
newsroom-no-roles = You have no role on any site yet. Ask an administrator.
newsroom-role-admin = Administrator
newsroom-role-editor = Editor
newsroom-role-reporter = Reporter
newsroom-role-moderator = Moderator
newsroom-menu = Newsroom menu
newsroom-no-access = You have no role on this site. Ask an administrator.

# Workflow states and steps
state-draft = Draft
state-in_review = In review
state-scheduled = Scheduled
state-published = Published
state-unpublished = Unpublished
action-update = Update
action-save = Save
action-submit = Submit for review
action-return_to_draft = Back to draft
action-publish = Publish
action-schedule = Schedule
action-unpublish = Unpublish
workflow-not-allowed = Your role does not allow this on this article.
workflow-wrong-state = This article's state does not allow that step. Reload the page to see its current state.
workflow-schedule-past = Choose a publication time in the future.
workflow-schedule-missing = Choose when to publish the article.
workflow-unknown-action = Unknown step.

# The desk (article lists)
desk-title = Articles
desk-new = New article
desk-all = All
desk-filter = Filter by state
desk-state = State
desk-writer = Written by
desk-edited = Last change
desk-empty = No articles here yet.
desk-pages = Pages
desk-newer = Newer
desk-older = Older
desk-unknown-state = Unknown state: use draft, in_review, scheduled, published or unpublished.

# The editor
editor-title-new = New article
editor-title-edit = Edit article
editor-preview = Preview
editor-view-live = View on the site
editor-has-errors = Some fields need attention; nothing you typed was lost.
editor-chars-left = { "{n}" } characters left
editor-toolbar = Formatting
editor-paragraph = Paragraph
editor-subheading = Subheading
editor-minor-subheading = Minor subheading
editor-quote = Quote
editor-bold = Bold
editor-italic = Italic
editor-bullets = Bulleted list
editor-numbers = Numbered list
editor-link = Link
editor-link-prompt = Link address (https://…)
editor-link-invalid = Use an address starting with https://, http://, mailto: or /.
editor-unlink = Remove link
editor-body-hint = Paragraphs, subheadings, quotes, lists and links are kept; other formatting is removed.
editor-publishing = Publishing
editor-published-at = First published:
editor-time-zone = Time in the site's zone ({ $zone }); used when you schedule.
editor-unpublish-confirm = Take this article off the site?
editor-placement = Section and tags
editor-choose = Choose…
editor-tags-hint = Separate tags with commas.
editor-credit = Dateline and credit
editor-credit-hint = An agency (AFP) for wire copy; leave empty for staff bylines.
editor-lead-image = Lead image
editor-no-image = No image
editor-search-links = Search and links
editor-slug-hint = Leave empty to make it from the headline.
editor-translations = Linked translations:
editor-restored = Restored the changes you had not saved ({ $time }). Save to keep them.
editor-conflict = { $name } saved this article at { $time } while you were editing. Your text is kept below: compare it with the current version, then save again to replace theirs.
editor-too-large = The article is too large to keep.
editor-done-save = Saved.
editor-done-submit = Submitted for review.
editor-done-return_to_draft = Back to draft.
editor-done-publish = Published.
editor-done-schedule = Scheduled.
editor-done-unpublish = Taken off the site.
editor-done-correct = Correction added.
autosave-saving = Saving…
autosave-saved = Saved at {"{time}"}
autosave-offline = Offline: your changes are kept in this browser
autosave-failed = Autosave failed: {"{reason}"}
autosave-restored = Restored changes kept in this browser at {"{time}"}

# Fields
field-headline = Headline
field-seo_title = Title for search engines
field-slug = Slug (address)
field-standfirst = Standfirst
field-body_html = Body
field-section = Section
field-tags = Tags
field-authors = Authors
field-dateline_place = Dateline place
field-source_credit = Source credit
field-lead_media = Image
field-lead_caption = Caption
field-lead_credit = Photo credit
field-lead_alt = Alternative text
field-lead_media_id = Image
field-translation_of = Translation of article number
field-publish_at = Publication time
field-minor = Minor edit (does not change "Last Updated")
field-required = This field is required.
field-too-long = Too long: at most { $limit } characters.
field-invalid-slug = Use lower-case letters, digits and single hyphens.
field-unknown-choice = Choose one of the offered values.
field-too-many-tags = At most { $limit } tags.
field-invalid-time = Enter a date and time such as 2026-12-01 09:30.

# Revisions
revisions-title = Revisions
revisions-back = Back to the editor
revisions-from = Compare
revisions-to = with
revisions-compare = Show changes
revisions-changes = Changes from #{ $from } to #{ $to }
revisions-same = No differences.
revisions-history = History
revisions-restore = Restore this revision
revisions-restore-confirm = Replace the current text with this revision?
revisions-conflict = Someone saved this article meanwhile; open the history again and retry.

# Corrections
correction-note = Correction note (shown to readers)
correction-add = Add correction
correction-invalid = Write a correction of at most 1,000 characters.
correction-not-published = Corrections are added to published articles.

# Audit log
audit-title = Audit log
audit-when = When
audit-who = Who
audit-action = Action
audit-subject = Subject
audit-system = Scheduler
audit-empty = Nothing recorded yet.

# Dashboard
dashboard-in-review = Waiting for review
dashboard-scheduled = Scheduled
dashboard-recent = Recently published
dashboard-drafts = Your drafts
dashboard-nothing = Nothing here.

# Media library
media-title = Media
media-upload = Upload an image
media-file = Image file (JPEG, PNG or WebP)
media-hint = At most { $mb } MB. Resized copies for phones and wide screens are made at once.
media-upload-button = Upload
media-uploaded = Image #{ $id } uploaded. Choose it as the lead image in the editor.
media-variants = { $n ->
    [one] one resized copy
   *[other] { $n } resized copies
}
media-none = No images yet.
media-empty = Choose an image file to upload.
media-too-large = The file is too large: at most 20 MB.
media-busy = Too many images are being processed right now. Try again in a few seconds.
media-not-an-image = This file is not a JPEG, PNG or WebP image.
media-too-many-pixels = The image has too many pixels: at most 12,000 on a side and 60 megapixels.
media-unreadable = The image is damaged or cannot be read.
media-bad-form = The upload did not arrive complete; try again.
editor-upload-image = Upload a new image (opens the media library)

# Site settings
settings-title = Settings
settings-saved = Settings saved; the site shows them now.
settings-brand = Name and logo
settings-name = Site name
settings-description = Description (for search engines and feeds)
settings-logo = Logo (an image of the media library)
settings-no-logo = No logo: show the name
settings-dates = Time and dates
settings-time-zone = Time zone
settings-time-zone-hint = An IANA name such as GMT, Asia/Beirut or Asia/Dubai.
settings-format-list = Date on article lists
settings-format-hint = Placeholders: {"{"}yyyy{"}"} {"{"}MM{"}"} {"{"}M{"}"} {"{"}dd{"}"} {"{"}d{"}"} {"{"}HH{"}"} {"{"}mm{"}"} {"{"}ss{"}"} {"{"}weekday{"}"} {"{"}month{"}"} {"{"}zone{"}"}
settings-format-published = Published date on articles
settings-format-updated = "Last Updated" stamp
settings-social = Social profiles
settings-footer = Footer
settings-publisher = Publisher line
settings-copyright = Copyright line
settings-address = Postal address
settings-terms = Terms of use
settings-terms-text = Publishing terms readers accept when they comment
settings-terms-hint = Shown beside the comment form; each change is a new version that comments record.
settings-save = Save settings
field-unknown-time-zone = Unknown time zone: use an IANA name such as Asia/Beirut.
field-invalid-pattern = Unknown placeholder or unclosed brace in this pattern.
field-invalid-url = Enter a full address starting with https://.
field-taken = This address is already used; choose another slug.
editor-invalid = The form has problems; see the marked fields.
field-in-use = Articles still use this; move them first.

# Sections, tags, authors
terms-sections-title = Sections
terms-tags-title = Tags
terms-authors-title = Authors
terms-add-section = Add a section
terms-add-tag = Add a tag
terms-add-author = Add an author
terms-add = Add
terms-name = Name
terms-position = Position in the menu
terms-bio = Biography
terms-photo = Photo
terms-save = Save
terms-delete = Delete
terms-delete-confirm = Delete this for good?
terms-saved = Saved.
terms-deleted = Deleted.
terms-articles = { $n ->
    [one] one article
   *[other] { $n } articles
}

# Users and the account
users-title = People
account-title = Your account
users-role = Role
users-add = Add a person to this site
users-name-hint = Needed for a new account; an existing account keeps its name.
users-add-button = Add
users-remove = Remove from this site
users-remove-confirm = Remove this person's role on this site?
users-not-yourself = You cannot lower or remove your own administrator role.
users-done-role = Role saved.
users-done-removed = Removed from this site.
users-done-invited = Invitation mailed. The link works for 7 days; whoever follows it makes the account with their own password.
users-done-withdrawn = Invitation withdrawn.
users-invited = Invited, not yet joined
users-invited-on = sent { $date }
users-withdraw = Withdraw
users-invite-hint = An address without an account is mailed an invitation: nobody but its owner chooses the password.
users-mail-off = Mail is not set up (smtp_url): invitations wait in the outbox until it is.
invite-title = Join the newsroom
invite-intro = You are invited to join as { $role }. Choose your name and password.
invite-name = Your name
invite-password = Password
invite-repeat = Password again
invite-accept = Make my account
invite-unknown = This invitation is unknown, used or expired. Ask the site's administrator for a new one.
invite-mail-subject = { $inviter } invites you to { $site }'s newsroom
invite-mail-body = { $inviter } invites you to work on { $site } as { $role }.

    Make your account, with a password of your own, here (the link works for 7 days):
    { $link }

    If you did not expect this mail, ignore it: nothing happens without the link.
account-change-password = Change your password
account-current = Current password
account-new = New password
account-repeat = New password again
account-rules = At least 10 characters. Your other sessions end when it changes.
account-save = Change password
account-password-changed = Password changed; your other sessions were ended.
account-mismatch = The two new passwords differ.
account-too-short = A password needs at least 10 characters.
account-too-long = A password may have at most 1,024 characters.
account-wrong-current = The current password is wrong.
account-tokens = API tokens
account-tokens-hint = A token lets a program use the API as you, with your roles. It is shown once; it ends when you revoke it, when its end comes, or when your password changes.
account-token-new = Your new token. Copy it now: it will not be shown again.
account-token-name = Name
account-token-created = Made
account-token-last-used = Last used
account-token-expires = Ends
account-token-never = Never
account-token-expired = Ended
account-token-days = In { $days } days
account-token-create = Make a token
account-token-revoke = Revoke
account-token-revoked = The token was revoked; requests with it are refused.
account-token-none = You have no tokens.
account-token-name-required = Give the token a name, such as the program that uses it.
account-token-name-long = A token's name may have at most 100 characters.
account-token-name-taken = You already have a token of that name.
account-token-days-unknown = Choose one of the ends offered.

# Comment moderation
queue-title = Comments
queue-status-pending = Waiting
queue-status-approved = Approved
queue-status-rejected = Rejected
queue-status-deleted = Deleted
queue-article = Article number
queue-filter = Show
queue-reason = Reason (shown to moderators)
queue-reason-terms = Breaks the terms of use
queue-reason-spam = Spam or advertising
queue-reason-offtopic = Off topic
queue-approve-chosen = Approve chosen
queue-reject-chosen = Reject chosen
queue-delete-chosen = Delete chosen
queue-delete-confirm = Delete the chosen comments? They stay in storage, marked deleted.
queue-held = Held by screening:
queue-decided = Decided by { $name }
queue-approve = Approve
queue-reject = Reject
queue-ban-email = Ban this e-mail
queue-ban-ip = Ban { $range }
queue-ban-confirm = Refuse further comments from this sender?
queue-empty = No comments here.
queue-bans = Bans
queue-no-bans = Nobody is banned.
queue-ban-kind = Ban by
queue-ban-value = E-mail address or IP range (203.0.113.0/24)
queue-ban = Ban
queue-unban = Lift
queue-unknown-status = Unknown status: use pending, approved, rejected or deleted.
queue-bad-article = The article must be given by its number.
queue-unknown-decision = Unknown decision: use approve, reject, delete or pending.
queue-none-chosen = Choose at least one comment.
queue-bad-ban = Give an e-mail address, or an IP address or range such as 203.0.113.0/24.
queue-done-approved = Approved.
queue-done-rejected = Rejected.
queue-done-deleted = Deleted.
queue-done-pending = Back to waiting.
queue-done-banned = Banned.
queue-done-unbanned = Ban lifted.
settings-feeds = Feeds
settings-feed-content = What feeds carry of each article
feed-content-full = The full text
feed-content-summary = The summary only (readers follow the link for the rest)
settings-comments = Reader comments
settings-comment-mode = Moderation
comment-mode-pre = Pre-moderation: every comment waits for approval
comment-mode-post = Post-moderation: comments appear at once unless screening holds them
comment-mode-closed = Closed: no new comments
comment-mode-inherit = As the site (or section) says
settings-comment-max = Longest comment (characters)
settings-comment-close = Close comments after (days; 0 keeps them open)
settings-comment-close-hint = Counted from each article's publication.
settings-security-mode = Security code
security-mode-image = Image code, with an automatic check for readers who cannot read it
security-mode-pow = Automatic check in the browser (the image only without JavaScript)
settings-banned-terms = Banned terms (one per line, English or Arabic)
settings-banned-terms-hint = Comments containing them wait for a moderator. Matching ignores case, Arabic diacritics, tatweel and letter variants, stretched letters and look-alike digits.
field-out-of-range = Enter a whole number up to { $limit }.
queue-status-reported = Reported
queue-reports = Readers report:
queue-score = Classifier: { $percent }% likely to be rejected
queue-keep = Keep (dismiss reports)
settings-trust-after = Approved comments before a confirmed commenter skips pre-moderation
settings-distrust = Back to pre-moderation when recent rejections reach (percent)
settings-classifier = Hold comments the classifier rates at or above (percent; 100 never holds)
settings-classifier-hint = The classifier learns from this site's approvals and rejections; it starts scoring after ten of each.
editor-delete = Move to the trash
editor-delete-confirm = Move this article to the trash? Editors can restore it.
desk-trash = Trash
desk-restore = Restore
dashboard-comments = Comments waiting for moderation
dashboard-comments-link = Open the moderation queue
setup-title = Create the first administrator
setup-intro = Nobody has an account yet. This account can do everything on every site of this install, including adding the other people of the newsroom.
setup-email = E-mail
setup-name = Name
setup-password = Password
setup-create = Create and log in
queue-min-score = Classifier score at least (percent)
queue-bad-score = The score filter is a whole number from 0 to 100.
