# UI strings of reader comments.
comment-form-title = أضف تعليقًا
comment-mandatory = الحقول المطلوبة *
comment-name = الاسم *
comment-email = البريد الإلكتروني *
comment-email-hint = لا يظهر للقرّاء.
comment-title = عنوان التعليق *
comment-body = التعليق *
comment-chars-left = { $n } : حرفًا متبقيًا
comment-leave-empty = اترك هذا الحقل فارغًا
comment-terms-title = شروط الاستخدام
comment-agree = أوافق على شروط الاستخدام *
comment-code = رمز الحماية *
comment-code-alt = رمز الحماية: اكتب الحروف والأرقام الظاهرة في الصورة
comment-code-new = اعرض رمزًا جديدًا
comment-code-alternative = لا تستطيع قراءته؟ دع متصفحك يثبت أنك شخص
comment-code-working = جارٍ التحقق…
comment-code-done = تم التحقق: لا حاجة إلى كتابة الرمز.
comment-code-failed = تعذّر التحقق التلقائي؛ اكتب الرمز الظاهر في الصورة.
comment-code-busy = طُلبت رموز تحقق كثيرة للتو. حاول مجددًا بعد دقيقة.
comment-send = أرسل التعليق
comment-has-errors = يرجى تصحيح الحقول المشار إليها؛ نصك محفوظ.
comment-notice-pending = شكرًا. تعليقك بانتظار المراجعة ويظهر بعد الموافقة عليه.
comment-notice-published = شكرًا. نُشر تعليقك.
comments-closed = التعليقات مغلقة على هذا المقال.
comment-preview-note = يعلّق القرّاء على المقال المنشور.
comments-order = الترتيب:
comments-oldest = الأقدم أولًا
comments-newest = الأحدث أولًا
comment-reply-to = ردًا على
comments-pages = صفحات التعليقات
comments-previous = التعليقات السابقة
comments-more = مزيد من التعليقات
comment-closed = التعليقات مغلقة على هذا المقال.
comment-banned = لا تُقبل تعليقاتك على هذا الموقع.
comment-too-many = أرسلت عدة تعليقات في وقت قصير. يرجى الانتظار عشر دقائق.
comment-cross-site = يجب إرسال هذا النموذج من صفحات الموقع نفسه.
comment-error-field-required = هذا الحقل مطلوب.
comment-error-field-too-long = طويل جدًا: { $limit } حرفًا على الأكثر.
comment-error-field-invalid-email = أدخل عنوان بريد إلكتروني مثل name@example.com.
comment-error-field-must-agree = ضع علامة في المربع للموافقة على شروط الاستخدام.
comment-error-field-wrong-code = رمز الحماية غير صحيح أو انتهت صلاحيته. اكتب الرمز الظاهر في الصورة الجديدة.
card-comments = { $n ->
    [zero] لا تعليقات
    [one] تعليق واحد
    [two] تعليقان
    [few] { $n } تعليقات
   *[other] { $n } تعليقًا
}
comment-notice-reported = شكرًا. سينظر المشرفون في التعليق الذي أبلغت عنه.
report-open = أبلغ عن هذا التعليق
report-why = لماذا؟
report-reason-offensive = يخالف الشروط (إساءة أو تحريض)
report-reason-spam = رسائل مزعجة أو إعلان
report-reason-off_topic = خارج الموضوع
report-reason-other = سبب آخر
report-note = تفاصيل (اختياري)
report-send = أبلغ
report-reason-needed = اختر سبب الإبلاغ عن التعليق.
report-too-many = أرسلت بلاغات كثيرة؛ يرجى الانتظار ساعة.
verify-mail-subject = أكّد عنوان بريدك الإلكتروني لدى { $site }
verify-mail-body = مرحبًا،

    علّقت على { $site }. أكّد أن هذا العنوان لك بفتح هذا الرابط خلال سبعة أيام:

    { $link }

    يُنشر أسرع للمعلّقين الذين يؤكدون عناوينهم ويلتزمون بشروط الاستخدام. إن لم تعلّق، فتجاهل هذه الرسالة.
verify-title = تأكيد بريدك الإلكتروني
verify-ask = اضغط الزر لتأكيد العنوان الذي تعلّق به، وسيُعرف هذا المتصفح بعدها بأنه لك في هذا الموقع.
verify-button = أكّد عنواني
verify-done-title = تأكّد العنوان
verify-done = شكرًا: تأكّد عنوان بريدك الإلكتروني. تُحتسب تعليقاتك في رصيدك على هذا الموقع.
verify-failed-title = هذا الرابط لا يعمل
verify-failed = رابط التأكيد خاطئ أو مستعمل أو منتهي الصلاحية. علّق مجددًا لتصلك رسالة جديدة.
notice-home = العودة إلى الصفحة الرئيسية
