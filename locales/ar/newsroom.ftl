# نصوص غرفة الأخبار بالعربية.
newsroom-name = غرفة الأخبار
newsroom-login-title = تسجيل الدخول إلى غرفة الأخبار
newsroom-email = البريد الإلكتروني
newsroom-password = كلمة المرور
newsroom-login = دخول
newsroom-logout = خروج
newsroom-email-invalid = أدخل عنوان بريد إلكتروني مثل name@example.com.
newsroom-login-failed = البريد الإلكتروني أو كلمة المرور غير صحيحة.
newsroom-busy = يجري التحقق من تسجيلات دخول كثيرة الآن. حاول مجددًا بعد لحظة.
newsroom-throttled = محاولات فاشلة كثيرة. حاول مجددًا بعد { $seconds } ثانية.
newsroom-cross-site = يجب إرسال هذا النموذج من صفحات غرفة الأخبار نفسها.
newsroom-dashboard-title = لوحة التحكم
newsroom-welcome = أهلًا، { $name }
newsroom-your-sites = مواقعك
newsroom-no-roles = ليس لديك دور في أي موقع بعد. اطلب ذلك من أحد المديرين.
newsroom-role-admin = مدير
newsroom-role-editor = محرر
newsroom-role-reporter = مراسل
newsroom-role-moderator = مشرف تعليقات
newsroom-menu = قائمة غرفة الأخبار
newsroom-no-access = ليس لديك دور في هذا الموقع. اطلب ذلك من أحد المشرفين.

# Workflow states and steps
state-draft = مسودة
state-in_review = قيد المراجعة
state-scheduled = مجدول
state-published = منشور
state-unpublished = أُلغي نشره
action-update = تحديث
action-save = حفظ
action-submit = إرسال للمراجعة
action-return_to_draft = إعادة إلى المسودات
action-publish = نشر
action-schedule = جدولة
action-unpublish = إلغاء النشر
workflow-not-allowed = دورك لا يسمح بهذا الإجراء على هذا المقال.
workflow-wrong-state = حالة هذا المقال لا تسمح بهذه الخطوة. أعد تحميل الصفحة لترى حالته الحالية.
workflow-schedule-past = اختر وقت نشر في المستقبل.
workflow-schedule-missing = اختر موعد نشر المقال.
workflow-unknown-action = خطوة غير معروفة.

# The desk (article lists)
desk-title = المقالات
desk-new = مقال جديد
desk-all = الكل
desk-filter = التصفية حسب الحالة
desk-state = الحالة
desk-writer = الكاتب
desk-edited = آخر تعديل
desk-empty = لا مقالات هنا بعد.
desk-pages = الصفحات
desk-newer = الأحدث
desk-older = الأقدم
desk-unknown-state = حالة غير معروفة: استخدم draft أو in_review أو scheduled أو published أو unpublished.

# The editor
editor-title-new = مقال جديد
editor-title-edit = تحرير المقال
editor-preview = معاينة
editor-view-live = عرض على الموقع
editor-has-errors = بعض الحقول تحتاج إلى تصحيح؛ لم يضِع شيء مما كتبته.
editor-chars-left = { "{n}" } حرفًا متبقيًا
editor-toolbar = التنسيق
editor-paragraph = فقرة
editor-subheading = عنوان فرعي
editor-minor-subheading = عنوان فرعي صغير
editor-quote = اقتباس
editor-bold = عريض
editor-italic = مائل
editor-bullets = قائمة نقطية
editor-numbers = قائمة مرقمة
editor-link = رابط
editor-link-prompt = عنوان الرابط (https://…)
editor-link-invalid = استخدم عنوانًا يبدأ بـ https:// أو http:// أو mailto: أو /.
editor-unlink = إزالة الرابط
editor-body-hint = تُحفظ الفقرات والعناوين الفرعية والاقتباسات والقوائم والروابط؛ ويُزال أي تنسيق آخر.
editor-publishing = النشر
editor-published-at = نُشر أول مرة:
editor-time-zone = الوقت بتوقيت الموقع ({ $zone })؛ يُستخدم عند الجدولة.
editor-unpublish-confirm = هل تريد سحب هذا المقال من الموقع؟
editor-placement = القسم والكلمات الدالة
editor-choose = اختر…
editor-tags-hint = افصل بين الكلمات الدالة بفواصل.
editor-credit = المكان والمصدر
editor-credit-hint = وكالة (أ ف ب) لمواد الوكالات؛ اتركه فارغًا لمقالات المحررين.
editor-lead-image = الصورة الرئيسية
editor-no-image = بلا صورة
editor-search-links = محركات البحث والروابط
editor-slug-hint = اتركه فارغًا ليُصنع من العنوان.
editor-translations = الترجمات المرتبطة:
editor-restored = استُعيدت التعديلات التي لم تحفظها ({ $time }). احفظ للإبقاء عليها.
editor-conflict = حفظ { $name } هذا المقال في { $time } أثناء تحريرك له. نصك محفوظ أدناه: قارنه بالنسخة الحالية ثم احفظ مجددًا لتحل نسختك محلها.
editor-too-large = المقال أكبر من أن يُحفظ.
editor-done-save = حُفظ.
editor-done-submit = أُرسل للمراجعة.
editor-done-return_to_draft = أُعيد إلى المسودات.
editor-done-publish = نُشر.
editor-done-schedule = جُدول.
editor-done-unpublish = سُحب من الموقع.
editor-done-correct = أُضيف التصويب.
autosave-saving = جارٍ الحفظ…
autosave-saved = حُفظ في {"{time}"}
autosave-offline = غير متصل: تعديلاتك محفوظة في هذا المتصفح
autosave-failed = تعذّر الحفظ التلقائي: {"{reason}"}
autosave-restored = استُعيدت تعديلات محفوظة في هذا المتصفح في {"{time}"}

# Fields
field-headline = العنوان
field-seo_title = العنوان لمحركات البحث
field-slug = الاسم اللطيف (العنوان في الرابط)
field-standfirst = المقدمة
field-body_html = النص
field-section = القسم
field-tags = الكلمات الدالة
field-authors = الكتّاب
field-dateline_place = مكان الخبر
field-source_credit = المصدر
field-lead_media = الصورة
field-lead_caption = التعليق
field-lead_credit = حقوق الصورة
field-lead_alt = النص البديل
field-lead_media_id = الصورة
field-translation_of = ترجمة للمقال رقم
field-publish_at = وقت النشر
field-minor = تعديل طفيف (لا يغيّر "آخر تحديث")
field-required = هذا الحقل مطلوب.
field-too-long = طويل جدًا: { $limit } حرفًا على الأكثر.
field-invalid-slug = استخدم حروفًا صغيرة وأرقامًا وشرطات مفردة.
field-unknown-choice = اختر إحدى القيم المعروضة.
field-too-many-tags = { $limit } كلمة دالة على الأكثر.
field-invalid-time = أدخل تاريخًا ووقتًا مثل 2026-12-01 09:30.

# Revisions
revisions-title = المراجعات
revisions-back = العودة إلى المحرر
revisions-from = قارن
revisions-to = مع
revisions-compare = اعرض التغييرات
revisions-changes = التغييرات من #{ $from } إلى #{ $to }
revisions-same = لا فروق.
revisions-history = السجل
revisions-restore = استعادة هذه المراجعة
revisions-restore-confirm = هل تريد استبدال النص الحالي بهذه المراجعة؟
revisions-conflict = حفظ أحدهم هذا المقال في الأثناء؛ افتح السجل مجددًا وأعد المحاولة.

# Corrections
correction-note = نص التصويب (يظهر للقرّاء)
correction-add = أضف تصويبًا
correction-invalid = اكتب تصويبًا لا يتجاوز 1000 حرف.
correction-not-published = تُضاف التصويبات إلى المقالات المنشورة.

# Audit log
audit-title = سجل التدقيق
audit-when = متى
audit-who = من
audit-action = الإجراء
audit-subject = الموضوع
audit-system = المجدول
audit-empty = لم يُسجَّل شيء بعد.

# Dashboard
dashboard-in-review = بانتظار المراجعة
dashboard-scheduled = مجدولة
dashboard-recent = نُشرت مؤخرًا
dashboard-drafts = مسوداتك
dashboard-nothing = لا شيء هنا.

# Media library
media-title = الوسائط
media-upload = رفع صورة
media-file = ملف الصورة (JPEG أو PNG أو WebP)
media-hint = { $mb } ميغابايت على الأكثر. تُصنع فورًا نسخ مصغّرة للهواتف والشاشات العريضة.
media-upload-button = رفع
media-uploaded = رُفعت الصورة رقم { $id }. اخترها صورةً رئيسية في المحرر.
media-variants = { $n ->
    [zero] بلا نسخ مصغّرة
    [one] نسخة مصغّرة واحدة
    [two] نسختان مصغّرتان
    [few] { $n } نسخ مصغّرة
   *[other] { $n } نسخة مصغّرة
}
media-none = لا صور بعد.
media-empty = اختر ملف صورة لرفعه.
media-too-large = الملف كبير جدًا: 20 ميغابايت على الأكثر.
media-busy = تجري معالجة صور كثيرة الآن. حاول مجددًا بعد ثوانٍ.
media-not-an-image = هذا الملف ليس صورة JPEG أو PNG أو WebP.
media-too-many-pixels = في الصورة بكسلات أكثر من اللازم: 12000 على الأكثر في كل ضلع و60 ميغابكسل.
media-unreadable = الصورة تالفة أو تتعذّر قراءتها.
media-bad-form = لم يصل الملف كاملًا؛ حاول مجددًا.
editor-upload-image = رفع صورة جديدة (يفتح مكتبة الوسائط)

# Site settings
settings-title = الإعدادات
settings-saved = حُفظت الإعدادات وصار الموقع يعرضها.
settings-brand = الاسم والشعار
settings-name = اسم الموقع
settings-description = الوصف (لمحركات البحث والخلاصات)
settings-logo = الشعار (صورة من مكتبة الوسائط)
settings-no-logo = بلا شعار: يُعرض الاسم
settings-dates = الوقت والتواريخ
settings-time-zone = المنطقة الزمنية
settings-time-zone-hint = اسم IANA مثل GMT أو Asia/Beirut أو Asia/Dubai.
settings-format-list = التاريخ في قوائم المقالات
settings-format-hint = العناصر المتاحة: {"{"}yyyy{"}"} {"{"}MM{"}"} {"{"}M{"}"} {"{"}dd{"}"} {"{"}d{"}"} {"{"}HH{"}"} {"{"}mm{"}"} {"{"}ss{"}"} {"{"}weekday{"}"} {"{"}month{"}"} {"{"}zone{"}"}
settings-format-published = تاريخ النشر في المقالات
settings-format-updated = ختم "آخر تحديث"
settings-social = حسابات التواصل الاجتماعي
settings-footer = التذييل
settings-publisher = سطر الناشر
settings-copyright = سطر الحقوق
settings-address = العنوان البريدي
settings-terms = شروط الاستخدام
settings-terms-text = شروط النشر التي يوافق عليها القرّاء عند التعليق
settings-terms-hint = تظهر بجانب نموذج التعليق؛ كل تعديل نسخة جديدة تسجّلها التعليقات.
settings-save = حفظ الإعدادات
field-unknown-time-zone = منطقة زمنية غير معروفة: استخدم اسم IANA مثل Asia/Beirut.
field-invalid-pattern = عنصر غير معروف أو قوس غير مغلق في هذا النمط.
field-invalid-url = أدخل عنوانًا كاملًا يبدأ بـ https://.
field-taken = هذا العنوان مستخدم؛ اختر اسمًا لطيفًا آخر.
editor-invalid = في النموذج أخطاء؛ راجع الحقول المعلَّمة.
field-in-use = ما زالت مقالات تستخدم هذا؛ انقلها أولًا.

# Sections, tags, authors
terms-sections-title = الأقسام
terms-tags-title = الكلمات الدالة
terms-authors-title = الكتّاب
terms-add-section = إضافة قسم
terms-add-tag = إضافة كلمة دالة
terms-add-author = إضافة كاتب
terms-add = أضف
terms-name = الاسم
terms-position = الترتيب في القائمة
terms-bio = نبذة
terms-photo = الصورة
terms-save = حفظ
terms-delete = حذف
terms-delete-confirm = هل تريد الحذف نهائيًا؟
terms-saved = حُفظ.
terms-deleted = حُذف.
terms-articles = { $n ->
    [zero] لا مقالات
    [one] مقال واحد
    [two] مقالان
    [few] { $n } مقالات
   *[other] { $n } مقالًا
}

# Users and the account
users-title = الأشخاص
account-title = حسابك
users-role = الدور
users-add = إضافة شخص إلى هذا الموقع
users-name-hint = مطلوب لحساب جديد؛ الحساب الموجود يحتفظ باسمه.
users-add-button = أضف
users-remove = إزالة من هذا الموقع
users-remove-confirm = هل تريد إزالة دور هذا الشخص في هذا الموقع؟
users-not-yourself = لا يمكنك خفض دورك كمشرف أو إزالته.
users-done-role = حُفظ الدور.
users-done-removed = أُزيل من هذا الموقع.
users-done-invited = أُرسلت الدعوة بالبريد. يعمل الرابط سبعة أيام، ومن يتبعه ينشئ الحساب بكلمة مروره.
users-done-withdrawn = سُحبت الدعوة.
users-invited = مدعوون لم ينضموا بعد
users-invited-on = أُرسلت في { $date }
users-withdraw = سحب
users-invite-hint = يُرسل إلى العنوان الذي لا حساب له دعوة بالبريد، فلا يختار كلمة المرور إلا صاحبه.
users-mail-off = البريد غير مُعدّ (smtp_url): تنتظر الدعوات في صندوق الصادر حتى يُعدّ.
invite-title = الانضمام إلى غرفة الأخبار
invite-intro = أنت مدعو للانضمام بصفة { $role }. اختر اسمك وكلمة مرورك.
invite-name = اسمك
invite-password = كلمة المرور
invite-repeat = كلمة المرور مرة أخرى
invite-accept = أنشئ حسابي
invite-unknown = هذه الدعوة غير معروفة أو مستعملة أو منتهية. اطلب دعوة جديدة من مدير الموقع.
invite-mail-subject = يدعوك { $inviter } إلى غرفة أخبار { $site }
invite-mail-body = يدعوك { $inviter } إلى العمل في { $site } بصفة { $role }.

    أنشئ حسابك بكلمة مرور خاصة بك من هنا (يعمل الرابط سبعة أيام):
    { $link }

    إن لم تكن تنتظر هذه الرسالة فتجاهلها: لا يحدث شيء من دون الرابط.
account-change-password = تغيير كلمة المرور
account-current = كلمة المرور الحالية
account-new = كلمة المرور الجديدة
account-repeat = كلمة المرور الجديدة مرة أخرى
account-rules = عشرة أحرف على الأقل. تنتهي جلساتك الأخرى عند تغييرها.
account-save = تغيير كلمة المرور
account-password-changed = تغيّرت كلمة المرور وأُنهيت جلساتك الأخرى.
account-mismatch = كلمتا المرور الجديدتان مختلفتان.
account-too-short = تحتاج كلمة المرور إلى عشرة أحرف على الأقل.
account-too-long = لا تتجاوز كلمة المرور 1024 حرفًا.
account-wrong-current = كلمة المرور الحالية غير صحيحة.
account-tokens = رموز الواجهة البرمجية
account-tokens-hint = يتيح الرمز لبرنامج أن يستخدم الواجهة البرمجية باسمك وبأدوارك. يُعرض مرة واحدة، وينتهي عند إلغائه أو عند حلول أجله أو عند تغيير كلمة مرورك.
account-token-new = رمزك الجديد. انسخه الآن فلن يُعرض مرة أخرى.
account-token-name = الاسم
account-token-created = أُنشئ
account-token-last-used = آخر استخدام
account-token-expires = ينتهي
account-token-never = أبدًا
account-token-expired = انتهى
account-token-days = بعد { $days } يومًا
account-token-create = إنشاء رمز
account-token-revoke = إلغاء
account-token-revoked = أُلغي الرمز، وتُرفض الطلبات التي تحمله.
account-token-none = ليست لديك رموز.
account-token-name-required = سمِّ الرمز، باسم البرنامج الذي يستخدمه مثلًا.
account-token-name-long = لا يتجاوز اسم الرمز 100 حرف.
account-token-name-taken = لديك رمز بهذا الاسم.
account-token-days-unknown = اختر أحد الآجال المعروضة.

# Comment moderation
queue-title = التعليقات
queue-status-pending = بانتظار المراجعة
queue-status-approved = مقبولة
queue-status-rejected = مرفوضة
queue-status-deleted = محذوفة
queue-article = رقم المقال
queue-filter = اعرض
queue-reason = السبب (يراه المشرفون)
queue-reason-terms = يخالف شروط الاستخدام
queue-reason-spam = رسائل مزعجة أو إعلان
queue-reason-offtopic = خارج الموضوع
queue-approve-chosen = اقبل المحدد
queue-reject-chosen = ارفض المحدد
queue-delete-chosen = احذف المحدد
queue-delete-confirm = هل تريد حذف التعليقات المحددة؟ تبقى محفوظة بحالة محذوفة.
queue-held = أوقفها الفحص:
queue-decided = قرّر ذلك { $name }
queue-approve = اقبل
queue-reject = ارفض
queue-ban-email = احظر هذا البريد
queue-ban-ip = احظر { $range }
queue-ban-confirm = هل تريد رفض التعليقات القادمة من هذا المرسل؟
queue-empty = لا تعليقات هنا.
queue-bans = الحظر
queue-no-bans = لا أحد محظور.
queue-ban-kind = الحظر حسب
queue-ban-value = البريد الإلكتروني أو نطاق IP (203.0.113.0/24)
queue-ban = احظر
queue-unban = ارفع الحظر
queue-unknown-status = حالة غير معروفة: استخدم pending أو approved أو rejected أو deleted.
queue-bad-article = يُحدَّد المقال برقمه.
queue-unknown-decision = قرار غير معروف: استخدم approve أو reject أو delete أو pending.
queue-none-chosen = اختر تعليقًا واحدًا على الأقل.
queue-bad-ban = أدخل بريدًا إلكترونيًا، أو عنوان IP أو نطاقًا مثل 203.0.113.0/24.
queue-done-approved = قُبل.
queue-done-rejected = رُفض.
queue-done-deleted = حُذف.
queue-done-pending = أُعيد إلى الانتظار.
queue-done-banned = حُظر.
queue-done-unbanned = رُفع الحظر.
settings-feeds = الخلاصات
settings-feed-content = ما تحمله الخلاصات من كل مقال
feed-content-full = النص كاملًا
feed-content-summary = الملخص فقط (ويتابع القارئ الرابط لبقية النص)
settings-comments = تعليقات القرّاء
settings-comment-mode = الإشراف
comment-mode-pre = إشراف مسبق: ينتظر كل تعليق الموافقة
comment-mode-post = إشراف لاحق: تظهر التعليقات فورًا ما لم يوقفها الفحص
comment-mode-closed = مغلقة: لا تعليقات جديدة
comment-mode-inherit = كما يقرر الموقع (أو القسم)
settings-comment-max = أطول تعليق (بالأحرف)
settings-comment-close = إغلاق التعليقات بعد (أيام؛ 0 يبقيها مفتوحة)
settings-comment-close-hint = تُحسب من تاريخ نشر كل مقال.
settings-security-mode = رمز الحماية
security-mode-image = رمز في صورة، مع تحقق تلقائي لمن لا يستطيع قراءته
security-mode-pow = تحقق تلقائي في المتصفح (والصورة فقط من دون جافاسكربت)
settings-banned-terms = الكلمات المحظورة (كلمة في كل سطر، بالعربية أو الإنجليزية)
settings-banned-terms-hint = تنتظر التعليقات التي تحتويها مشرفًا. تتجاهل المطابقة حالة الأحرف والتشكيل والتطويل وصور الحروف وتكرارها والأرقام الشبيهة.
field-out-of-range = أدخل عددًا صحيحًا حتى { $limit }.
queue-status-reported = مُبلَّغ عنها
queue-reports = بلاغات القرّاء:
queue-score = المصنّف: احتمال الرفض { $percent }٪
queue-keep = أبقِ (تجاهل البلاغات)
settings-trust-after = عدد التعليقات المقبولة قبل أن يتجاوز المعلّق المؤكَّد الإشراف المسبق
settings-distrust = العودة إلى الإشراف المسبق عندما تبلغ نسبة الرفض الأخيرة (بالمئة)
settings-classifier = أوقف التعليقات التي يقدّرها المصنّف عند هذه النسبة أو أعلى (بالمئة؛ 100 لا يوقف شيئًا)
settings-classifier-hint = يتعلّم المصنّف من قرارات القبول والرفض في هذا الموقع؛ ويبدأ التقدير بعد عشرة من كل منها.
editor-delete = نقل إلى سلة المحذوفات
editor-delete-confirm = هل تريد نقل هذا المقال إلى سلة المحذوفات؟ يستطيع المحررون استعادته.
desk-trash = سلة المحذوفات
desk-restore = استعادة
dashboard-comments = تعليقات بانتظار المراجعة
dashboard-comments-link = افتح قائمة المراجعة
setup-title = إنشاء أول مشرف
setup-intro = لا أحد لديه حساب بعد. يستطيع هذا الحساب فعل كل شيء في كل مواقع هذا التثبيت، ومنه إضافة بقية فريق غرفة الأخبار.
setup-email = البريد الإلكتروني
setup-name = الاسم
setup-password = كلمة المرور
setup-create = أنشئ وسجّل الدخول
queue-min-score = تقدير المصنّف لا يقل عن (بالمئة)
queue-bad-score = مرشّح التقدير عدد صحيح من 0 إلى 100.

## The wire desk
wire-title = مكتب الوكالات
wire-item-title = مادة من الوكالة
wire-sources-title = مصادر الوكالات
wire-received = الوصول
wire-source = المصدر
wire-headline = العنوان
wire-outcome = الحالة
wire-update = تحديث
wire-embargoed = محظور النشر حتى
wire-open-story = افتح الخبر
wire-empty = لم يصل شيء من الوكالات بعد.
wire-outcome-pending = قيد الاستلام
wire-outcome-queued = بانتظار التحرير
wire-outcome-published = منشور
wire-outcome-scheduled = مجدول
wire-outcome-updated = حُدّث الخبر
wire-outcome-held = تحديث بانتظار القرار
wire-outcome-killed = ملغى
wire-outcome-skipped = تُجوهل
wire-outcome-refused = مرفوض
wire-outcome-taken = أُخذ
wire-outcome-dismissed = مستبعد
wire-killed-note = ألغت الوكالة هذه المادة: يجب ألا تُنشر.
wire-notes = ملاحظات للمحررين
wire-notes-hint = من الوكالة، للمكتب وحده: لا تُنشر أبداً.
wire-keywords = الكلمات المفتاحية
wire-held-hint = عدّل المكتب هذا الخبر بعد آخر نسخة من الوكالة. التطبيق يستبدل العنوان والملخص والنص ومكان الخبر والمصدر بنص الوكالة، ويبقى نص المكتب في المراجعات.
wire-apply = طبّق هذه النسخة على الخبر
wire-take = خذها
wire-into-edition = النسخة
wire-translation-of = ترجمةً للخبر رقم (اختياري)
wire-take-draft = خذها مسودةً
wire-take-publish = انشر
wire-dismiss = استبعد
wire-killed = ألغت الوكالة هذه المادة: لا يمكن أخذها.
wire-nothing-held = لا نسخة أحدث من هذا الخبر بانتظار القرار.
wire-mode-queue = انتظار في مكتب الوكالات
wire-mode-publish = النشر فوراً
wire-updates-desk = تحديثات الأخبار التي عدّلها المكتب تنتظر محرراً
wire-updates-wire = التحديثات تُطبَّق دائماً
wire-folder = مجلد الاستلام
wire-health = { $taken } مادة أُخذت، { $refused } رُفضت
wire-last-fetch = آخر ملف
wire-last-success = آخر نجاح
wire-subjects = المواضيع والأقسام
wire-subjects-none = لا موضوع مربوط بقسم: كل مادة تذهب إلى القسم الأول.
wire-subjects-hint = رمز موضوع كما ترسله الوكالة (medtop:04000000، subj:15000000). اربط * لتختار القسم الذي تذهب إليه المواد التي لا موضوع مربوطاً لها.
wire-subject = رمز الموضوع
wire-section = القسم
wire-subject-add = اربط
wire-subject-remove = أزل
wire-source-setup = إعداد مصدر
wire-source-setup-hint = ملفات المصدر تُوضع في مجلد استلامه داخل مجلد البيانات. حفظ اسم موجود يغيّر ذلك المصدر.
wire-source-name = الاسم (المجلد)
wire-source-label = التسمية
wire-source-mode = المواد الجديدة
wire-source-updates = التحديثات
wire-source-save = احفظ المصدر
wire-polled = يُجلب كل { $seconds } ثانية من
wire-source-edit = غيّر
wire-source-url = عنوان الجلب (اختياري)
wire-source-url-hint = عنوان http:// أو https:// لملف NewsML-G2 أو ninjs أو RSS أو Atom، يُجلب فقط إذا تغيّر.
wire-source-poll = الثواني بين مرتين من الجلب
wire-all-sources = كل المصادر
dashboard-wire-link = مواد الوكالات بانتظار محرر

## Redirects
redirects-title = التحويلات
redirects-hint = عناوين قديمة لهذا الموقع (روابط من قبل انتقاله إلى ديتلاين) وإلى أين تقود الآن. القارئ أو محرك البحث الذي يتبع أحدها يُحوَّل تحويلاً دائماً.
redirects-old = العنوان القديم
redirects-target = يقود إلى
redirects-target-hint = رقم خبر، أو مسار في هذا الموقع مثل /politics
redirects-created = أُضيف
redirects-add = أضف التحويل
redirects-remove = أزل
redirects-empty = لا تحويل بعد.

## التغطية المباشرة
live-title = تغطية مباشرة
live-public-page = افتح الصفحة العامة
live-state-live = مباشر الآن
live-state-ended = انتهت التغطية
live-state-none = ليست مباشرة
live-start = ابدأ التغطية المباشرة
live-end = أنهِ التغطية
live-entry-headline = عنوان (اختياري)
live-entry-body = التحديث
live-entry-body-hint = نص عادي: سطر فارغ يبدأ فقرة جديدة. الروابط والصور بلغة HTML.
live-entry-key-event = حدث رئيسي (يُلخَّص في الأعلى)
live-entry-post = انشر التحديث
live-key-event = حدث رئيسي
live-correction = صُحّح:
live-correct = صحّح هذا التحديث
live-correction-note = ما الذي صُحّح (يظهر للقراء)
live-empty = لا تحديثات بعد.
live-not-live = القصة ليست مباشرة: ابدأ تغطيتها المباشرة أولًا.
live-open = التغطية المباشرة
live-remove = احذف هذا التحديث
live-remove-reason = السبب (يُحفظ في سجل التدقيق)
live-entry-picture = صورة (من مكتبة الوسائط)
