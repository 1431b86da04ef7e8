# UI strings of the public English site. Every id here must exist in
# locales/ar/site.ftl too (a test checks).

skip-to-content = Skip to content
nav-sections = Sections
nav-home = Home
nav-archive = Archive
edition-switch = العربية
edition-switch-label = Read this site in Arabic

home-lead = Lead story
home-latest = Latest news
home-more-in = More in { $section }

article-last-updated = Last Updated :
article-published = Published
article-by = By
article-source = Source:
article-photo = Photo:
article-tags = Tags
article-more = More articles
article-comments = Reader comments
article-comments-empty = No comments yet.
article-corrections = Corrections
article-preview-notice = Preview: readers cannot see this version yet.
article-translation = اقرأ هذا المقال بالعربية

list-section = { $section }
list-tag = Tag: { $tag }
list-author = Articles by { $author }
list-archive = Archive
list-archive-month = Archive: { $month } { $year }
list-articles-count = { $count ->
    [0] No articles
    [one] One article
   *[other] { $count } articles
}
list-empty = There are no articles here yet.
pager-label = Pages
pager-previous = Previous page
pager-next = Next page
pager-status = Page { $page } of { $pages }

footer-follow = Follow us
social-facebook = Facebook
social-twitter = X (Twitter)
social-youtube = YouTube
social-rss = RSS
footer-address = Address

corrections-policy-name = Corrections policy
corrections-policy = When we get a fact wrong we correct the article promptly and add a dated correction note under it saying what changed.
error-not-found-title = Page not found
error-not-found-text = We could not find the page you asked for. It may have been moved or removed.
error-bad-request-title = Bad request
error-bad-request-text = The address you followed is not valid: { $reason }
error-server-title = Something went wrong
error-server-text = We could not show this page. Please try again in a moment.
error-back-home = Back to the home page

day-monday = Monday
day-tuesday = Tuesday
day-wednesday = Wednesday
day-thursday = Thursday
day-friday = Friday
day-saturday = Saturday
day-sunday = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
time-am = AM
time-pm = PM
error-forbidden-title = Not allowed
error-too-many-title = Too many requests

search-label = Search the site
search-placeholder = Search articles
search-button = Search
search-title = Search
search-results-for = Results for “{ $query }”
search-count = { $count ->
    [0] No articles found
    [one] One article found
   *[other] { $count } articles found
}
search-empty = Type a word or two to search for; put a phrase in "double quotes".
search-too-long = That search is too long: use at most { $limit } characters.
search-no-words = That search has only very common words or signs; try more specific words.
search-no-results = No articles match “{ $query }”. Check the spelling or try other words.
search-past-the-end = There are no more results. Back to the first page.
search-bad-filter = A filter of this search is not valid: { $reason }
search-sort = Sort by
search-sort-relevance = Relevance
search-sort-date = Newest first
search-section = Section
search-section-any = All sections
search-from = From
search-until = Until
search-apply = Apply
search-related = Related articles

## Live coverage
live-badge = Live
live-ended = Coverage has ended
live-key-events = Key events
live-updates = Latest updates
live-corrected = Corrected:
live-new-entries = New updates appear here as they are posted.
