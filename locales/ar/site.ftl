# نصوص واجهة الموقع العربي. كل معرّف هنا يجب أن يوجد في locales/en/site.ftl.

skip-to-content = انتقل إلى المحتوى
nav-sections = الأقسام
nav-home = الرئيسية
nav-archive = الأرشيف
edition-switch = English
edition-switch-label = اقرأ هذا الموقع بالإنجليزية

home-lead = الخبر الرئيسي
home-latest = آخر الأخبار
home-more-in = المزيد في { $section }

article-last-updated = آخر تحديث :
article-published = نُشر
article-by = بقلم
article-source = المصدر:
article-photo = تصوير:
article-tags = الكلمات الدالة
article-more = مقالات أخرى
article-comments = تعليقات القرّاء
article-comments-empty = لا توجد تعليقات بعد.
article-corrections = تصويبات
article-preview-notice = معاينة: لا يرى القرّاء هذه النسخة بعد.
article-translation = Read this article in English

list-section = { $section }
list-tag = وسم: { $tag }
list-author = مقالات { $author }
list-archive = الأرشيف
list-archive-month = أرشيف { $month } { $year }
list-articles-count = { $count ->
    [zero] لا توجد مقالات
    [one] مقال واحد
    [two] مقالان
    [few] { $count } مقالات
    [many] { $count } مقالًا
   *[other] { $count } مقال
}
list-empty = لا توجد مقالات هنا بعد.
pager-label = الصفحات
pager-previous = الصفحة السابقة
pager-next = الصفحة التالية
pager-status = الصفحة { $page } من { $pages }

footer-follow = تابعونا
social-facebook = فيسبوك
social-twitter = إكس (تويتر)
social-youtube = يوتيوب
social-rss = آر إس إس
footer-address = العنوان

corrections-policy-name = سياسة التصحيح
corrections-policy = إذا أخطأنا في معلومة صحّحنا المقال فورًا وأضفنا تحته ملاحظة تصحيح مؤرّخة تبيّن ما تغيّر.
error-not-found-title = الصفحة غير موجودة
error-not-found-text = لم نعثر على الصفحة التي طلبتها. ربما نُقلت أو حُذفت.
error-bad-request-title = طلب غير صالح
error-bad-request-text = الرابط الذي اتبعته غير صالح: { $reason }
error-server-title = حدث خطأ ما
error-server-text = تعذّر عرض هذه الصفحة. يُرجى المحاولة بعد قليل.
error-back-home = العودة إلى الصفحة الرئيسية

day-monday = الاثنين
day-tuesday = الثلاثاء
day-wednesday = الأربعاء
day-thursday = الخميس
day-friday = الجمعة
day-saturday = السبت
day-sunday = الأحد
month-1 = كانون الثاني
month-2 = شباط
month-3 = آذار
month-4 = نيسان
month-5 = أيار
month-6 = حزيران
month-7 = تموز
month-8 = آب
month-9 = أيلول
month-10 = تشرين الأول
month-11 = تشرين الثاني
month-12 = كانون الأول
time-am = ص
time-pm = م
error-forbidden-title = غير مسموح
error-too-many-title = طلبات كثيرة جدًا

search-label = ابحث في الموقع
search-placeholder = ابحث في المقالات
search-button = بحث
search-title = بحث
search-results-for = نتائج البحث عن «{ $query }»
search-count = { $count ->
    [zero] لم يُعثر على أي مقال
    [one] مقال واحد
    [two] مقالان
    [few] { $count } مقالات
    [many] { $count } مقالًا
   *[other] { $count } مقال
}
search-empty = اكتب كلمة أو كلمتين للبحث، وضع العبارة بين علامتي تنصيص "هكذا".
search-too-long = عبارة البحث طويلة جدًا: استخدم { $limit } حرفًا على الأكثر.
search-no-words = عبارة البحث لا تحوي إلا كلمات شائعة جدًا أو رموزًا؛ جرّب كلمات أدق.
search-no-results = لا توجد مقالات تطابق «{ $query }». تحقق من الإملاء أو جرّب كلمات أخرى.
search-past-the-end = لا مزيد من النتائج. العودة إلى الصفحة الأولى.
search-bad-filter = أحد مرشحات البحث غير صالح: { $reason }
search-sort = الترتيب حسب
search-sort-relevance = الصلة
search-sort-date = الأحدث أولًا
search-section = القسم
search-section-any = كل الأقسام
search-from = من
search-until = حتى
search-apply = تطبيق
search-related = مقالات ذات صلة

## التغطية المباشرة
live-badge = مباشر
live-ended = انتهت التغطية
live-key-events = أبرز الأحداث
live-updates = آخر التحديثات
live-corrected = صُحّح:
live-new-entries = تظهر التحديثات الجديدة هنا فور نشرها.
