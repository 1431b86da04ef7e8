#!/usr/bin/env python3
"""Generated NewsML-G2 newsItem files for bench/ingest.sh, in the shape of
fixtures/ingest/g2-xhtml-default-ns.xml: one item a file, a unique guid
and a unique headline each, English and Arabic alternating (every other
item in Arabic goes to the Arabic edition of the source's site), an XHTML
body of four to six paragraphs (about 2 KB), subjects, keywords, a byline
from a small set of names and a credit line. Standard library only.

    python3 bench/wire_items.py --out DIR --count 10000 [--prefix run1] [--start 0]
        [--first-created past|none]

Headlines end with a reference, "(ref PREFIX-000123)", so a client can
find the article an item became by its headline alone. `--first-created
past` (the default) dates items a few seconds apart before now, as an
agency's backlog; `none` leaves `firstCreated` out, so the article is
published at the moment it is taken (what the latency run needs to find
it at the top of the newest articles).
"""

import argparse
import os
import random
import time
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

EN = {
    "subjects": ["Ministers", "Port workers", "The central bank", "Farmers", "Teachers",
                 "The parliament", "Rescue teams", "Exporters", "City officials", "Airlines"],
    "verbs": ["agree on", "reject", "call for", "announce", "delay", "welcome", "debate",
              "prepare", "approve", "review"],
    "objects": ["a new budget", "wider reforms", "higher wages", "a water plan",
                "fresh elections", "cheaper fuel", "new rail links", "a trade deal",
                "flood defences", "a housing scheme"],
    "places": ["Beirut", "Amman", "Cairo", "Rabat", "Tunis", "Doha", "Muscat", "Baghdad"],
    "bylines": ["Rana Example", "Omar Sample", "Lina Writer", "Karim Reporter"],
    "sentences": [
        "Officials said talks would continue through the week and that a decision was expected before the end of the month.",
        "The announcement followed months of negotiations between the government and representatives of the sector.",
        "Analysts said the move could ease pressure on households that have faced rising prices since the spring.",
        "Opposition lawmakers questioned the cost of the plan and asked for a full report to be published.",
        "Residents interviewed on Saturday said they hoped the measures would bring lasting change to the region.",
        "A spokesman declined to give further details, saying more information would be released in the coming days.",
        "Trade figures published last week showed exports rising for the third month in a row.",
        "The ministry said inspectors would visit every site before the new rules take effect in January.",
    ],
    "keywords": ["economy", "politics", "trade", "transport", "energy", "education", "water"],
}
AR = {
    "subjects": ["الوزراء", "عمال المرفأ", "المصرف المركزي", "المزارعون", "المعلمون",
                 "البرلمان", "فرق الإنقاذ", "المصدرون", "مسؤولو البلدية", "شركات الطيران"],
    "verbs": ["يتفقون على", "يرفضون", "يطالبون باعتماد", "يعلنون", "يؤجلون", "يرحبون باعتماد",
              "يناقشون", "يعدون", "يقرون", "يراجعون"],
    "objects": ["موازنة جديدة", "إصلاحات أوسع", "رفع الأجور", "خطة للمياه", "انتخابات مبكرة",
                "خفض أسعار الوقود", "خطوط سكك حديدية جديدة", "اتفاق تجاري", "سدود للفيضانات",
                "مشروع إسكان"],
    "places": ["بيروت", "عمان", "القاهرة", "الرباط", "تونس", "الدوحة", "مسقط", "بغداد"],
    "bylines": ["رنا المثال", "عمر النموذج", "لينا الكاتبة", "كريم المراسل"],
    "sentences": [
        "قال مسؤولون إن المحادثات ستستمر طوال الأسبوع وإن قرارا متوقعا قبل نهاية الشهر.",
        "جاء الإعلان بعد أشهر من المفاوضات بين الحكومة وممثلي القطاع.",
        "قال محللون إن الخطوة قد تخفف الضغط عن الأسر التي تواجه ارتفاع الأسعار منذ الربيع.",
        "تساءل نواب المعارضة عن كلفة الخطة وطالبوا بنشر تقرير كامل.",
        "قال سكان التقيناهم يوم السبت إنهم يأملون أن تحقق الإجراءات تغييرا دائما في المنطقة.",
        "رفض متحدث إعطاء مزيد من التفاصيل وقال إن معلومات إضافية ستصدر في الأيام المقبلة.",
        "أظهرت أرقام التجارة المنشورة الأسبوع الماضي ارتفاع الصادرات للشهر الثالث على التوالي.",
        "قالت الوزارة إن المفتشين سيزورون كل موقع قبل دخول القواعد الجديدة حيز التنفيذ في يناير.",
    ],
    "keywords": ["اقتصاد", "سياسة", "تجارة", "نقل", "طاقة", "تعليم", "مياه"],
}
SUBJECTS = ["medtop:04000000", "medtop:11000000", "medtop:20000349", "medtop:05000000",
            "medtop:06000000"]


def headline(n, prefix, arabic):
    """The unique headline of item n: words from the tables, then its reference."""
    words = AR if arabic else EN
    rng = random.Random(f"{prefix}-{n}")
    text = "{} {} {} {} {}".format(
        rng.choice(words["subjects"]), rng.choice(words["verbs"]), rng.choice(words["objects"]),
        "في" if arabic else "in", rng.choice(words["places"]))
    return f"{text} (ref {prefix}-{n:06d})"


def item(n, prefix, first_created="past", now=None):
    """The bytes of item n (Arabic when n is odd) and its headline."""
    arabic = n % 2 == 1
    words = AR if arabic else EN
    rng = random.Random(f"{prefix}-{n}")
    lang = "ar" if arabic else "en"
    title = headline(n, prefix, arabic)
    place = rng.choice(words["places"])
    now = now or datetime.now(timezone.utc)
    created = now - timedelta(seconds=10 * (n + 1))
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    first = f"\n    <firstCreated>{stamp}</firstCreated>" if first_created == "past" else ""
    paragraphs = rng.sample(words["sentences"], rng.randint(4, 6))
    body = "\n".join(f"          <p>{escape(p)}</p>" for p in paragraphs)
    keywords = "\n".join(f"    <keyword>{escape(k)}</keyword>"
                         for k in rng.sample(words["keywords"], 2))
    subjects = "\n".join(
        f'    <subject type="cpnat:abstract" qcode="{q}"/>' for q in rng.sample(SUBJECTS, 2))
    credit = "المصدر: وكالة المثال" if arabic else "Source: Example Wire"
    summary = paragraphs[0]
    rtl = ' dir="rtl"' if arabic else ""
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"
    guid="urn:newsml:bench.example:{prefix}:{n:06d}"
    version="1" standard="NewsML-G2" standardversion="2.35"
    conformance="power" xml:lang="{lang}">
  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>
  <rightsInfo>
    <copyrightHolder literal="Example Wire"/>
  </rightsInfo>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:EXW"><name>Example Wire Service</name></provider>
    <versionCreated>{stamp}</versionCreated>{first}
    <pubStatus qcode="stat:usable"/>
    <edNote>Eds: bench item {prefix}-{n:06d}.</edNote>
  </itemMeta>
  <contentMeta>
    <located qcode="city:{n % 8}"><name>{escape(place)}</name></located>
    <infoSource role="infosrc:originatingsource" literal="Example Wire"/>
{subjects}
    <slugline>BENCH-{prefix.upper()}/{n:06d}</slugline>
    <headline>{escape(title)}</headline>
    <dateline>{escape(place)} -</dateline>
    <by>{"" if arabic else "By "}{escape(rng.choice(words["bylines"]))}</by>
    <creditline>{escape(credit)}</creditline>
    <description role="drol:summary">{escape(summary)}</description>
{keywords}
    <language tag="{lang}"/>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+html">
      <html xmlns="http://www.w3.org/1999/xhtml"{rtl}>
        <head><title>{escape(title)}</title></head>
        <body>
{body}
        </body>
      </html>
    </inlineXML>
  </contentSet>
</newsItem>
"""
    return text.encode("utf-8"), title


def file_name(n, prefix):
    return f"{prefix}-{n:06d}.xml"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder to write into (made if missing)")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--start", type=int, default=0, help="number of the first item")
    parser.add_argument("--prefix", default="bench", help="makes guids and headlines unique per run")
    parser.add_argument("--first-created", choices=["past", "none"], default="past")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    now = datetime.now(timezone.utc)
    started = time.monotonic()
    size = 0
    for n in range(args.start, args.start + args.count):
        data, _ = item(n, args.prefix, args.first_created, now)
        with open(os.path.join(args.out, file_name(n, args.prefix)), "wb") as f:
            f.write(data)
        size += len(data)
    print(f"wrote {args.count} items ({size} bytes) to {args.out} in "
          f"{time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
