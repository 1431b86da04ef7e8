#!/usr/bin/env python3
"""Generated WordPress (WXR 1.2) and Disqus exports for bench/import.sh
(issue 15), in the shape of fixtures/import/wxr-1.2-courier.xml and
fixtures/import/disqus-courier.xml. Standard library only; written item by
item, and the same bytes for the same arguments. Memory stays flat (about
30 MB) but for a set of 8-byte digests of the Arabic slugs, 2 to 5 MB a
100,000 posts; 100,000 posts and 300,000 comments (855 MB) take about 15 s.

    python3 bench/import_data.py wordpress OUT.xml [--posts 100000] [--comments 300000]
        [--arabic-share 0.3] [--attachments-share 0.5] [--media-dir DIR]
        [--media-size 480x320] [--site-url https://courier.example.org]
        [--utc-offset 3] [--seed 1]
    python3 bench/import_data.py disqus OUT.xml [--threads 20000] [--posts 100000]
        [--posts-of 100000] [--arabic-share 0.3] [--site-url https://courier.example.org]
        [--utc-offset 3] [--forum thecourier] [--seed 1]

OUT may be `-` (standard output). A human summary goes to standard error,
one JSON line of counts to standard output (when OUT is a file).

WordPress: the channel header (site, 20 authors, 15 categories of which
some are children, 200 tags, Polylang's `language` terms en and ar, one
`post_translations` term a translated pair, a `nav_menu` term), then the
items in id order: 12 pages (English and Arabic, one a child page), 4 menu
items, then the posts. Post `i` (0-based) has id `100 + 4 * i`; its
attachments `id + 1` and, for a few, `id + 2` (a second picture, shown in
a `[gallery]`). Ids `id + 3` are never used: a thread or link naming one
names nothing. About `--arabic-share` of the posts are in Arabic, half of
those the translation of the English post just before (both published).
Statuses: 92.5 % publish (0.3 % of them password-protected, a few
sticky), 3 % draft, 1.5 % pending, 1 % private, 2 % trash, and the last
posts (one in 500) future. Dates run from 2012-01-01 to the day before the
export (2026-12-05 08:12:44 UTC) in id order, local time `--utc-offset`
hours ahead of UTC; drafts and pending posts have the zero GMT date as
WordPress writes it. Permalinks: `SITE/YYYY/MM/slug/` (Arabic:
`SITE/ar/YYYY/MM/%d8%a7.../`, the slug percent-encoded in lower case as
WordPress does), `SITE/?p=ID` for drafts, pending and future posts,
`slug__trashed` for trash. Titles are unique per language (a headline from
four word lists, 1,056,000 of them), so English slugs are too; Arabic
slugs are cut at 200 characters as WordPress cuts them, and about 7 % of
them then meet an earlier one and take `-2` as WordPress gives it.

Bodies: 3 to 8 paragraphs; Gutenberg blocks (most posts since 2019),
classic HTML with <p>, or classic text without <p> (as the classic editor
stores it); subheads, quotes, internal links to earlier posts, the post's
picture as a `[caption]` shortcode or an image block, `[gallery ids=..]`,
`[embed]` or a bare YouTube line, `&nbsp;` paragraphs, and now and then a
`]]>` in a code sample (written split across CDATA sections, as WordPress
does). Half the posts have a featured image (`_thumbnail_id`; a few share
an earlier post's picture); some have `_wp_old_slug` (one or two), Yoast
and plugin meta.

Comments: exactly `--comments`, over published posts (most have a few or
none, some hundreds) and a few trashed ones (`post-trashed`); about a
third reply to an earlier comment of the same post; approved 1 (88 %),
0, spam, trash; pingbacks; staff replies with a user id.

`--media-dir DIR` also writes each attachment's file at
DIR/`_wp_attached_file` (DIR/YYYY/MM/name.jpg: a local copy of
wp-content/uploads), but for 5 % of them, left missing on purpose. The
files are real baseline JPEGs of `--media-size` pixels (eight colour
gradients, encoded here; each one written once and hard-linked). Only
originals are written, not WordPress's resized copies that
`_wp_attachment_metadata` lists. A few file names are in Arabic script.

Disqus: one category, `--threads` threads, then `--posts` posts grouped
by thread (replies after their parents). Threads name the published posts
of the WordPress export made with the same --seed, --arabic-share and
--site-url and `--posts-of` = its --posts: `<id>` is "{post_id}
{guid}" for 80 % and empty for the rest; links vary (http, www., no
trailing slash, utm queries, ?p=ID, Arabic paths in upper-case escapes or
raw); 3 % are a second thread for a post already threaded; 3 % are
orphans (removed stories, archive pages, a staging host, ids no post has).
Posts: 3 % deleted, 3 % spam, some with isApproved, a few naming a thread
the export does not hold.
"""

import argparse
import calendar
import hashlib
import json
import os
import random
import shutil
import struct
import sys
import time
from functools import lru_cache
from urllib.parse import unquote
from xml.sax.saxutils import escape

EXPORT_TS = calendar.timegm((2026, 12, 5, 8, 12, 44))
FIRST_TS = calendar.timegm((2012, 1, 1, 6, 0, 0))
LAST_TS = EXPORT_TS - 86400
FIRST_POST_ID = 100
ID_STEP = 4
PAIR_SHARE = 0.5  # of Arabic posts, the translation of the English one before
MISSING_FILE_SHARE = 0.05
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Headlines: subject, verb, object, tail; English and Arabic in parallel
# (a translation keeps the same four), so 40 * 22 * 40 * 30 distinct ones
# per language. Arabic verbs come first (VSO), masculine or feminine after
# the subject.
SUBJECTS = [  # (English, Arabic, feminine)
    ("The council", "المجلس البلدي", 0), ("Port workers", "عمال المرفأ", 0),
    ("The central bank", "المصرف المركزي", 0), ("Farmers", "المزارعون", 0),
    ("Teachers", "المعلمون", 0), ("Parliament", "البرلمان", 0),
    ("Rescue teams", "فرق الإنقاذ", 1), ("Exporters", "المصدرون", 0),
    ("City officials", "مسؤولو المدينة", 0), ("Airlines", "شركات الطيران", 1),
    ("The health ministry", "وزارة الصحة", 1), ("Fishermen", "الصيادون", 0),
    ("Students", "الطلاب", 0), ("Doctors", "الأطباء", 0),
    ("The finance minister", "وزير المالية", 0), ("Residents", "السكان", 0),
    ("Traders", "التجار", 0), ("The governor", "المحافظ", 0),
    ("Unions", "النقابات", 1), ("Truck drivers", "سائقو الشاحنات", 0),
    ("Engineers", "المهندسون", 0), ("The power company", "شركة الكهرباء", 1),
    ("Hospital staff", "طواقم المستشفيات", 1), ("Bakers", "أصحاب الأفران", 0),
    ("The water authority", "مصلحة المياه", 1), ("Judges", "القضاة", 0),
    ("Young voters", "الناخبون الشباب", 0), ("Tour operators", "منظمو الرحلات", 0),
    ("The football federation", "اتحاد كرة القدم", 0), ("Archaeologists", "علماء الآثار", 0),
    ("Landlords", "أصحاب العقارات", 0), ("Nurses", "الممرضون", 0),
    ("The transport ministry", "وزارة النقل", 1), ("Village mayors", "رؤساء البلديات", 0),
    ("Shipping firms", "شركات الشحن", 1), ("Small businesses", "المؤسسات الصغيرة", 1),
    ("Museum curators", "أمناء المتاحف", 0), ("Pharmacists", "الصيادلة", 0),
    ("The environment agency", "وكالة البيئة", 1), ("Taxi drivers", "سائقو سيارات الأجرة", 0),
]
VERBS = [  # (English, Arabic masculine, Arabic feminine)
    ("rejected", "رفض", "رفضت"), ("approved", "أقر", "أقرت"), ("postponed", "أجل", "أجلت"),
    ("debated", "ناقش", "ناقشت"), ("criticised", "انتقد", "انتقدت"),
    ("announced", "أعلن", "أعلنت"), ("backed", "دعم", "دعمت"), ("opposed", "عارض", "عارضت"),
    ("reviewed", "راجع", "راجعت"), ("proposed", "اقترح", "اقترحت"),
    ("scrapped", "ألغى", "ألغت"), ("studied", "درس", "درست"), ("endorsed", "أيد", "أيدت"),
    ("adopted", "تبنى", "تبنت"), ("presented", "قدم", "قدمت"), ("amended", "عدل", "عدلت"),
    ("froze", "جمد", "جمدت"), ("revived", "أحيا", "أحيت"), ("suspended", "علق", "علقت"),
    ("funded", "مول", "مولت"), ("drafted", "أعد", "أعدت"), ("blocked", "عرقل", "عرقلت"),
]
OBJECTS = [
    ("the draft budget", "مشروع الموازنة"), ("the water plan", "خطة المياه"),
    ("the housing scheme", "مشروع الإسكان"), ("the fuel subsidy", "دعم الوقود"),
    ("the port expansion", "توسعة المرفأ"), ("the new parking rules", "قواعد ركن السيارات الجديدة"),
    ("the rail link", "مشروع السكك الحديدية"), ("the trade agreement", "الاتفاق التجاري"),
    ("the flood defence plan", "خطة الحماية من الفيضانات"), ("the school calendar", "التقويم المدرسي"),
    ("the minimum wage rise", "رفع الحد الأدنى للأجور"), ("the bread price cap", "سقف سعر الخبز"),
    ("the tourism strategy", "استراتيجية السياحة"), ("the electricity tariff", "تعرفة الكهرباء"),
    ("the fishing ban", "حظر الصيد"), ("the hospital merger", "دمج المستشفيات"),
    ("the recycling programme", "برنامج إعادة التدوير"), ("the coastal road project", "مشروع الطريق الساحلي"),
    ("the tax reform", "الإصلاح الضريبي"), ("the stadium renovation", "ترميم الملعب"),
    ("the bus network plan", "خطة شبكة الحافلات"), ("the rent control law", "قانون ضبط الإيجارات"),
    ("the festival budget", "موازنة المهرجان"), ("the airport tender", "مناقصة المطار"),
    ("the desalination plant", "محطة تحلية المياه"), ("the market relocation", "نقل السوق"),
    ("the pension reform", "إصلاح نظام التقاعد"), ("the solar farm project", "مشروع الطاقة الشمسية"),
    ("the museum extension", "توسعة المتحف"), ("the cycle lanes plan", "خطة مسارات الدراجات"),
    ("the public transport fares", "أسعار النقل العام"), ("the import quotas", "حصص الاستيراد"),
    ("the night market licence", "ترخيص السوق الليلي"), ("the old town restoration", "ترميم البلدة القديمة"),
    ("the emergency fund", "صندوق الطوارئ"), ("the vaccination campaign", "حملة التلقيح"),
    ("the teacher contracts", "عقود المعلمين"), ("the harbour dredging", "تعميق حوض المرفأ"),
    ("the waste tax", "ضريبة النفايات"), ("the digital ID scheme", "مشروع الهوية الرقمية"),
]
PLACES = [
    ("Beirut", "بيروت"), ("Tripoli", "طرابلس"), ("Sidon", "صيدا"), ("Tyre", "صور"),
    ("Byblos", "جبيل"), ("Amman", "عمان"), ("Aqaba", "العقبة"), ("Cairo", "القاهرة"),
    ("Alexandria", "الإسكندرية"), ("Tunis", "تونس"), ("Sfax", "صفاقس"), ("Rabat", "الرباط"),
    ("Tangier", "طنجة"), ("Doha", "الدوحة"), ("Muscat", "مسقط"), ("Baghdad", "بغداد"),
    ("Basra", "البصرة"), ("Damascus", "دمشق"), ("Aleppo", "حلب"), ("Latakia", "اللاذقية"),
]
TAILS = [(f"in {en}", f"في {ar}") for en, ar in PLACES] + [
    ("after late-night talks", "بعد محادثات ليلية"), ("despite protests", "رغم الاحتجاجات"),
    ("ahead of the elections", "قبل الانتخابات"), ("amid rising prices", "وسط ارتفاع الأسعار"),
    ("after a heated session", "بعد جلسة حامية"), ("before the summer", "قبل الصيف"),
    ("for the second time", "للمرة الثانية"), ("after months of delay", "بعد أشهر من التأخير"),
    ("under public pressure", "تحت ضغط الشارع"), ("in a surprise vote", "في تصويت مفاجئ"),
]
PREFIXES = [("", ""), ("Live: ", "مباشر: "), ("Analysis: ", "تحليل: "), ("Explainer: ", "شرح: ")]
N_COMBOS = len(SUBJECTS) * len(VERBS) * len(OBJECTS) * len(TAILS)
COMBO_STEP = 611953  # prime, coprime with N_COMBOS: i -> (i * STEP + K) mod N is one-to-one

SENTENCES = {
    "en": [
        "Officials said talks would continue through the week and that a decision was expected before the end of the month.",
        "The announcement followed months of negotiations between the government and representatives of the sector.",
        "Analysts said the move could ease pressure on households that have faced rising prices since the spring.",
        "Opposition members questioned the cost of {obj} and asked for a full report to be published.",
        "Residents interviewed in {place} on Saturday said they hoped the measures would bring lasting change.",
        "A spokesman declined to give further details, saying more information would be released in the coming days.",
        "Trade figures published last week showed exports rising for the third month in a row.",
        "The ministry said inspectors would visit every site before the new rules take effect in January.",
        "Critics say {obj} was drawn up without consulting the people it affects most.",
        "Supporters argue that the changes are long overdue and will pay for themselves within a few years.",
        "The debate over {obj} has divided the council since it was first proposed two years ago.",
        "Shop owners in {place} said business had slowed sharply since the summer.",
        "\u201cWe have waited long enough,\u201d said one resident, who asked not to be named.",
        "\u201cThis is a first step, not the end of the road,\u201d a senior official told reporters.",
        "Engineers warned that parts of the network had not been maintained for more than a decade.",
        "The plan is expected to cost several million dollars, much of it funded by international lenders.",
        "Unions said they would study the details before deciding whether to call off the strike.",
        "Traffic was diverted for several hours while crews cleared the road.",
        "A similar proposal was rejected in {place} last year after protests by local traders.",
        "The final vote is scheduled for next Tuesday, although further delays are possible.",
        "Local radio stations reported long queues outside bakeries and petrol stations.",
        "Environmental groups welcomed the decision but said more needed to be done to protect the coast.",
        "The governor said the first results would be visible before the end of the year.",
        "Several families said they had not been told about the changes until they read about them in the press.",
        "Prices of basic goods have risen by almost a fifth since the beginning of the year, according to official data.",
        "Police said the demonstration in {place} ended peacefully in the early evening.",
        "The committee will publish its recommendations within ninety days.",
        "Hospitals in {place} reported a rise in admissions during the heatwave.",
        "The ferry service between the two ports is expected to resume next month.",
        "Young people make up more than half of the population, but few have steady jobs.",
        "Farmers said the late rains had cut this year\u2019s harvest by a third.",
        "Officials in {place} said the new schedule would take effect on the first of the month.",
        "The agreement must still be approved by parliament before it can take effect.",
        "Experts said the data showed a clear trend, even if the causes remained disputed.",
        "Fishermen returned to the harbour early as strong winds swept the coast.",
        "Teachers held a sit-in outside the ministry to demand the payment of late salaries.",
        "The museum will reopen its main hall after three years of restoration work.",
        "A survey published on Monday found that most residents support {obj}.",
        "Power cuts of up to ten hours a day have become common in several districts.",
        "The council said it would hold public meetings in every district before the final decision.",
    ],
    "ar": [
        "قال مسؤولون إن المحادثات ستستمر طوال الأسبوع وإن قرارا متوقعا قبل نهاية الشهر.",
        "جاء الإعلان بعد أشهر من المفاوضات بين الحكومة وممثلي القطاع.",
        "قال محللون إن الخطوة قد تخفف الضغط عن الأسر التي تواجه ارتفاع الأسعار منذ الربيع.",
        "تساءل نواب المعارضة عن كلفة {obj} وطالبوا بنشر تقرير كامل.",
        "قال سكان التقيناهم في {place} يوم السبت إنهم يأملون أن تحقق الإجراءات تغييرا دائما.",
        "رفض متحدث إعطاء مزيد من التفاصيل وقال إن معلومات إضافية ستصدر في الأيام المقبلة.",
        "أظهرت أرقام التجارة المنشورة الأسبوع الماضي ارتفاع الصادرات للشهر الثالث على التوالي.",
        "قالت الوزارة إن المفتشين سيزورون كل موقع قبل دخول القواعد الجديدة حيز التنفيذ في كانون الثاني.",
        "يقول المنتقدون إن الحكومة لم تستشر المتضررين قبل إعداد {obj}.",
        "ويرى المؤيدون أن التغييرات تأخرت كثيرا وأنها ستغطي كلفتها خلال سنوات قليلة.",
        "ينقسم أعضاء المجلس حول {obj} منذ عامين.",
        "قال أصحاب المحال في {place} إن الحركة التجارية تراجعت بشدة منذ الصيف.",
        "«انتظرنا بما فيه الكفاية»، قال أحد السكان الذي طلب عدم ذكر اسمه.",
        "«هذه خطوة أولى وليست نهاية الطريق»، قال مسؤول رفيع للصحافيين.",
        "حذر مهندسون من أن أجزاء من الشبكة لم تخضع للصيانة منذ أكثر من عقد.",
        "يتوقع أن تبلغ كلفة الخطة عدة ملايين من الدولارات، يمول معظمها مقرضون دوليون.",
        "قالت النقابات إنها ستدرس التفاصيل قبل أن تقرر ما إذا كانت ستلغي الإضراب.",
        "حولت حركة السير لساعات عدة ريثما أزالت الفرق الركام عن الطريق.",
        "رفض اقتراح مماثل في {place} العام الماضي بعد احتجاجات التجار المحليين.",
        "من المقرر إجراء التصويت النهائي يوم الثلاثاء المقبل، وإن كان تأجيله مجددا واردا.",
        "أفادت إذاعات محلية بطوابير طويلة أمام الأفران ومحطات الوقود.",
        "رحبت جمعيات بيئية بالقرار لكنها قالت إن المطلوب أكثر لحماية الشاطئ.",
        "قال المحافظ إن النتائج الأولى ستظهر قبل نهاية العام.",
        "قالت عائلات عدة إنها لم تبلغ بالتغييرات إلا حين قرأت عنها في الصحف.",
        "ارتفعت أسعار السلع الأساسية بنحو الخمس منذ بداية العام بحسب الأرقام الرسمية.",
        "قالت الشرطة إن التظاهرة في {place} انتهت بسلام في ساعات المساء الأولى.",
        "ستنشر اللجنة توصياتها في غضون تسعين يوما.",
        "سجلت مستشفيات {place} ارتفاعا في عدد المرضى خلال موجة الحر.",
        "يتوقع أن تستأنف العبارة رحلاتها بين المرفأين الشهر المقبل.",
        "يشكل الشباب أكثر من نصف السكان، لكن قلة منهم تملك عملا ثابتا.",
        "قال مزارعون إن تأخر الأمطار خفض محصول هذا العام بمقدار الثلث.",
        "قال مسؤولون في {place} إن الجدول الجديد سيطبق مطلع الشهر.",
        "لا يزال الاتفاق بحاجة إلى موافقة البرلمان قبل أن يدخل حيز التنفيذ.",
        "قال خبراء إن البيانات تظهر اتجاها واضحا وإن بقيت أسبابه موضع خلاف.",
        "عاد الصيادون إلى المرفأ باكرا بعدما ضربت رياح قوية الساحل.",
        "نفذ المعلمون اعتصاما أمام الوزارة للمطالبة بدفع الرواتب المتأخرة.",
        "سيعيد المتحف فتح قاعته الرئيسية بعد ثلاث سنوات من أعمال الترميم.",
        "أظهر استطلاع نشر يوم الاثنين أن معظم السكان يؤيدون {obj}.",
        "باتت انقطاعات الكهرباء التي تصل إلى عشر ساعات يوميا أمرا مألوفا في أحياء عدة.",
        "قال المجلس إنه سيعقد لقاءات عامة في كل حي قبل اتخاذ القرار النهائي.",
    ],
}
assert len(SENTENCES["en"]) == len(SENTENCES["ar"]) == 40
STRIDES = [s for s in range(1, 40) if s % 2 and s % 5]  # coprime with 40
SUBHEADS = {
    "en": ["What happens next", "Background", "Reaction", "The numbers", "Why it matters",
           "A long dispute", "What residents say"],
    "ar": ["ماذا بعد", "خلفية", "ردود الفعل", "بالأرقام", "لماذا يهم ذلك", "خلاف قديم",
           "ماذا يقول السكان"],
}
CAPTIONS = {
    "en": ["Workers at the site on Monday", "A view of the harbour at dawn",
           "Residents gather outside the town hall", "The old market before the works",
           "Officials arrive for the meeting", "Traffic on the coastal road"],
    "ar": ["عمال في الموقع يوم الاثنين", "منظر المرفأ عند الفجر", "سكان يتجمعون أمام مبنى البلدية",
           "السوق القديم قبل الأشغال", "مسؤولون يصلون إلى الاجتماع", "حركة السير على الطريق الساحلي"],
}
COMMENTS = {
    "en": [
        "Finally some good news.", "Who is going to pay for this?",
        "This should have happened years ago.", "I live in {place} and nothing has changed.",
        "Great reporting, thank you.", "Can you publish the full document?",
        "The numbers in the third paragraph look wrong.", "Same promises every year.",
        "My father worked at the port for thirty years; he would be glad to read this.",
        "Not convinced this will work.", "What about the people who rent?",
        "Thanks for covering this.", "Typical. Decisions made without asking anyone.",
        "Any update on this story?", "Well written and balanced.",
        "I disagree with the premise of this article.", "Where can I read the committee's report?",
        "Prices went up again this morning.", "This is exactly what we needed.",
        "How long until it actually starts?", "The photo caption says Tuesday, but it was Monday.",
        "Let's wait and see.", "Good to see the council listening for once.",
        "More of this kind of journalism, please.",
    ],
    "ar": [
        "أخيرا خبر جيد.", "من سيدفع ثمن هذا؟", "كان يجب أن يحدث هذا قبل سنوات.",
        "أسكن في {place} ولم يتغير شيء.", "تقرير ممتاز، شكرا لكم.", "هل يمكنكم نشر الوثيقة كاملة؟",
        "الأرقام في الفقرة الثالثة غير دقيقة.", "الوعود نفسها كل عام.",
        "عمل والدي في المرفأ ثلاثين عاما وكان سيفرح بهذا الخبر.", "لست مقتنعا بأن هذا سينجح.",
        "وماذا عن المستأجرين؟", "شكرا على المتابعة.", "كالعادة، قرارات من دون استشارة أحد.",
        "هل من جديد حول هذا الموضوع؟", "مقال متوازن ومكتوب بعناية.", "لا أوافق على فكرة المقال.",
        "أين يمكن قراءة تقرير اللجنة؟", "ارتفعت الأسعار مجددا هذا الصباح.",
        "هذا بالضبط ما كنا نحتاجه.", "متى سيبدأ التنفيذ فعلا؟",
        "التعليق على الصورة يقول الثلاثاء لكنه كان الاثنين.", "لننتظر ونر.",
        "جميل أن يستمع المجلس للناس هذه المرة.", "نريد المزيد من هذه الصحافة.",
    ],
}
SPAM = [
    'Buy cheap watches <a href="http://spam.example/watches">here</a>',
    "Great post! Best prices on http://spam.example/deals",
    "Earn $5000 a week from home <a href='http://spam.example/earn'>click now</a>",
    '<a href="http://casino.spam.example/">Online casino bonus</a> for new players',
]
READERS = {  # (name, e-mail handle)
    "en": [("Maya", "maya"), ("Sam", "sam"), ("Daniel", "daniel"), ("Sarah", "sarah"),
           ("Omar", "omar"), ("Lina", "lina"), ("George", "george"), ("Nadia", "nadia"),
           ("Tom", "tom"), ("Rita", "rita"), ("Elias", "elias"), ("Hannah", "hannah"),
           ("Jad", "jad"), ("Mira", "mira"), ("Paul", "paul"), ("Zein", "zein"),
           ("Marc", "marc"), ("Yasmine", "yasmine"), ("A reader", "reader"), ("Harbour Fan", "harbourfan")],
    "ar": [("ليلى", "layla"), ("زائر", "visitor"), ("محمد", "mohammad"), ("فاطمة", "fatima"),
           ("أحمد", "ahmad"), ("رنا", "rana.r"), ("سامر", "samer"), ("هالة", "hala"),
           ("يوسف", "youssef"), ("نور", "nour"), ("خالد", "khaled"), ("منى", "mona"),
           ("طارق", "tarek"), ("سلمى", "salma"), ("علي", "ali"), ("ريم", "reem"),
           ("وليد", "walid"), ("دينا", "dina"), ("حسن", "hassan"), ("جنى", "jana")],
}
AUTHORS = [  # (id, login, display name, first, last, language)
    (2, "rana", "Rana Example", "Rana", "Example", "en"),
    (3, "karim.h", "كريم حداد", "كريم", "حداد", "ar"),
    (4, "omar.s", "Omar Sample", "Omar", "Sample", "en"),
    (5, "lina.w", "Lina Writer", "Lina", "Writer", "en"),
    (6, "james.p", "James Porter", "James", "Porter", "en"),
    (7, "sara.k", "Sara Khoury", "Sara", "Khoury", "en"),
    (8, "nabil", "Nabil Haddad", "Nabil", "Haddad", "en"),
    (9, "emma.r", "Emma Reid", "Emma", "Reid", "en"),
    (10, "tony.f", "Tony Fares", "Tony", "Fares", "en"),
    (11, "claire.m", "Claire Martin", "Claire", "Martin", "en"),
    (12, "ziad.a", "Ziad Aoun", "Ziad", "Aoun", "en"),
    (13, "maya.d", "Maya Daher", "Maya", "Daher", "en"),
    (14, "lea.b", "Léa Bustros", "Léa", "Bustros", "en"),
    (15, "huda", "هدى منصور", "هدى", "منصور", "ar"),
    (16, "samir.n", "سمير نصار", "سمير", "نصار", "ar"),
    (17, "rola.k", "رلى خوري", "رلى", "خوري", "ar"),
    (18, "fadi.s", "فادي سليمان", "فادي", "سليمان", "ar"),
    (19, "mariam", "مريم عيسى", "مريم", "عيسى", "ar"),
    (20, "bassem", "باسم الحلبي", "باسم", "الحلبي", "ar"),
    (21, "wael.t", "وائل طربيه", "وائل", "طربيه", "ar"),
]
AUTHORS_BY_LANG = {lang: [a for a in AUTHORS if a[5] == lang] for lang in ("en", "ar")}
# (term id, name as WordPress stores it, parent's name or None, language, description, weight)
CATEGORIES = [
    (2, "News", None, "en", "What happened today", 30), (3, "Port &amp; Shipping", "News", "en", "", 8),
    (4, "Politics", "News", "en", "", 14), (5, "City", "News", "en", "Life in the port city", 10),
    (6, "Business", None, "en", "", 10), (7, "Economy", "Business", "en", "", 8),
    (8, "Sport", None, "en", "", 8), (9, "Culture", None, "en", "Books, film, music and heritage", 6),
    (10, "Opinion", None, "en", "", 6),
    (11, "أخبار", None, "ar", "", 30), (12, "سياسة", "أخبار", "ar", "", 14),
    (13, "اقتصاد", None, "ar", "", 12), (14, "رياضة", None, "ar", "", 8),
    (15, "ثقافة", None, "ar", "كتب وسينما وموسيقى وتراث", 6), (16, "رأي", None, "ar", "", 6),
]
LANGUAGE_TERMS = [
    (17, "en", "English", 'a:3:{s:6:"locale";s:5:"en_US";s:3:"rtl";i:0;s:9:"flag_code";s:2:"us";}'),
    (18, "ar", "العربية", 'a:3:{s:6:"locale";s:2:"ar";s:3:"rtl";i:1;s:9:"flag_code";s:4:"arab";}'),
]
NAV_MENU_TERM = 19
TAG_TOPICS = {
    "en": ["water", "elections", "budget", "fuel", "ports", "tourism", "health", "schools",
           "transport", "housing", "climate", "fishing", "agriculture", "energy", "banks",
           "strikes", "courts", "football", "museums", "festivals", "heatwave", "floods", "wages",
           "taxes", "rail", "airports", "trade", "corruption", "pensions", "bread"],
    "ar": ["المياه", "الانتخابات", "الموازنة", "الوقود", "المرافئ", "السياحة", "الصحة", "المدارس",
           "النقل", "الإسكان", "المناخ", "الصيد", "الزراعة", "الطاقة", "المصارف", "الإضرابات",
           "القضاء", "كرة القدم", "المتاحف", "المهرجانات", "موجة الحر", "الفيضانات", "الأجور",
           "الضرائب", "السكك الحديدية", "المطارات", "التجارة", "الفساد", "التقاعد", "الخبز"],
}
TAG_BODIES = ["Central Bank", "Port Authority", "City Council", "Parliament", "Health Ministry",
              "IMF", "World Bank", "UNESCO", "Red Cross", "Chamber of Commerce", "Fishermen's Union",
              "Teachers' Union", "Water Authority", "Old Town", "Corniche", "Free Zone",
              "Coastal Highway", "Grand Mosque", "National Museum", "Summer Festival", "Book Fair",
              "Marathon", "Harbour Bridge", "Power Station", "Airport", "University", "Stadium",
              "Souk", "Lighthouse", "Ferry"]
PAGES = [  # (id, title, slug (decoded), parent id, language, menu order)
    (10, "About the Courier", "about", 0, "en", 1), (11, "Contact", "contact", 0, "en", 2),
    (12, "Advertise", "advertise", 0, "en", 3), (13, "Privacy policy", "privacy-policy", 0, "en", 4),
    (14, "Terms of use", "terms", 0, "en", 5), (15, "Newsletter", "newsletter", 0, "en", 6),
    (16, "Corrections", "corrections", 0, "en", 7), (17, "Our team", "team", 10, "en", 1),
    (18, "من نحن", "من نحن", 0, "ar", 1), (19, "اتصل بنا", "اتصل بنا", 0, "ar", 2),
    (20, "سياسة الخصوصية", "سياسة الخصوصية", 0, "ar", 3),
    (21, "شروط الاستخدام", "شروط الاستخدام", 0, "ar", 4),
]
MENU_ITEMS = [(30, "Home", "custom", "/"), (31, "News", "taxonomy", "/category/news/"),
              (32, "Business", "taxonomy", "/category/business/"),
              (33, "About", "post_type", "/about/")]
PHOTO_WORDS = ["harbour", "cranes", "market", "council", "protest", "bakery", "ferry", "coast",
               "museum", "stadium", "school", "hospital", "road", "souk", "bridge", "farm"]
AR_PHOTO_WORDS = ["صورة", "المرفأ", "السوق", "البلدية", "الشاطئ"]
YOUTUBE = ["dQw4w9WgXcQ", "M7lc1UVf-VE", "aqz-KE-bpKQ", "ScMzIvxBSi4", "jNQXAC9IVRw"]
GRADIENTS = [((30, 60, 110), (200, 170, 120)), ((20, 90, 60), (220, 220, 180)),
             ((120, 40, 30), (250, 200, 120)), ((60, 60, 60), (230, 230, 230)),
             ((10, 40, 90), (120, 190, 230)), ((90, 70, 40), (240, 210, 160)),
             ((40, 20, 70), (230, 150, 120)), ((25, 75, 85), (210, 235, 225))]


def mix64(x):
    """splitmix64's finaliser: a well-spread 64-bit value of x."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def wp_time(ts):
    t = time.gmtime(ts)
    return "%04d-%02d-%02d %02d:%02d:%02d" % t[:6]


def rss_time(ts):
    t = time.gmtime(ts)
    return "%s, %02d %s %04d %02d:%02d:%02d +0000" % (
        DAYS[t.tm_wday], t.tm_mday, MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)


def iso_time(ts):
    t = time.gmtime(ts)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % t[:6]


def cdata(text):
    """Text in CDATA as WordPress's wxr_cdata writes it: `]]>` split across two sections."""
    if "]]>" in text:
        text = text.replace("]]>", "]]]]><![CDATA[>")
    return "<![CDATA[" + text + "]]>"


def slugify(title, limit=200):
    """WordPress's sanitize_title_with_dashes: ASCII kept lower-cased, other
    characters percent-encoded UTF-8 in lower case (utf8_uri_encode, at most
    `limit` characters), anything else dropped, blanks to one dash."""
    out = []
    length = 0
    for ch in title.lower():
        if ch.isascii():
            if ch in " .":
                piece = "-"
            elif ch.isalnum() or ch in "-_":
                piece = ch
            else:
                continue
        else:
            piece = "".join("%%%02x" % b for b in ch.encode("utf-8"))
        if length + len(piece) > limit:
            break
        out.append(piece)
        length += len(piece)
    slug = "".join(out)
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug.strip("-")


def truncate_slug(slug, length):
    """WordPress's _truncate_post_slug: at most `length` characters, never
    inside an escaped character."""
    if len(slug) <= length:
        return slug
    return slugify(unquote(slug), length)


def slug_digest(slug):
    return hashlib.blake2b(slug.encode(), digest_size=8).digest()


def php(value):
    """PHP's serialize() of ints, strings (lengths in bytes), lists and dicts."""
    if isinstance(value, bool):
        return "b:%d;" % value
    if isinstance(value, int):
        return "i:%d;" % value
    if isinstance(value, str):
        return 's:%d:"%s";' % (len(value.encode("utf-8")), value)
    if isinstance(value, list):
        value = dict(enumerate(value))
    return "a:%d:{%s}" % (len(value), "".join(php(k) + php(v) for k, v in value.items()))


def escapes_to_upper(text):
    """%d8%a7 -> %D8%A7, as a browser writes a path."""
    parts = text.split("%")
    return parts[0] + "".join("%" + p[:2].upper() + p[2:] for p in parts[1:])


def escapes_to_raw(text):
    """%d8%a7 -> ا (an IRI, as some browsers and plugins keep it)."""
    return unquote(text)


# ---------------------------------------------------------------------------
# JPEG: baseline, YCbCr 4:4:4, the standard tables of ITU T.81 Annex K; each
# 8x8 block is flat (its DC coefficient only), so a gradient image is a
# few kilobytes and encodes in milliseconds, and any decoder reads it.

ZIGZAG = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34,
          27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37,
          44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63]
Q_LUMA = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57,
          69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64,
          81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
Q_CHROMA = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99,
            99, 99, 47, 66] + [99] * 38
DC_LUMA_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_CHROMA_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
DC_VALUES = list(range(12))
AC_LUMA_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D]
AC_LUMA_VALUES = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2A] + [r << 4 | s for r in range(3, 16)
                   for s in range({3: 4, 9: 2, 10: 2, 11: 2, 12: 2, 13: 2, 14: 1, 15: 1}.get(r, 3), 11)]
assert len(AC_LUMA_VALUES) == 162 == sum(AC_LUMA_BITS)


def huffman_codes(bits, values):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[values[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


def jpeg(width, height, top_left, bottom_right, quality=90):
    """A baseline JPEG of a diagonal colour gradient, flat 8x8 blocks."""
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    q_luma = [min(255, max(1, (q * scale + 50) // 100)) for q in Q_LUMA]
    q_chroma = [min(255, max(1, (q * scale + 50) // 100)) for q in Q_CHROMA]
    dc_codes = [huffman_codes(DC_LUMA_BITS, DC_VALUES), huffman_codes(DC_CHROMA_BITS, DC_VALUES)]
    eob = huffman_codes(AC_LUMA_BITS, AC_LUMA_VALUES)[0x00]
    bw, bh = (width + 7) // 8, (height + 7) // 8
    acc, nbits, out = 0, 0, bytearray()

    def put(code, length):
        nonlocal acc, nbits
        acc = (acc << length) | code
        nbits += length
        while nbits >= 8:
            nbits -= 8
            byte = (acc >> nbits) & 0xFF
            out.append(byte)
            if byte == 0xFF:
                out.append(0)
        acc &= (1 << nbits) - 1

    previous = [0, 0, 0]
    for by in range(bh):
        for bx in range(bw):
            f = (bx / max(1, bw - 1) + by / max(1, bh - 1)) / 2
            r, g, b = (a + (z - a) * f for a, z in zip(top_left, bottom_right))
            ycc = (0.299 * r + 0.587 * g + 0.114 * b,
                   128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                   128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
            for c in range(3):
                q = q_luma[0] if c == 0 else q_chroma[0]
                dc = int(round(8 * (ycc[c] - 128) / q))
                diff, previous[c] = dc - previous[c], dc
                size = abs(diff).bit_length()
                put(*dc_codes[0 if c == 0 else 1][size])
                if size:
                    put(diff if diff > 0 else diff + (1 << size) - 1, size)
                put(*eob)
    if nbits:
        put((1 << (8 - nbits)) - 1, 8 - nbits)

    def segment(marker, payload):
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    def dht(cls_id, bits, values):
        return segment(0xC4, bytes([cls_id]) + bytes(bits) + bytes(values))

    head = b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00")
    head += segment(0xDB, b"\x00" + bytes(q_luma[z] for z in ZIGZAG)
                    + b"\x01" + bytes(q_chroma[z] for z in ZIGZAG))
    head += segment(0xC0, struct.pack(">BHHB", 8, height, width, 3)
                    + b"\x01\x11\x00" + b"\x02\x11\x01" + b"\x03\x11\x01")
    head += dht(0x00, DC_LUMA_BITS, DC_VALUES) + dht(0x01, DC_CHROMA_BITS, DC_VALUES)
    head += dht(0x10, AC_LUMA_BITS, AC_LUMA_VALUES)
    head += segment(0xDA, b"\x03" + b"\x01\x00" + b"\x02\x10" + b"\x03\x10" + b"\x00\x3f\x00")
    return head + bytes(out) + b"\xff\xd9"


# ---------------------------------------------------------------------------
# The posts' identities: what both modes need (id, language, status, date,
# title, slug, permalink), each from the seed and the post's index alone,
# so the Disqus mode finds the WordPress mode's posts without its file.

class Post:
    __slots__ = ("i", "id", "lang", "status", "password", "sticky", "ts", "title", "slug",
                 "post_name", "link", "guid", "author", "partner", "weight", "atts", "reuse",
                 "combo", "u")


class Site:
    def __init__(self, posts, arabic_share, seed, site_url, utc_offset_h=3, attachments_share=0.5):
        self.n = posts
        self.arabic_share = arabic_share
        self.attachments_share = attachments_share
        self.seed = seed
        self.url = site_url.rstrip("/")
        self.offset = int(utc_offset_h * 3600)
        self.n_future = max(1, posts // 500) if posts >= 20 else 0
        self.step = (LAST_TS - FIRST_TS) / max(1, posts)
        self.combo_base = mix64(seed * 7919 + 17) % N_COMBOS
        self.base = lru_cache(maxsize=16)(self._base)
        self.settled = 0
        self.ar_slugs = set()
        self.renamed = {}

    def _base(self, i):
        """The draws of post i, always in the same order."""
        r = random.Random(self.seed * 1_000_003 + i)
        u = [r.random() for _ in range(20)]
        lang = "ar" if u[0] < self.arabic_share else "en"
        if i >= self.n - self.n_future:
            status = "future"
        else:
            s = u[1]
            status = ("publish" if s < 0.925 else "draft" if s < 0.955 else "pending" if s < 0.97
                      else "private" if s < 0.98 else "trash")
        if status == "future":
            k = i - (self.n - self.n_future)
            ts = EXPORT_TS + 3600 * (6 + 7 * k) + int(u[2] * 3000)
        else:
            ts = int(FIRST_TS + (i + 0.8 * u[2]) * self.step)
        return lang, status, ts, u

    def post(self, i):
        """Post i. Arabic slugs are cut at 200 characters as WordPress cuts them,
        so two can meet: the later one takes `-2` (wp_unique_post_slug). That
        needs the earlier posts' slugs, settled in order: a set of 8-byte
        digests of the Arabic slugs (about 2 MB for 100,000 posts) and the few
        renamed ones, not the posts."""
        while self.settled < i:
            self._settle(self._post(self.settled))
        p = self._post(i)
        if i == self.settled:
            self._settle(p)
        elif i in self.renamed:
            p.slug = self.renamed[i]
            self._place(p)
        return p

    def _settle(self, p):
        if p.lang == "ar":
            digest = slug_digest(p.slug)
            if digest in self.ar_slugs:
                k = 2
                while True:
                    slug = "%s-%d" % (truncate_slug(p.slug, 200 - len(str(k)) - 1), k)
                    digest = slug_digest(slug)
                    if digest not in self.ar_slugs:
                        break
                    k += 1
                p.slug = self.renamed[p.i] = slug
                self._place(p)
            self.ar_slugs.add(digest)
        self.settled = p.i + 1

    def _place(self, p):
        """post_name and permalink from the slug, as WordPress gives them."""
        status = p.status
        if status in ("draft", "pending"):
            p.post_name = p.slug if p.u[9] < 0.2 else ""
            p.link = p.guid
        elif status == "future":
            p.post_name = p.slug
            p.link = p.guid
        else:
            local = time.gmtime(p.ts + self.offset)
            home = self.url + ("/ar" if p.lang == "ar" else "")
            # wp_add_trashed_suffix_to_post_name_for_post: cut to 191, then __trashed.
            p.post_name = truncate_slug(p.slug, 191) + "__trashed" if status == "trash" else p.slug
            p.link = "%s/%04d/%02d/%s/" % (home, local.tm_year, local.tm_mon, p.post_name)

    def _post(self, i):
        lang, status, ts, u = self.base(i)
        p = Post()
        p.i, p.id, p.lang, p.status, p.ts, p.u = i, FIRST_POST_ID + ID_STEP * i, lang, status, ts, u
        p.password = "harbour%d" % (i % 97) if status == "publish" and u[3] < 0.003 else ""
        p.sticky = status == "publish" and u[4] < 0.0004
        authors = AUTHORS_BY_LANG[lang]
        p.author = authors[int(u[5] * len(authors))]
        # A translation pair: an Arabic post after a published English one.
        p.partner = None
        source = i
        if lang == "ar" and status == "publish" and i > 0 and u[6] < PAIR_SHARE:
            lang0, status0, ts0, _ = self.base(i - 1)
            if lang0 == "en" and status0 == "publish":
                p.partner = p.id - ID_STEP
                source = i - 1
                p.ts = ts0 + 900 + int(u[7] * 6300)
        elif lang == "en" and status == "publish" and i + 1 < self.n:
            lang1, status1, _, u1 = self.base(i + 1)
            if lang1 == "ar" and status1 == "publish" and u1[6] < PAIR_SHARE:
                p.partner = p.id + ID_STEP
        su = self.base(source)[3]
        combo = (source * COMBO_STEP + self.combo_base) % N_COMBOS
        p.combo = combo
        c, t = divmod(combo, len(TAILS))
        c, o = divmod(c, len(OBJECTS))
        s, v = divmod(c, len(VERBS))
        prefix = PREFIXES[0 if su[8] < 0.88 else 1 + int((su[8] - 0.88) / 0.12 * 3) % 3]
        subject = SUBJECTS[s]
        if lang == "en":
            p.title = "%s%s %s %s %s" % (prefix[0], subject[0], VERBS[v][0], OBJECTS[o][0], TAILS[t][0])
        else:
            p.title = "%s%s %s %s %s" % (prefix[1], VERBS[v][2 if subject[2] else 1], subject[1],
                                         OBJECTS[o][1], TAILS[t][1])
        p.slug = slugify(p.title)
        if source // N_COMBOS and lang == "en":
            p.slug += "-%d" % (source // N_COMBOS + 1)
        p.guid = "%s/?p=%d" % (self.url, p.id)
        self._place(p)
        # Comment weight: most published posts few or none, some many.
        if status == "publish":
            p.weight = 0 if u[10] < 0.45 else int(1000 * min(400.0, (1.0 - u[11]) ** (-1 / 1.15)))
        elif status == "trash":
            p.weight = 0 if u[10] < 0.6 else 1000
        else:
            p.weight = 0
        p.atts = (2 if u[13] < 0.08 else 1) if u[12] < self.attachments_share else 0
        # No picture of its own: now and then an earlier post's.
        p.reuse = None
        if not p.atts and u[14] < 0.06 and i > 0:
            j = i - 1 - int(u[15] * 20)
            if j >= 0 and self.base(j)[3][12] < self.attachments_share:
                p.reuse = FIRST_POST_ID + ID_STEP * j + 1
        return p


# ---------------------------------------------------------------------------
# WordPress

def open_out(path):
    if path == "-":
        return sys.stdout
    return open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20)


class Media:
    """The attachments' files under --media-dir: each gradient written once,
    the others hard links to it (copies where links cannot be made)."""

    def __init__(self, root, width, height):
        self.root = root
        self.images = [jpeg(width, height, a, b) for a, b in GRADIENTS]
        self.first = {}
        self.dirs = set()
        self.written = 0
        self.links = True

    def write(self, rel, k):
        k %= len(self.images)
        path = os.path.join(self.root, rel)
        folder = os.path.dirname(path)
        if folder not in self.dirs:
            os.makedirs(folder, exist_ok=True)
            self.dirs.add(folder)
        if os.path.lexists(path):
            os.unlink(path)
        source = self.first.get(k)
        if source is None:
            with open(path, "wb") as f:
                f.write(self.images[k])
            self.first[k] = path
        elif self.links:
            try:
                os.link(source, path)
            except OSError:
                self.links = False
                shutil.copyfile(source, path)
        else:
            shutil.copyfile(source, path)
        self.written += 1


def wordpress(args):
    started = time.monotonic()
    width, height = (int(x) for x in args.media_size.lower().split("x"))
    site = Site(args.posts, args.arabic_share, args.seed, args.site_url, args.utc_offset,
                args.attachments_share)
    media = Media(args.media_dir, width, height) if args.media_dir else None
    sizes = [len(jpeg(width, height, a, b)) for a, b in GRADIENTS] if media is None else [
        len(b) for b in media.images]
    rng = random.Random(args.seed * 31 + 7)
    rnd = rng.random
    url = site.url
    offset = site.offset
    counts = {"posts": 0, "by_status": {}, "pages": len(PAGES), "menu_items": len(MENU_ITEMS),
              "attachments": 0, "attachment_files": 0, "attachment_files_missing": 0,
              "comments": 0, "comments_by_approved": {}, "comment_replies": 0,
              "translation_pairs": 0, "old_slugs": 0}
    out = open_out(args.out)
    w = out.write
    w(HEADER.format(created=time.strftime("%Y-%m-%d %H:%M", time.gmtime(EXPORT_TS)),
                    pub=rss_time(EXPORT_TS), url=url))
    for a in AUTHORS:
        w("\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login>"
          "<wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name>"
          "<wp:author_first_name>%s</wp:author_first_name><wp:author_last_name>%s</wp:author_last_name>"
          "</wp:author>\n" % (a[0], cdata(a[1]), cdata(a[1].replace(".", "") + "@" + url.split("//")[1]),
                              cdata(a[2]), cdata(a[3]), cdata(a[4])))
    w("\n")
    cat_slug = {name: slugify(name.replace("&amp;", "")) for _, name, _, _, _, _ in CATEGORIES}
    cat_slug["Port &amp; Shipping"] = "port"
    for term_id, name, parent, lang, description, _ in CATEGORIES:
        w("\t<wp:category>\n\t\t<wp:term_id>%d</wp:term_id>\n"
          "\t\t<wp:category_nicename>%s</wp:category_nicename>\n"
          "\t\t<wp:category_parent>%s</wp:category_parent>\n\t\t<wp:cat_name>%s</wp:cat_name>\n"
          % (term_id, cdata(cat_slug[name]), cdata(cat_slug[parent] if parent else ""), cdata(name)))
        if description:
            w("\t\t<wp:category_description>%s</wp:category_description>\n" % cdata(description))
        if lang == "ar" and parent is None:
            w("\t\t<wp:termmeta>\n\t\t\t<wp:meta_key><![CDATA[_pll_strings_translations]]></wp:meta_key>\n"
              "\t\t\t<wp:meta_value><![CDATA[a:0:{}]]></wp:meta_value>\n\t\t</wp:termmeta>\n")
        w("\t</wp:category>\n")
    tags = make_tags()
    for term_id, slug, name, lang in tags:
        w("\t<wp:tag>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:tag_slug>%s</wp:tag_slug>\n"
          "\t\t<wp:tag_name>%s</wp:tag_name>\n" % (term_id, cdata(slug), cdata(name)))
        if term_id % 9 == 0:
            w("\t\t<wp:tag_description>%s</wp:tag_description>\n"
              % cdata(("Coverage of " if lang == "en" else "تغطية ") + name))
        w("\t</wp:tag>\n")
    tags_by_lang = {lang: [t for t in tags if t[3] == lang] for lang in ("en", "ar")}
    for term_id, slug, name, description in LANGUAGE_TERMS:
        w("\t<wp:term>\n\t\t<wp:term_id>%d</wp:term_id>\n"
          "\t\t<wp:term_taxonomy><![CDATA[language]]></wp:term_taxonomy>\n"
          "\t\t<wp:term_slug>%s</wp:term_slug>\n\t\t<wp:term_parent><![CDATA[]]></wp:term_parent>\n"
          "\t\t<wp:term_name>%s</wp:term_name>\n\t\t<wp:term_description>%s</wp:term_description>\n"
          "\t</wp:term>\n" % (term_id, cdata(slug), cdata(name), cdata(description)))
    # First pass over the posts: the translation groups (terms come before
    # the items) and the total comment weight.
    total_weight = 0
    term_id = 1000
    for i in range(site.n):
        p = site.post(i)
        total_weight += p.weight
        if p.partner and p.lang == "ar":
            group = pll_slug(args.seed, p.id)
            w("\t<wp:term>\n\t\t<wp:term_id>%d</wp:term_id>\n"
              "\t\t<wp:term_taxonomy><![CDATA[post_translations]]></wp:term_taxonomy>\n"
              "\t\t<wp:term_slug>%s</wp:term_slug>\n\t\t<wp:term_parent><![CDATA[]]></wp:term_parent>\n"
              "\t\t<wp:term_name>%s</wp:term_name>\n\t\t<wp:term_description>%s</wp:term_description>\n"
              "\t</wp:term>\n" % (term_id, cdata(group), cdata(group),
                                  cdata('a:2:{s:2:"en";i:%d;s:2:"ar";i:%d;}' % (p.partner, p.id))))
            term_id += 1
            counts["translation_pairs"] += 1
    if args.comments and not total_weight:
        sys.exit("import_data.py: no published post to put comments on; give more --posts")
    w("\t<wp:term><wp:term_id>%d</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy>"
      "<wp:term_slug><![CDATA[main-menu]]></wp:term_slug><wp:term_name><![CDATA[Main menu]]>"
      "</wp:term_name>\n</wp:term>\n\n" % NAV_MENU_TERM)
    w(GENERATOR.format(url=url))

    def item_head(title, link, pub_ts, creator, guid, content, excerpt, post_id, local_ts,
                  gmt_ts, mod_local, mod_gmt, comment_status, post_name, status, parent,
                  menu_order, post_type, password, sticky):
        return (
            "\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s</link>\n\t\t<pubDate>%s</pubDate>\n"
            "\t\t<dc:creator>%s</dc:creator>\n\t\t<guid isPermaLink=\"false\">%s</guid>\n"
            "\t\t<description></description>\n\t\t<content:encoded>%s</content:encoded>\n"
            "\t\t<excerpt:encoded>%s</excerpt:encoded>\n\t\t<wp:post_id>%d</wp:post_id>\n"
            "\t\t<wp:post_date>%s</wp:post_date>\n\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n"
            "\t\t<wp:post_modified>%s</wp:post_modified>\n"
            "\t\t<wp:post_modified_gmt>%s</wp:post_modified_gmt>\n"
            "\t\t<wp:comment_status>%s</wp:comment_status>\n\t\t<wp:ping_status>%s</wp:ping_status>\n"
            "\t\t<wp:post_name>%s</wp:post_name>\n\t\t<wp:status>%s</wp:status>\n"
            "\t\t<wp:post_parent>%d</wp:post_parent>\n\t\t<wp:menu_order>%d</wp:menu_order>\n"
            "\t\t<wp:post_type>%s</wp:post_type>\n\t\t<wp:post_password>%s</wp:post_password>\n"
            "\t\t<wp:is_sticky>%d</wp:is_sticky>\n" % (
                cdata(title), link, rss_time(pub_ts), cdata(creator), guid, cdata(content),
                cdata(excerpt), post_id, cdata(wp_time(local_ts)),
                cdata(wp_time(gmt_ts) if gmt_ts is not None else "0000-00-00 00:00:00"),
                cdata(wp_time(mod_local)),
                cdata(wp_time(mod_gmt) if mod_gmt is not None else "0000-00-00 00:00:00"),
                cdata(comment_status), cdata(comment_status), cdata(post_name), cdata(status),
                parent, menu_order, cdata(post_type), cdata(password), sticky))

    def meta(key, value):
        return ("\t\t<wp:postmeta>\n\t\t<wp:meta_key>%s</wp:meta_key>\n"
                "\t\t<wp:meta_value>%s</wp:meta_value>\n\t\t</wp:postmeta>\n" % (cdata(key), cdata(value)))

    # Pages and the menu: the site's first ids.
    page_slugs = {}
    for page_id, title, slug, parent, lang, order in PAGES:
        enc = slugify(slug)
        page_slugs[page_id] = enc
        home = url + ("/ar" if lang == "ar" else "")
        link = "%s/%s%s/" % (home, page_slugs[parent] + "/" if parent else "", enc)
        ts = FIRST_TS - 86400 * 30 + page_id * 3600
        body = "\n\n".join("<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->"
                           % s.format(place=PLACES[0][1 if lang == "ar" else 0], obj=OBJECTS[0][1 if lang == "ar" else 0])
                           for s in SENTENCES[lang][page_id % 7:page_id % 7 + 3])
        author = AUTHORS_BY_LANG[lang][0]
        w(item_head(title, link, ts, author[1], "%s/?page_id=%d" % (url, page_id), body, "", page_id,
                    ts + offset, ts, ts + offset + 86400 * 400, ts + 86400 * 400, "closed", enc,
                    "publish", parent, order, "page", "", 0))
        w("\t\t<category domain=\"language\" nicename=\"%s\">%s</category>\n"
          % (lang, cdata("English" if lang == "en" else "العربية")))
        w(meta("_edit_last", str(author[0])))
        w(meta("_wp_page_template", "default"))
        w("\t</item>\n")
    for menu_id, title, kind, path in MENU_ITEMS:
        ts = FIRST_TS - 86400 * 20 + menu_id * 60
        w(item_head(title, "%s/%d/" % (url, menu_id), ts, AUTHORS[0][1], "%s/?p=%d" % (url, menu_id),
                    "", "", menu_id, ts + offset, ts, ts + offset, ts, "closed", str(menu_id),
                    "publish", 0, menu_id - 29, "nav_menu_item", "", 0))
        w("\t\t<category domain=\"nav_menu\" nicename=\"main-menu\"><![CDATA[Main menu]]></category>\n")
        w(meta("_menu_item_type", kind))
        w(meta("_menu_item_menu_item_parent", "0"))
        w(meta("_menu_item_url", url + path if kind == "custom" else ""))
        w("\t</item>\n")

    # The posts, each followed by its attachments.
    cumulative = 0
    given = 0
    comment_id = 0
    cats = {lang: [c for c in CATEGORIES if c[3] == lang] for lang in ("en", "ar")}
    cat_weights = {lang: [c[5] for c in cats[lang]] for lang in cats}
    cat_by_name = {c[1]: c for c in CATEGORIES}
    by_approved = counts["comments_by_approved"]
    for i in range(site.n):
        p = site.post(i)
        lang = p.lang
        counts["posts"] += 1
        counts["by_status"][p.status] = counts["by_status"].get(p.status, 0) + 1
        gmt = p.ts
        local = gmt + offset
        u = p.u
        modified = gmt + (int(u[16] * 3 * 86400) if u[16] < 0.5 else int(u[16] * 1800))
        if p.status != "future":
            modified = min(modified, EXPORT_TS - 3600)
        unsaved = p.status in ("draft", "pending")
        # Pictures: this post's own (ids id+1, id+2), or an earlier one's.
        att_ids = [p.id + 1 + k for k in range(p.atts)]
        thumb = att_ids[0] if att_ids else p.reuse
        att_meta = []
        for k, att_id in enumerate(att_ids):
            att_ts = gmt - 60 - int(rnd() * 1800)
            t = time.gmtime(att_ts + offset)
            if lang == "ar" and rnd() < 0.05:
                stem = "%s-%d" % (AR_PHOTO_WORDS[att_id % len(AR_PHOTO_WORDS)], att_id)
            else:
                form = rnd()
                if form < 0.3:
                    stem = "photo-%d" % att_id
                elif form < 0.5:
                    stem = "IMG_%d" % (1000 + att_id % 9000)
                    stem += "-%d" % att_id
                else:
                    stem = "%s-%s-%d" % (PHOTO_WORDS[int(rnd() * 16)], PHOTO_WORDS[int(rnd() * 16)], att_id)
            rel = "%04d/%02d/%s.jpg" % (t.tm_year, t.tm_mon, stem)
            alt = CAPTIONS[lang][att_id % 6] if rnd() < 0.7 else ""
            att_meta.append((att_id, att_ts, stem, rel, alt))
        body = make_body(rnd, rng, site, p, att_meta, url, width, height)
        excerpt = ""
        if rnd() < 0.25:
            excerpt = fill(SENTENCES[lang][int(rnd() * 40)], lang, p.combo)
        closed = rnd() < (0.35 if p.ts < FIRST_TS + (LAST_TS - FIRST_TS) * 0.4 else 0.05)
        w(item_head(p.title, p.link, gmt, p.author[1], p.guid, body, excerpt, p.id, local,
                    None if unsaved else gmt, modified + offset, None if unsaved else modified,
                    "closed" if closed else "open", p.post_name, p.status, 0, 0, "post", p.password,
                    1 if p.sticky else 0))
        parts = []
        add = parts.append
        # Terms: categories (with the parent now and then), language, tags, translations.
        cat = rng.choices(cats[lang], cat_weights[lang])[0]
        chosen = [cat]
        if cat[2] and rnd() < 0.5:
            chosen.insert(0, cat_by_name[cat[2]])
        if rnd() < 0.15:
            other = cats[lang][int(rnd() * len(cats[lang]))]
            if other not in chosen:
                chosen.append(other)
        for c in chosen:
            add("\t\t<category domain=\"category\" nicename=\"%s\">%s</category>\n"
                % (cat_slug[c[1]], cdata(c[1])))
        add("\t\t<category domain=\"language\" nicename=\"%s\">%s</category>\n"
            % (lang, cdata("English" if lang == "en" else "العربية")))
        ntags = int(rnd() * 6)
        pool = tags_by_lang[lang]
        seen = set()
        for _ in range(ntags):
            tag = pool[int(rnd() * len(pool))]
            if tag[0] in seen:
                continue
            seen.add(tag[0])
            add("\t\t<category domain=\"post_tag\" nicename=\"%s\">%s</category>\n"
                % (tag[1], cdata(tag[2])))
        if p.partner:
            group = pll_slug(args.seed, p.id if lang == "ar" else p.partner)
            add("\t\t<category domain=\"post_translations\" nicename=\"%s\">%s</category>\n"
                % (group, cdata(group)))
        if "[embed]" in body or "youtube.com/watch" in body:
            add("\t\t<category domain=\"post_format\" nicename=\"post-format-video\"><![CDATA[Video]]></category>\n")
        elif "[gallery" in body:
            add("\t\t<category domain=\"post_format\" nicename=\"post-format-gallery\"><![CDATA[Gallery]]></category>\n")
        add(meta("_edit_last", str(p.author[0])))
        if thumb:
            add(meta("_thumbnail_id", str(thumb)))
        if p.status == "publish" and u[17] < 0.05:
            old = ["%s-2" % p.slug]
            if u[17] < 0.015:
                old.append(("breaking-" if lang == "en" else slugify("عاجل") + "-") + p.slug)
            for o in old:
                add(meta("_wp_old_slug", o))
            counts["old_slugs"] += len(old)
        if u[18] < 0.15:
            add(meta("_yoast_wpseo_metadesc", fill(SENTENCES[lang][int(rnd() * 40)], lang, p.combo)))
        if u[18] < 0.10:
            add(meta("_yoast_wpseo_primary_category", str(cat[0])))
        if u[19] < 0.3:
            add(meta("post_views_count", str(int(rnd() * 20000))))
        if p.status == "trash":
            add(meta("_wp_trash_meta_status", "publish"))
            add(meta("_wp_trash_meta_time", str(min(EXPORT_TS - 600, gmt + 86400 * (1 + int(rnd() * 30))))))
            add(meta("_wp_desired_post_slug", p.slug))
        # Comments: this post's share of the total, exactly --comments in all.
        if p.weight:
            cumulative += p.weight
            target = args.comments * cumulative // total_weight
            n_comments, given = target - given, target
        else:
            n_comments = 0
        if n_comments:
            ids = []
            span = max(600, min(14 * 86400, EXPORT_TS - 600 - gmt))
            mean_gap = span / (n_comments + 1)
            when = gmt
            for _ in range(n_comments):
                comment_id += 1
                when = min(EXPORT_TS - 60, when + 30 + int(rng.expovariate(1.0 / mean_gap)))
                parent = 0
                if ids and rnd() < 0.33:
                    parent = ids[-1 - int(rnd() * min(len(ids), 8))]
                    counts["comment_replies"] += 1
                ids.append(comment_id)
                xml, approved = make_comment(rnd, p, comment_id, parent, when, offset, url)
                add(xml)
                by_approved[approved] = by_approved.get(approved, 0) + 1
                counts["comments"] += 1
        add("\t</item>\n")
        w("".join(parts))
        for k, (att_id, att_ts, stem, rel, alt) in enumerate(att_meta):
            file_url = "%s/wp-content/uploads/%s" % (url, rel)
            name = slugify(stem)
            if p.status in ("publish", "private"):
                link = "%s%s/" % (p.link, name)
            else:
                link = "%s/?attachment_id=%d" % (url, att_id)
            filesize = sizes[att_id % len(sizes)]
            sized = {}
            for size_name, sw, sh, crop in (("medium", 300, 300, False), ("thumbnail", 150, 150, True)):
                if width > sw or height > sh:
                    if crop:
                        dw, dh = sw, sh
                    else:
                        f = min(sw / width, sh / height)
                        dw, dh = int(round(width * f)), int(round(height * f))
                    sized[size_name] = {"file": "%s-%dx%d.jpg" % (stem, dw, dh), "width": dw,
                                        "height": dh, "mime-type": "image/jpeg",
                                        "filesize": filesize // 3}
            metadata = php({"width": width, "height": height, "file": rel, "filesize": filesize,
                            "sizes": sized, "image_meta": IMAGE_META})
            w(item_head(stem, link, att_ts, p.author[1], file_url, "", alt if rnd() < 0.3 else "",
                        att_id, att_ts + offset, att_ts, att_ts + offset, att_ts, "open", name,
                        "inherit", p.id, 0, "attachment", "", 0))
            w("\t\t<wp:attachment_url>%s</wp:attachment_url>\n" % cdata(file_url))
            w(meta("_wp_attached_file", rel))
            if alt:
                w(meta("_wp_attachment_image_alt", alt))
            w(meta("_wp_attachment_metadata", metadata))
            w("\t</item>\n")
            counts["attachments"] += 1
            if media:
                if (mix64(args.seed * 104729 + att_id) & 0xFFFF) / 65536 < MISSING_FILE_SHARE:
                    counts["attachment_files_missing"] += 1
                else:
                    media.write(rel, att_id)
                    counts["attachment_files"] += 1
    w("</channel>\n</rss>\n")
    size = None
    if out is not sys.stdout:
        out.close()
        size = os.path.getsize(args.out)
    counts["bytes"] = size
    counts["seconds"] = round(time.monotonic() - started, 1)
    counts["file"] = args.out
    if media:
        counts["media_dir"] = args.media_dir
    report(counts, "wrote %s: %d posts, %d pages, %d attachments%s, %d comments, %s in %.1f s" % (
        args.out, counts["posts"], counts["pages"], counts["attachments"],
        " (%d files, %d left missing)" % (counts["attachment_files"], counts["attachment_files_missing"])
        if media else "", counts["comments"], human(size), counts["seconds"]), args.out)


IMAGE_META = {"aperture": "0", "credit": "", "camera": "", "caption": "", "created_timestamp": "0",
              "copyright": "", "focal_length": "0", "iso": "0", "shutter_speed": "0", "title": "",
              "orientation": "0", "keywords": []}

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- It contains information about your site's posts, pages, comments, categories, and other content. -->
<!-- You may use this file to transfer that content from one site to another. -->
<!-- This file is not intended to serve as a complete backup of your site. -->

<!-- To import this information into a WordPress site follow these steps: -->
<!-- 1. Log in to that site as an administrator. -->
<!-- 2. Go to Tools: Import in the WordPress admin panel. -->
<!-- 3. Install the "WordPress" importer from the list. -->
<!-- 4. Activate & Run Importer. -->
<!-- 5. Upload this file using the form provided on that page. -->
<!-- 6. You will first be asked to map the authors in this export file to users -->
<!--    on the site. For each author, you may choose to map to an -->
<!--    existing user on the site or to create a new user. -->
<!-- 7. WordPress will then import each of the posts, pages, comments, categories, etc. -->
<!--    contained in this file into your site. -->

	<!-- generator="WordPress/6.7.1" created="{created}" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>The Courier</title>
	<link>{url}</link>
	<description>News from the port city &amp; beyond</description>
	<pubDate>{pub}</pubDate>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{url}</wp:base_site_url>
	<wp:base_blog_url>{url}</wp:base_blog_url>

"""
GENERATOR = """	<generator>https://wordpress.org/?v=6.7.1</generator>
	<image>
		<url>{url}/wp-content/uploads/2024/01/cropped-icon-32x32.png</url>
		<title>The Courier</title>
		<link>{url}</link>
		<width>32</width>
		<height>32</height>
	</image>

"""


def make_tags():
    """About 200 tags: (term id, slug, name, language)."""
    names = [(t, "en") for t in TAG_TOPICS["en"]] + [(en, "en") for en, _ in PLACES]
    names += [("%s %d" % (t, y), "en") for t in ("Elections", "Budget", "Heatwave", "Floods")
              for y in range(2012, 2027)]
    names += [(t, "en") for t in TAG_BODIES]
    names += [(t, "ar") for t in TAG_TOPICS["ar"]] + [(ar, "ar") for _, ar in PLACES]
    names += [("انتخابات %d" % y, "ar") for y in range(2018, 2027)] + [("موازنة 2026", "ar")]
    return [(100 + k, slugify(name), name, lang) for k, (name, lang) in enumerate(names)]


def pll_slug(seed, ar_id):
    """Polylang's group name: pll_ and uniqid()'s 13 hex digits."""
    return "pll_%013x" % (mix64(seed * 15485863 + ar_id) & 0xFFFFFFFFFFFFF)


def fill(sentence, lang, combo):
    if "{" not in sentence:
        return sentence
    k = 1 if lang == "ar" else 0
    return sentence.format(place=PLACES[combo % len(PLACES)][k],
                           obj=OBJECTS[(combo // len(TAILS)) % len(OBJECTS)][k])


def make_body(rnd, rng, site, p, att_meta, url, width, height):
    """3 to 8 paragraphs in one of the editors' shapes."""
    lang = p.lang
    bank = SENTENCES[lang]
    n_bank = len(bank)
    combo = p.combo
    # Sentences taken at a stride coprime with the bank's size: none twice in a body.
    at = int(rnd() * n_bank)
    stride = STRIDES[int(rnd() * len(STRIDES))]
    paragraphs = []
    for _ in range(3 + int(rnd() * 6)):
        sentences = []
        for _ in range(2 + int(rnd() * 4)):
            sentences.append(fill(bank[at % n_bank], lang, combo))
            at += stride
        paragraphs.append(" ".join(sentences))
    # Inline markup and a link to an earlier post now and then.
    if rnd() < 0.3:
        j = int(rnd() * len(paragraphs))
        words = paragraphs[j].split(" ")
        a = int(rnd() * max(1, len(words) - 3))
        tag = "strong" if rnd() < 0.5 else "em"
        words[a] = "<%s>%s" % (tag, words[a])
        words[a + 2 if a + 2 < len(words) else a] += "</%s>" % tag
        paragraphs[j] = " ".join(words)
    if rnd() < 0.2 and p.i > 10:
        q = site.post(p.i - 1 - int(rnd() * min(p.i - 1, 500)))
        if q.status == "publish":
            label = "Read more" if lang == "en" else "اقرأ أيضا"
            paragraphs.insert(int(rnd() * len(paragraphs)) + 1,
                              '%s: <a href="%s">%s</a>' % (label, q.link, escape(q.title)))
    if rnd() < 0.0005:
        paragraphs.append("In code: <code>if (a[b[0]]]]> 1) { return; }</code>")
    gutenberg = p.ts > calendar.timegm((2019, 1, 1, 0, 0, 0)) and rnd() < 0.8
    classic_p = not gutenberg and rnd() < 0.35
    picture = None
    if att_meta and rnd() < 0.6:
        att_id, _, stem, rel, alt = att_meta[0]
        picture = (att_id, "%s/wp-content/uploads/%s" % (url, rel), alt, CAPTIONS[lang][att_id % 6])
    gallery = len(att_meta) > 1 or (rnd() < 0.01 and att_meta)
    video = rnd() < 0.03
    blocks = []
    if gutenberg:
        for k, text in enumerate(paragraphs):
            if k == 2 and rnd() < 0.3:
                blocks.append("<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">%s</h2>\n<!-- /wp:heading -->"
                              % SUBHEADS[lang][int(rnd() * len(SUBHEADS[lang]))])
            if k == 3 and rnd() < 0.15:
                blocks.append("<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n"
                              "<p>%s</p>\n<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->" % text)
                continue
            blocks.append("<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->" % text)
            if k == 0 and picture:
                att_id, src, alt, caption = picture
                blocks.append(
                    "<!-- wp:image {\"id\":%d,\"sizeSlug\":\"full\",\"linkDestination\":\"none\"} -->\n"
                    "<figure class=\"wp-block-image size-full\"><img src=\"%s\" alt=\"%s\" class=\"wp-image-%d\"/>"
                    "<figcaption class=\"wp-element-caption\">%s</figcaption></figure>\n<!-- /wp:image -->"
                    % (att_id, src, escape(alt, {'"': "&quot;"}), att_id, caption))
        if gallery:
            blocks.append("<!-- wp:shortcode -->\n[gallery ids=\"%s\"]\n<!-- /wp:shortcode -->"
                          % ",".join(str(a[0]) for a in att_meta))
        if video:
            vid = YOUTUBE[int(rnd() * len(YOUTUBE))]
            blocks.append("<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=%s\",\"type\":\"video\","
                          "\"providerNameSlug\":\"youtube\"} -->\n<figure class=\"wp-block-embed is-type-video "
                          "is-provider-youtube wp-block-embed-youtube\"><div class=\"wp-block-embed__wrapper\">\n"
                          "https://www.youtube.com/watch?v=%s\n</div></figure>\n<!-- /wp:embed -->" % (vid, vid))
        return "\n\n".join(blocks)
    for k, text in enumerate(paragraphs):
        if k == 2 and rnd() < 0.2:
            blocks.append("<h3>%s</h3>" % SUBHEADS[lang][int(rnd() * len(SUBHEADS[lang]))])
        blocks.append("<p>%s</p>" % text if classic_p else text)
        if k == 0 and picture:
            att_id, src, alt, caption = picture
            blocks.append("[caption id=\"attachment_%d\" align=\"aligncenter\" width=\"%d\"]<img class=\"size-full "
                          "wp-image-%d\" src=\"%s\" alt=\"%s\" width=\"%d\" height=\"%d\" /> %s[/caption]"
                          % (att_id, width, att_id, src, escape(alt, {'"': "&quot;"}), width, height, caption))
        if k == 1 and not classic_p and rnd() < 0.1:
            blocks.append("&nbsp;")
    if gallery:
        blocks.append("[gallery ids=\"%s\"]" % ",".join(str(a[0]) for a in att_meta))
    if video:
        vid = YOUTUBE[int(rnd() * len(YOUTUBE))]
        blocks.append("[embed]https://www.youtube.com/watch?v=%s[/embed]" % vid if rnd() < 0.5
                      else "https://www.youtube.com/watch?v=%s" % vid)
    return ("\n" if classic_p else "\n\n").join(blocks)


def make_comment(rnd, p, comment_id, parent, when, offset, url):
    lang = p.lang if rnd() < 0.9 else ("ar" if p.lang == "en" else "en")
    kind = "comment"
    user_id = 0
    meta = ""
    s = rnd()
    if p.status == "trash":
        approved = "post-trashed"
    else:
        approved = "1" if s < 0.88 else "0" if s < 0.93 else "spam" if s < 0.97 else "trash"
    r = rnd()
    if approved == "spam":
        name, handle = "Cheap deals", "deals%d" % (comment_id % 50)
        email = "%s@spam.example" % handle
        author_url = "http://spam.example/%d" % (comment_id % 50)
        content = SPAM[comment_id % len(SPAM)]
        ip = "192.0.2.%d" % (comment_id % 250 + 1)
    elif r < 0.01 and not parent:
        kind = "pingback"
        name = "Harbour Watch" if lang == "en" else "مرصد المرفأ"
        email = ""
        author_url = "https://harbour.example.org/%d/" % comment_id
        content = "[&#8230;] %s [&#8230;]" % fill(SENTENCES[lang][comment_id % 40], lang, p.combo)
        ip = "198.51.100.%d" % (comment_id % 250 + 1)
    elif r < 0.04 and parent:
        name = p.author[2]
        email = p.author[1].replace(".", "") + "@" + url.split("//")[1]
        author_url = ""
        user_id = p.author[0]
        content = "Thanks, we will follow up." if p.lang == "en" else "شكرا لك، سنتابع الموضوع."
        ip = "198.51.100.%d" % p.author[0]
    else:
        readers = READERS[lang]
        name, handle = readers[int(rnd() * len(readers))]
        number = int(rnd() * 900)
        email = "" if rnd() < 0.03 else "%s%d@example.%s" % (handle, number, ("net", "com", "org")[number % 3])
        author_url = "https://%s.example.net" % handle.replace(".", "") if rnd() < 0.08 else ""
        bank = COMMENTS[lang]
        at = int(rnd() * len(bank))
        content = " ".join(fill(bank[(at + 5 * k) % len(bank)], lang, p.combo + comment_id)
                           for k in range(1 + int(rnd() * 3)))
        t = rnd()
        if t < 0.05:
            content = content.replace(" ", " <em>", 1) + "</em>"
        elif t < 0.1:
            content += "\n\n" + fill(bank[int(rnd() * len(bank))], lang, p.combo)
        octet = int(rnd() * 65536)
        ip = ("203.0.113.%d" % (octet % 254 + 1) if octet % 3 else "2001:db8::%x" % octet)
    if approved == "trash":
        meta = ("\t\t\t<wp:commentmeta>\n\t\t\t<wp:meta_key><![CDATA[_wp_trash_meta_status]]></wp:meta_key>\n"
                "\t\t\t<wp:meta_value><![CDATA[1]]></wp:meta_value>\n\t\t\t</wp:commentmeta>\n"
                "\t\t\t<wp:commentmeta>\n\t\t\t<wp:meta_key><![CDATA[_wp_trash_meta_time]]></wp:meta_key>\n"
                "\t\t\t<wp:meta_value><![CDATA[%d]]></wp:meta_value>\n\t\t\t</wp:commentmeta>\n"
                % min(EXPORT_TS - 30, when + 7200))
    elif rnd() < 0.3:
        meta = ("\t\t\t<wp:commentmeta>\n\t\t\t<wp:meta_key><![CDATA[akismet_result]]></wp:meta_key>\n"
                "\t\t\t<wp:meta_value><![CDATA[%s]]></wp:meta_value>\n\t\t\t</wp:commentmeta>\n"
                % ("true" if approved == "spam" else "false"))
    return "".join(("\t\t<wp:comment>\n\t\t\t<wp:comment_id>%d</wp:comment_id>\n"
            "\t\t\t<wp:comment_author>%s</wp:comment_author>\n"
            "\t\t\t<wp:comment_author_email>%s</wp:comment_author_email>\n"
            "\t\t\t<wp:comment_author_url>%s</wp:comment_author_url>\n"
            "\t\t\t<wp:comment_author_IP>%s</wp:comment_author_IP>\n"
            "\t\t\t<wp:comment_date>%s</wp:comment_date>\n\t\t\t<wp:comment_date_gmt>%s</wp:comment_date_gmt>\n"
            "\t\t\t<wp:comment_content>%s</wp:comment_content>\n"
            "\t\t\t<wp:comment_approved>%s</wp:comment_approved>\n"
            "\t\t\t<wp:comment_type>%s</wp:comment_type>\n\t\t\t<wp:comment_parent>%d</wp:comment_parent>\n"
            "\t\t\t<wp:comment_user_id>%d</wp:comment_user_id>\n%s\t\t</wp:comment>\n" % (
                comment_id, cdata(name), cdata(email), author_url, cdata(ip), cdata(wp_time(when + offset)),
                cdata(wp_time(when)), cdata(content), cdata(approved), cdata(kind), parent, user_id, meta),)), approved


# ---------------------------------------------------------------------------
# Disqus

class Thread:
    __slots__ = ("dsq_id", "kind", "post", "ident", "link", "title", "created", "author",
                 "ip", "closed", "deleted", "weight", "lang")


def thread_link(rng, p, url):
    """The address the browser had: scheme, www., slash, query and escapes vary."""
    link = p.link
    r = rng.random()
    if r < 0.06:
        link = p.guid  # ?p=ID, before pretty permalinks
    scheme, rest = link.split("://", 1)
    if rng.random() < 0.15:
        scheme = "http"
    if rng.random() < 0.12 and not rest.startswith("www."):
        rest = "www." + rest
    if p.lang == "ar" and "%" in rest:
        e = rng.random()
        if e < 0.5:
            rest = escapes_to_upper(rest)
        elif e < 0.7:
            rest = escapes_to_raw(rest)
    if rest.endswith("/") and rng.random() < 0.1:
        rest = rest[:-1]
    q = rng.random()
    if q < 0.08:
        rest += ("&" if "?" in rest else "?") + "utm_source=%s&utm_medium=social" % (
            "twitter", "facebook", "newsletter")[int(rng.random() * 3)]
    elif q < 0.1:
        rest += ("&" if "?" in rest else "?") + "amp=1"
    elif q < 0.12:
        rest += "#comments"
    return scheme + "://" + rest


def orphan_thread(rng, k, ts, url, site):
    host = url.split("://", 1)[1]
    kind = k % 5
    t = time.gmtime(ts)
    if kind == 0:
        return ("old-%d" % k, "http://%s/%04d/%02d/removed-story-%d/" % (host, t.tm_year, t.tm_mon, k),
                "A story since removed")
    if kind == 1:
        return ("", "https://%s/category/news/page/%d/" % (host, 2 + k % 9), "News | The Courier")
    if kind == 2:
        missing = FIRST_POST_ID + ID_STEP * int(rng.random() * site.n) + 3
        return ("%d %s/?p=%d" % (missing, url, missing), "%s/?p=%d" % (url, missing), "Untitled")
    if kind == 3:
        return ("", "https://staging.%s/%04d/%02d/test-post-%d/" % (host, t.tm_year, t.tm_mon, k),
                "Test post, please ignore")
    return ("", "http://localhost:8080/%04d/%02d/draft-preview-%d/" % (t.tm_year, t.tm_mon, k), "Preview")


def disqus_threads(site, args, eligible):
    """The threads in file order, the same sequence on every call."""
    rng = random.Random(args.seed * 977 + 3)
    n = args.threads
    n_orphan = max(1, n * 3 // 100) if n >= 10 else 0
    n_dup = n * 3 // 100
    n_matched = n - n_orphan - n_dup
    if n_matched > eligible:
        sys.exit("import_data.py: %d threads need %d published posts; --posts-of %d has %d"
                 % (n, n_matched, site.n, eligible))
    url = site.url
    dsq = 7300000000
    need_match, left_elig = n_matched, eligible
    need_orphan, left_slots = n_orphan, n_matched + n_orphan
    need_dup, left_matched = n_dup, n_matched
    last_ts = FIRST_TS
    i = 0
    orphan_k = 0
    while left_slots:
        if rng.random() * left_slots < need_orphan:
            need_orphan -= 1
            left_slots -= 1
            orphan_k += 1
            ident, link, title = orphan_thread(rng, orphan_k, last_ts, url, site)
            th = Thread()
            dsq += 1
            th.dsq_id, th.kind, th.post, th.ident, th.link, th.title = dsq, "orphan", None, ident, link, title
            th.created = last_ts + 3600
            th.author = None
            th.lang = "en"
            th.ip = "198.51.100.%d" % (orphan_k % 250 + 1)
            th.closed = False
            th.deleted = rng.random() < 0.5
            th.weight = 0 if rng.random() < 0.5 else 1000
            yield th
            continue
        left_slots -= 1
        # The next post chosen among the eligible ones (selection sampling).
        while True:
            p = site.post(i)
            i += 1
            if p.status != "publish":
                continue
            left_elig -= 1
            if rng.random() * (left_elig + 1) < need_match:
                need_match -= 1
                break
        last_ts = p.ts
        copies = 1
        if rng.random() * left_matched < need_dup:
            need_dup -= 1
            copies = 2
        left_matched -= 1
        for copy in range(copies):
            th = Thread()
            dsq += 1
            th.dsq_id, th.kind, th.post, th.lang = dsq, "post" if copy == 0 else "duplicate", p, p.lang
            if copy == 0:
                th.ident = "%d %s" % (p.id, p.guid) if rng.random() < 0.8 else ""
                th.link = thread_link(rng, p, url)
            else:
                th.ident = ""
                th.link = p.link.rstrip("/") + "?utm_source=twitter&utm_medium=social"
            th.title = p.title + (" | The Courier" if rng.random() < 0.3 else "")
            th.created = min(EXPORT_TS - 120, p.ts + 60 + int(rng.random() * 7200) + copy * 86400)
            th.author = p.author if rng.random() < 0.7 else None
            th.ip = "198.51.100.%d" % p.author[0] if th.author else "203.0.113.%d" % (1 + int(rng.random() * 250))
            th.closed = rng.random() < 0.05
            th.deleted = rng.random() < 0.01
            u = rng.random()
            th.weight = 0 if u < 0.3 else int(1000 * min(300.0, (1.0 - rng.random()) ** (-1 / 1.2)))
            if copy == 1:
                th.weight = th.weight // 4 + 1
            yield th


def disqus_author(rnd, lang, k):
    readers = READERS[lang]
    name, handle = readers[int(rnd() * len(readers))]
    anonymous = rnd() < 0.2
    number = int(rnd() * 900)
    email = "" if rnd() < 0.08 else "%s%d@example.%s" % (handle, number, ("net", "com", "org")[number % 3])
    username = "" if anonymous else ("%s_%d" % (handle.replace(".", "_"), number) if rnd() < 0.8
                                     else "disqus_%06x" % (k * 2654435761 % 0xFFFFFF))
    return name, email, anonymous, username


def author_xml(indent, name, email, anonymous, username):
    pad = " " * indent
    return ("%s<author>\n%s    <email>%s</email>\n%s    <name>%s</name>\n%s    <isAnonymous>%s</isAnonymous>\n%s%s</author>\n"
            % (pad, pad, escape(email), pad, escape(name), pad, "true" if anonymous else "false",
               "" if anonymous else "%s    <username>%s</username>\n" % (pad, escape(username)), pad))


def disqus(args):
    started = time.monotonic()
    site = Site(args.posts_of, args.arabic_share, args.seed, args.site_url, args.utc_offset)
    eligible = sum(1 for i in range(site.n) if site.base(i)[1] == "publish")
    counts = {"threads": 0, "threads_by_kind": {}, "threads_with_identifier": 0, "posts": 0,
              "posts_deleted": 0, "posts_spam": 0, "posts_unapproved": 0, "replies": 0,
              "orphan_posts": 0, "posts_of": site.n}
    out = open_out(args.out)
    w = out.write
    w('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
      'xmlns:dsq="http://disqus.com/disqus-internals" '
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd '
      'http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n\n')
    forum = escape(args.forum)
    category = 8812001
    w('    <category dsq:id="%d">\n        <forum>%s</forum>\n        <title>General</title>\n'
      '        <isDefault>true</isDefault>\n    </category>\n\n' % (category, forum))
    total_weight = 0
    last_dsq = 7300000000
    for th in disqus_threads(site, args, eligible):
        total_weight += th.weight
        last_dsq = th.dsq_id
        counts["threads"] += 1
        counts["threads_by_kind"][th.kind] = counts["threads_by_kind"].get(th.kind, 0) + 1
        if th.ident:
            counts["threads_with_identifier"] += 1
        if th.author:
            author = author_xml(8, th.author[2], th.author[1].replace(".", "") + "@" + site.url.split("//")[1],
                                False, th.author[1].replace(".", "_") + "_courier")
        else:
            author = author_xml(8, "Guest", "anon@example.com", True, "")
        w('    <thread dsq:id="%d">\n        %s\n        <forum>%s</forum>\n'
          '        <category dsq:id="%d"/>\n        <link>%s</link>\n        <title>%s</title>\n'
          '        <message/>\n        <createdAt>%s</createdAt>\n%s        <ipAddress>%s</ipAddress>\n'
          '        <isClosed>%s</isClosed>\n        <isDeleted>%s</isDeleted>\n    </thread>\n\n' % (
              th.dsq_id, "<id>%s</id>" % escape(th.ident) if th.ident else "<id/>", forum, category,
              escape(th.link), escape(th.title), iso_time(th.created), author, th.ip,
              "true" if th.closed else "false", "true" if th.deleted else "false"))
    n_orphan_posts = max(1, args.posts // 500) if args.posts >= 50 else 0
    main_posts = args.posts - n_orphan_posts
    if main_posts and not total_weight:
        sys.exit("import_data.py: no thread to put posts on; give more --threads")
    rng = random.Random(args.seed * 131 + 11)
    rnd = rng.random
    dsq = 4100000000
    cumulative = given = 0

    def post_xml(dsq_id, thread_id, parent, when, lang, combo, ident=""):
        deleted = rnd() < 0.03
        spam = rnd() < 0.03
        name, email, anonymous, username = disqus_author(rnd, lang, dsq_id)
        if spam:
            message = "<p>%s</p>" % SPAM[dsq_id % len(SPAM)]
        else:
            bank = COMMENTS[lang]
            at = int(rnd() * len(bank))
            message = "".join("<p>%s</p>" % escape(fill(bank[(at + 7 * k) % len(bank)], lang, combo))
                              for k in range(1 + int(rnd() * 2)))
            r = rnd()
            if r < 0.05:
                message += ('<p><a href="https://maps.example.org/%d" rel="nofollow noopener" '
                            'title="https://maps.example.org/%d">https://maps.example.org/%d</a></p>'
                            % (dsq_id, dsq_id, dsq_id))
            elif r < 0.1:
                message = message.replace("<p>", "<p><b>", 1).replace("</p>", "</b></p>", 1)
            elif r < 0.13:
                message = message.replace("</p><p>", "<br>")
        if rnd() < 0.05:
            body = "\n            %s\n        " % cdata(message)
        else:
            body = cdata(message)
        approved = ""
        a = rnd()
        if a < 0.3:
            approved = "        <isApproved>%s</isApproved>\n" % ("false" if a < 0.02 else "true")
            if a < 0.02:
                counts["posts_unapproved"] += 1
        counts["posts"] += 1
        counts["posts_deleted"] += deleted
        counts["posts_spam"] += spam
        if parent:
            counts["replies"] += 1
        octet = int(rnd() * 65536)
        ip = "203.0.113.%d" % (octet % 254 + 1) if octet % 5 else "2001:db8::%x" % octet
        return ('    <post dsq:id="%d">\n        %s\n        <message>%s</message>\n'
                '        <createdAt>%s</createdAt>\n        <isDeleted>%s</isDeleted>\n'
                '        <isSpam>%s</isSpam>\n%s%s        <ipAddress>%s</ipAddress>\n'
                '        <thread dsq:id="%d"/>\n%s    </post>\n\n' % (
                    dsq_id, "<id>%s</id>" % ident if ident else "<id/>", body, iso_time(when),
                    "true" if deleted else "false", "true" if spam else "false", approved,
                    author_xml(8, name, email, anonymous, username), ip, thread_id,
                    '        <parent dsq:id="%d"/>\n' % parent if parent else ""))

    for th in disqus_threads(site, args, eligible):
        if not th.weight:
            continue
        cumulative += th.weight
        target = main_posts * cumulative // total_weight
        n_posts, given = target - given, target
        if not n_posts:
            continue
        span = max(600, min(10 * 86400, EXPORT_TS - 120 - th.created))
        mean_gap = span / (n_posts + 1)
        when = th.created
        ids = []
        combo = th.post.combo if th.post else 0
        parts = []
        for _ in range(n_posts):
            dsq += 1
            when = min(EXPORT_TS - 60, when + 20 + int(rng.expovariate(1.0 / mean_gap)))
            parent = ids[-1 - int(rnd() * min(len(ids), 8))] if ids and rnd() < 0.35 else 0
            ids.append(dsq)
            lang = th.lang if rnd() < 0.9 else ("ar" if th.lang == "en" else "en")
            ident = "old-comment-%d" % dsq if th.kind == "orphan" and rnd() < 0.5 else ""
            parts.append(post_xml(dsq, th.dsq_id, parent, when, lang, combo, ident))
        w("".join(parts))
    # Posts whose thread the export does not hold.
    for k in range(n_orphan_posts):
        dsq += 1
        counts["orphan_posts"] += 1
        w("    <!-- its thread is not in the export -->\n")
        w(post_xml(dsq, last_dsq + 1000 + k, 0, EXPORT_TS - 86400 * (k % 300 + 1), "en", k))
    w("</disqus>\n")
    if out is not sys.stdout:
        out.close()
        counts["bytes"] = os.path.getsize(args.out)
    else:
        counts["bytes"] = None
    counts["seconds"] = round(time.monotonic() - started, 1)
    counts["file"] = args.out
    report(counts, "wrote %s: %d threads (%s), %d posts (%d replies, %d orphans), %s in %.1f s" % (
        args.out, counts["threads"], ", ".join("%d %s" % (v, k) for k, v in counts["threads_by_kind"].items()),
        counts["posts"], counts["replies"], counts["orphan_posts"], human(counts["bytes"]),
        counts["seconds"]), args.out)


def human(size):
    if size is None:
        return "?"
    return "%.1f MB" % (size / 1e6) if size >= 1e6 else "%d bytes" % size


def report(counts, line, out):
    print(line, file=sys.stderr, flush=True)
    if out != "-":
        print(json.dumps(counts, sort_keys=True), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    wp = sub.add_parser("wordpress", help="a WordPress export (WXR 1.2)")
    wp.add_argument("out", metavar="OUT.xml", help="file to write, or - for standard output")
    wp.add_argument("--posts", type=int, default=100000)
    wp.add_argument("--comments", type=int, default=300000)
    wp.add_argument("--arabic-share", type=float, default=0.3)
    wp.add_argument("--attachments-share", type=float, default=0.5,
                    help="share of posts with a featured image of their own")
    wp.add_argument("--media-dir", metavar="DIR",
                    help="also write the attachments' files here (a copy of wp-content/uploads)")
    wp.add_argument("--media-size", default="480x320", metavar="WxH")
    wp.add_argument("--site-url", default="https://courier.example.org")
    wp.add_argument("--utc-offset", type=float, default=3, help="site time minus UTC, in hours")
    wp.add_argument("--seed", type=int, default=1)
    dq = sub.add_parser("disqus", help="a Disqus export of the WordPress export's comments")
    dq.add_argument("out", metavar="OUT.xml", help="file to write, or - for standard output")
    dq.add_argument("--threads", type=int, default=20000)
    dq.add_argument("--posts", type=int, default=100000, help="Disqus posts (comments)")
    dq.add_argument("--posts-of", type=int, default=100000,
                    help="--posts of the WordPress export the threads point to")
    dq.add_argument("--arabic-share", type=float, default=0.3, help="as given to the WordPress export")
    dq.add_argument("--site-url", default="https://courier.example.org")
    dq.add_argument("--utc-offset", type=float, default=3, help="as given to the WordPress export")
    dq.add_argument("--forum", default="thecourier")
    dq.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.mode == "wordpress":
        wordpress(args)
    else:
        disqus(args)


if __name__ == "__main__":
    main()
