"""Cleaning a page down to its article body.

``clean(text_or_html)`` dispatches on the content: HTML goes through trafilatura (body, title,
site name) and htmldate (publication date, called by trafilatura's metadata step); scraped
plain text goes through claimscope's own line cleaner, which drops what is not article body
(counters, share bars, captions and photo credits, comment forms and the comment section,
newsletter and cookie prompts, "Read more" links, copyright footers) and lists every dropped
line in ``CleanPage.removed``. Then ``check_language`` rejects clearly non-English text.

Paragraphs in ``CleanPage.text`` are separated by a blank line ("\\n\\n"); kept lines are
verbatim (only stripped at both ends; the lines of a hard-wrapped paragraph are joined with a
space), and every span downstream points into this text.

The text cleaner is our own because the libraries need HTML structure. Measured on the text
pages of tests/test_clean.py plus the seed, with every line wrapped in <p>: trafilatura
(fast) removes 1 of 73 must-not-appear boilerplate snippets; jusText keeps only 7 of 30
must-appear body snippets; our cleaner gets 73/73 and 30/30. It is a set of whole-line
patterns for boilerplate that looks the same on every site, plus position rules (title,
caption under the title, trailing comment section, link lists and what follows the footer).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re

import trafilatura

from ._errors import InputError, LanguageError


@dataclasses.dataclass(frozen=True)
class CleanPage:
    """The article body of one page and what was learnt about it on the way.

    ``text`` is the body (paragraphs separated by "\\n\\n", title not included);
    ``published`` is "YYYY-MM-DD"; ``removed`` lists the dropped lines/blocks in page order
    (for HTML: what the line cleaner dropped from trafilatura's output, if anything).
    """

    text: str
    title: str | None
    site: str | None
    published: str | None
    language: str | None
    removed: tuple[str, ...]
    is_html: bool


# --------------------------------------------------------------------------- HTML detection

_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_SKELETON = re.compile(r"<(?:html|head|body)\b[^>]*>", re.I)
_BLOCK_TAG = re.compile(
    r"<(?:p|div|h[1-6]|ul|ol|li|table|tr|td|article|section|header|footer|nav|main|aside|"
    r"blockquote|pre|form|figure|figcaption|span|a|img|br|hr|meta|link|script|style)\b[^<>]*>",
    re.I,
)
_CLOSE_TAG = re.compile(r"</(?:p|div|h[1-6]|ul|ol|li|table|tr|td|article|section|span|a|script|style)\s*>", re.I)


def looks_like_html(text: str) -> bool:
    """True if ``text`` is an HTML document or fragment (by content, not by a stray "<b>")."""
    if _HTML_START.match(text[:4096]):
        return True
    sample = text[:200_000]
    if _HTML_SKELETON.search(sample) and _CLOSE_TAG.search(sample):
        return True
    # A fragment: several block-level tags and at least two closing tags.
    tags = 0
    for _ in _BLOCK_TAG.finditer(sample):
        tags += 1
        if tags >= 3:
            return len(_CLOSE_TAG.findall(sample)) >= 2
    return False


# --------------------------------------------------------------------------- HTML

# Chosen on the article-extraction benchmark (bench/pages.py: 181 pages, F1 of word 4-gram
# shingles; "drops" = pages whose recall falls below plain trafilatura's):
#
#   trafilatura options   + headline removed   + line cleaner (groups below)
#   default               0.962, drops 0       0.965, drops 0
#   favor_precision       0.966, drops 16      0.967, drops 16
#   fast                  0.965, drops 0       0.967, drops 0      <- used (also the fastest)
#
# Plain trafilatura.extract scores 0.960 there. The line cleaner over trafilatura's output
# drops "Read more:"/"Related:" links, newsletter prompts, tags, comment-section leftovers.
_TRAFILATURA_OPTIONS = {"fast": True, "include_comments": False}

# Line-cleaner rule groups NOT applied to trafilatura's output: the benchmark's gold bodies
# keep wire-service credits, copyright footers, "Originally published on..." notes, "Follow X
# on Twitter" and "Story continues below" lines on 7 pages, so with every group the cleaner
# loses gold text there (F1 0.967 all the same). On scraped text all groups apply.
_HTML_SKIPPED_RULES = frozenset({"copyright", "follow", "advertisement"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def clean_html(html: str, *, url: str | None = None) -> CleanPage:
    """Extract the article body and metadata of an HTML page with trafilatura + htmldate.

    Raises ``InputError("no article text found")`` when neither trafilatura's extraction nor
    its baseline finds any text, and ``InputError`` for HTML that the parser cannot read.
    """
    # Date: htmldate.find_date, called by trafilatura's metadata step. Passed explicitly
    # because trafilatura ties htmldate's extensive search to its own "fast" flag.
    date_params = {
        "extensive_search": True,
        "original_date": True,
        "max_date": dt.date.today().isoformat(),
    }
    # lxml refuses a str that carries an encoding declaration; the text is decoded already.
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, date_extraction_params=date_params, **_TRAFILATURA_OPTIONS
        )
        body = document.text if document is not None else ""
        if not (body or "").strip():
            _, body, _ = trafilatura.baseline(html)
    except Exception as exc:  # lxml/trafilatura raise many types on hostile markup; translate all at the edge
        raise InputError(f"cannot parse HTML: {type(exc).__name__}: {exc}") from exc
    units = [line.strip() for line in (body or "").split("\n") if line.strip()]
    title = _clean_meta(document.title) if document is not None else None
    if title and units and _same_words(units[0], title):
        units.pop(0)  # trafilatura keeps the <h1> headline on some pages; it is the title, not body
    keep, line_date = _boilerplate_mask(units, skip=_HTML_SKIPPED_RULES)
    text, removed = _assemble(units, keep)
    if not text:
        raise InputError("no article text found")
    return CleanPage(
        text=text,
        title=title,
        site=_clean_meta(document.sitename) if document is not None else None,
        published=(_iso_date(document.date) if document is not None else None) or line_date,
        language=None,
        removed=removed,
        is_html=True,
    )


def _clean_meta(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _same_words(a: str, b: str) -> bool:
    return _WORD.findall(a.casefold()) == _WORD.findall(b.casefold())


# --------------------------------------------------------------------------- plain text

# Every pattern below is matched against one whole stripped line (fullmatch) and must be
# phrased so that a real body sentence cannot match: a sentence that merely *contains*
# "photo", "read" or "subscribe" is never boilerplate.

_AGENCIES = (
    r"AP|AFP|Reuters|Getty(?: Images)?|EPA(?:-EFE)?|Shutterstock|Alamy|iStock(?:photo)?|"
    r"PA(?: Images| Wire| Media)?|Xinhua|TASS|Sputnik|Anadolu(?: Agency)?|NurPhoto|ZUMA(?: Wire| Press)?|"
    r"SOPA Images|LightRocket|Bloomberg|Pool|Handout|Associated Press|Press Association|"
    r"Yonhap|KCNA|KNS|Sipa(?: USA)?|Imago|dpa|WireImage|FilmMagic|Contributor|Stringer|"
    r"File|Unsplash|Pexels|Wikimedia Commons|Flickr|Twitter|X|Facebook|Instagram|Telegram"
)
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
_AGENCY_LIST = rf"(?:{_AGENCIES})(?:\s*(?:/|,|&|\band\b|\bvia\b)\s*(?:{_AGENCIES}))*"
# Case-sensitive: a credit is agency names, or a photographer's name joined to one by "/" or
# "via" ("Jane Doe/Reuters", "EPA-EFE/JOHN DOE", "Kremlin Pool via AP"); a headline such as
# "Reuters Wins Award" is not.
_CREDIT_LINE = re.compile(
    rf"(?:(?i:photo(?:graph)?|image|picture)(?i:\s*credit)?\s*[:|]?\s*)?"
    rf"(?:{_AGENCY_LIST}(?:\s+for\s+{_NAME})?|{_NAME}\s*(?:/|\bvia\b)\s*{_AGENCY_LIST}|{_AGENCY_LIST}\s*/\s*{_NAME})\.?"
)
_CREDIT_ROLE = r"(?:reporting|writing|editing|edited|compiled|produced)"
_CAP = r"(?-i:[A-Z])"  # an upper-case letter even inside the case-insensitive rules

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE_WORDS = re.compile(
    rf"(?:{_MONTH}|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|"
    r"sat(?:urday)?|sun(?:day)?|at|on|am|pm|a\.m|p\.m|et|edt|est|ct|cdt|cst|pt|pdt|pst|gmt|utc|bst|cet|cest|"
    r"ist|jst|kst|msk|hours?|hrs?|minutes?|mins?|days?|weeks?|ago|\d{1,4}(?:st|nd|rd|th)?)",
    re.I,
)
_DATE_LINE_PREFIX = re.compile(
    r"(?:(published|posted|updated|last updated|first published|modified|date)(?:\s+on)?\s*[:|]?\s*)?(.*)",
    re.I,
)

# name -> pattern; the name is only for reading the code and debugging.
_LINE_RULES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.I)
    for name, pattern in {
        "counter": (
            r"(?:visited|viewed|read)\s+[\d,.]+\s*k?\s+times?\b.{0,60}"
            r"|[\d,.]+\s*visits?(?:\(s\))?\s+today"
            r"|[\d,.]+\s*[km]?\s+(?:shares?|views?|reads?|likes?|comments?|reactions?|retweets?|claps?)"
            r"|(?:shares?|views?|reads?|likes?|comments?|reactions?|page views?)\s*[:|]?\s*[\d,.]+\s*[km]?"
            r"|[\d]+[\s-]*min(?:ute)?s?\.?(?:\s+read(?:ing time)?)?|reading time\s*:?.{0,20}"
        ),
        "source link": r"source(?:\s+link|\s+url)?|(?:source|via|h/t|hat tip)\s*:\s*\S.{0,60}",
        "comment form": (
            r"leave a (?:reply|comment)(?: to .{1,60})?(?:\s+cancel reply)?"
            r"|(?:post|submit|add|write) (?:a |your )?comment"
            r"|your email address will not be published\..{0,80}|required fields are marked\s*\*?"
            r"|(?:name|e-?mail|website|comment|message)\s*\*|cancel reply|reply|(?:log|sign) in to (?:comment|reply)"
            r"|save my name,? e-?mail,? and website in this browser for the next time i comment\.?"
            r"|notify me of (?:new |follow-up )?(?:comments|posts|replies).{0,80}"
            r"|you must be logged in to post a comment\.?|comments are closed\.?"
            r"|this site uses akismet to reduce spam\..{0,100}"
        ),
        "newsletter": (
            r"(?:sign up|subscribe)(?:\s*[:!.]?|\s*[:!.]?\s+(?:for|to|now|here|today|free)\b.{0,160})"
            r"|(?:get|receive) (?:our|the) .{0,60}newsletters?\b.{0,100}"
            r"|newsletters?|enter your e-?mail(?: address)?.{0,80}|by (?:signing up|subscribing|clicking)\b.{0,240}"
            r"|thanks? (?:you )?for (?:signing up|subscribing).{0,100}|unsubscribe at any time.{0,60}"
        ),
        "more link": (
            r"(?:read more|read also|also read|read next|see also|continue reading|keep reading|further reading"
            r"|you (?:may|might) also (?:like|enjoy))\b.{0,200}|click here\b.{0,200}[^.!?]"
            r"|(?:related(?: articles| stories| posts| coverage| content| reading| links| topics| news)?"
            r"|more (?:on this(?: story)?|from [\w '’-]{1,40}|stories|news|coverage|like this)|more"
            r"|recommended(?: for you| reading| stories)?|editor'?s picks?|trending(?: now| stories)?|don'?t miss"
            r"|most (?:read|popular|viewed|shared)|popular(?: now| stories)?|top stories|latest(?: news| stories)?"
            r"|watch(?: now| video)?|listen(?: now)?|video)\s*(?:[:|»>–—-]\s*.{0,200})?"
        ),
        "caption": (
            r"(?:in )?this (?:[\w-]+ ){0,4}(?:photo(?:graph)?|image|picture|handout|screenshot|screen ?grab|"
            r"video grab|still|frame)s?\b,?\s*(?:provided|released|taken|made|shot|obtained|distributed|"
            r"posted|shared|issued|dated|courtesy|supplied|circulated)\b.*"
            r"|(?:photo(?:graph)?s?|images?|pictures?|pic|illustration|video|credit|caption|photo (?:credit|illustration)"
            r"|image credit|file photo)\s*[:|]\s*.{1,300}|(?:image|media) (?:source|caption)\s*[:,]\s*.{1,300}"
            r"|(?:photo(?:graph)?|image|picture|illustration)s? (?:by|courtesy(?: of)?|via)\b.{1,120}"
            r"|.{1,600}\((?:[^()]*\b(?:photos?|images|pool)\b[^()]*/[^()]*|[^()]*/\s*(?:AP|AFP|Reuters|"
            r"Getty Images|EPA(?:-EFE)?|Shutterstock)|(?:AP|AFP|Reuters|Getty Images)(?: photo)?)\)\.?"
            r"|.{1,600}[.!?)\]]\s*(?:photo|image|picture)(?: credit)?\s*:\s*[^.!?]{1,80}"
        ),
        "cookie notice": (
            r"(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b.{0,400}"
            r"|by (?:continuing|using) (?:to (?:use|browse) )?(?:this|our) (?:web)?site\b.{0,300}"
            r"|(?:accept|reject|allow|manage|decline)(?: all)?(?: cookies)?|cookie (?:policy|settings|preferences|consent)"
            r"|(?:i )?(?:accept|agree)|got it|manage (?:preferences|settings|options)"
        ),
        "advertisement": (
            r"advertisements?|advert|ads?|sponsored(?: content| post| links?| stories)?|paid (?:content|post)"
            r"|promoted(?: content| stories)?|partner content"
            r"|(?:advertisement\s*[-–—:]\s*)?(?:story|article|content|text) continues (?:below|after).{0,40}"
            r"|(?:advertisement\s*[-–—:]\s*)?scroll (?:down )?to continue(?: reading)?.{0,40}"
        ),
        "follow": (
            r"follow (?:us|me)\b.{0,160}"
            r"|(?:follow (?:[@#]?[\w.-]+ ){0,3}|(?:like|find|join|connect with) us )on (?:twitter|x|facebook|instagram|"
            r"tiktok|youtube|linkedin|threads|bluesky|telegram|mastodon|google news|whatsapp|flipboard)\b.{0,160}"
            r"|share (?:this|on|via)\b.{0,80}[^.!?]|share(?: this)?(?: article| story| post| page)?\s*:?"
            r"|(?:(?:facebook|twitter|x|linkedin|e-?mail|whatsapp|reddit|pinterest|telegram|print|share|copy|link|"
            r"tweet|messenger|flipboard|pocket|sms|mail|copied|bluesky|threads)\b[\s|,/·•]*){1,14}"
        ),
        "copyright": (
            r"(?:©|ⓒ|\(c\)\s*\d{4}).{0,300}|copyright\s*(?:©|ⓒ|\(c\)|\d{4}|by\b).{0,300}|copyright\b[^.!?]{0,100}"
            r"|(?:[^.!?]{0,160}[.,|]\s*)?all rights reserved\.?"
            r"|this material may not be published, broadcast, rewritten,? or redistributed\b.{0,100}"
            r"|this (?:article|story|post|piece) (?:was )?(?:originally|first) (?:published|appeared)\b.{0,200}"
            rf"|originally (?:published|appeared) (?:on|in|at|by) (?:{_CAP}[\w.'’-]*\s*){{1,6}}\.?"
            # Wire-service credits: "(Reporting by A; Editing by B)", "Reporting by A; editing by B",
            # "Additional reporting by A in Kyiv" -- names only, so "Research by X shows..." stays.
            rf"|\((?:additional )?{_CREDIT_ROLE} by [^()]{{1,250}}\)\.?"
            rf"|(?:additional )?{_CREDIT_ROLE} by [^.!?;]{{1,100}};\s*(?:additional )?{_CREDIT_ROLE} by [^.!?]{{1,150}}\.?"
            rf"|(?:additional )?{_CREDIT_ROLE} by (?:{_CAP}[\w'’.-]*\s*(?:,|and|&|in)?\s*){{1,8}}"
            r"|(?:the )?(?:views|opinions) expressed (?:in this|here|are)\b.{0,200}"
        ),
        "tags": (
            r"(?:tags?|tagged(?: with)?|filed under|categor(?:y|ies)|topics?|related topics|keywords|posted in)"
            r"\s*:\s*.{0,300}"
        ),
        "page chrome": (
            r"(?:about(?: us)?|contact(?: us)?|privacy(?: policy)?|terms(?: of (?:use|service))?(?: and conditions)?|"
            r"advertise(?: with us)?|careers|sitemap|help|faq|accessibility|rss|log ?in|log ?out|sign ?in|sign ?out|"
            r"register|home|menu|search|close|skip to (?:main )?content|back to top|next(?: article| post)?|"
            r"previous(?: article| post)?|print|e-?mail|loading\.*|show (?:more|comments)|hide comments|load more|"
            r"like this:?|share this:?|\W*)"
        ),
    }.items()
}

# A line opening the trailing comment section: everything from it to the end is dropped.
# ("Discussion" or "Conversation" alone are not openers: they are also article subheadings.)
_COMMENTS_START = re.compile(
    r"leave a (?:reply|comment)(?: to .{1,60})?(?:\s+cancel reply)?"
    r"|(?:\d+|no|one|two|three) (?:comments?|responses?|replies)(?: on .{1,200})?"
    r"|\d+ thoughts? on .{1,200}|comments?(?:\s*\(\d+\))?|(?:show|view|load|read) (?:all )?(?:\d+ )?comments?"
    r"|join the (?:conversation|discussion)|have your say|reader comments|(?:add|post|write) a comment",
    re.I,
)

# A header line of a list of links ("Related stories", "More on this story", "Read more:"):
# the short non-sentence lines right after it are the linked headlines.
_LINK_LIST_HEADER = re.compile(
    r"(?:related(?: articles| stories| posts| coverage| content| reading| links| topics| news)?|more on this(?: story)?"
    r"|more stories|more from [\w '’-]{1,40}|you (?:may|might) also (?:like|enjoy)|read (?:more|next|also)|also read"
    r"|see also|recommended(?: for you| reading| stories)?|most (?:read|popular|viewed|shared)|trending(?: now)?"
    r"|top stories|latest(?: news| stories)?|editor'?s picks?|don'?t miss|further reading)\s*[:.…]*",
    re.I,
)

_BYLINE = re.compile(
    r"(?:[Bb]y|BY|[Ww]ritten by|[Ww]ords by)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})*"
    r"(?:\s*[,|•·–—-]\s*[^.!?]{0,80})?",
)

# "…" or "..." at the end of a line that talks about a picture: a truncated caption.
_TRUNCATED = re.compile(r".*(?:…|\.\.\.)\s*")
_PICTURE_CUE = re.compile(
    r"\b(?:photo(?:graph)?s?|pictures?|pictured|images?|poses?|posing|left|right|cent(?:er|re)|background|"
    r"foreground|visits?|attends?|arrives?|gestures?|waves?|looks on|stands?|undisclosed|handout|file)\b",
    re.I,
)

_FULL_STOP_END = re.compile(r"[.。][\"'”’»)\]]*$")
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’»)\]]*$|[\"”’»」]$")
_WORD = re.compile(r"\w+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I)

_TITLE_MAX_WORDS = 30
_CAPTION_AFTER_TITLE_MAX_WORDS = 5
_HEADLINE_MAX_WORDS = 12
_CAPTION_MAX_CHARS = 400
_HEAD_LINES = 8  # bylines and datelines are only looked for this near the top


def clean_text(text: str) -> CleanPage:
    """Clean scraped plain text down to the article body, listing what was dropped.

    The first line becomes ``title`` if it looks like a headline (and is then neither in
    ``text`` nor in ``removed``); a very short non-sentence line right under it (image alt
    text, a section label) is dropped as a caption.
    """
    units = _units(text)
    keep, published = _boilerplate_mask(units)
    kept = [i for i, k in enumerate(keep) if k]
    title = None
    if len(kept) >= 2 and _is_title_like(units[kept[0]]):
        title = units.pop(kept[0])
        keep.pop(kept[0])
        nxt = kept[1] - 1
        if len(kept) >= 3 and _is_short_label(units[nxt]):
            keep[nxt] = False
    text, removed = _assemble(units, keep)
    return CleanPage(
        text=text, title=title, site=None, published=published, language=None, removed=removed, is_html=False
    )


def _boilerplate_mask(units: list[str], *, skip: frozenset[str] = frozenset()) -> tuple[list[bool], str | None]:
    """Which units to keep, and the publication date of a dateline near the top (if any).

    ``skip`` names rule groups of ``_LINE_RULES`` not to apply.
    """
    keep = [True] * len(units)
    _drop_comment_section(units, keep)
    rules = [rule for name, rule in _LINE_RULES.items() if name not in skip]
    published = None
    for i, unit in enumerate(units):
        if not keep[i]:
            continue
        if any(rule.fullmatch(unit) for rule in rules) or _is_credit_line(unit) or _is_truncated_caption(unit):
            keep[i] = False
        elif i < _HEAD_LINES and (date := _date_line(unit)) is not None:
            keep[i] = False
            if date and published is None:
                published = date
        elif i < _HEAD_LINES and _BYLINE.fullmatch(unit):
            keep[i] = False
    _drop_link_lists(units, keep)
    _drop_trailing_links(units, keep)
    return keep, published


def _assemble(units: list[str], keep: list[bool]) -> tuple[str, tuple[str, ...]]:
    """(body text with paragraphs separated by a blank line, dropped units in order)."""
    return "\n\n".join(u for u, k in zip(units, keep) if k), tuple(u for u, k in zip(units, keep) if not k)


def _units(text: str) -> list[str]:
    """Split text into paragraphs: one per line, except hard-wrapped blocks, which are unwrapped."""
    units: list[str] = []
    for block in re.split(r"\n[ \t\u00a0]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if _is_hard_wrapped(lines):
            units.append(" ".join(lines))
        else:
            units.extend(lines)
    return units


def _is_hard_wrapped(lines: list[str]) -> bool:
    """A block of prose broken at a fixed width (email/text-file style), not a list of lines."""
    if len(lines) < 2:
        return False
    breaks = list(zip(lines, lines[1:]))
    if any(not 40 <= len(a) <= 100 for a, _ in breaks):
        return False
    mid_sentence = sum(1 for a, _ in breaks if not _SENTENCE_END.search(a))
    lowercase_next = sum(1 for _, b in breaks if b[:1].islower())
    return mid_sentence * 2 >= len(breaks) and lowercase_next * 3 >= len(breaks)


def _is_credit_line(line: str) -> bool:
    """A line that is only a photo credit: "AP", "AFP via Getty Images", "Jane Doe/Reuters"."""
    return len(line) <= 80 and bool(_CREDIT_LINE.fullmatch(line))


def _is_truncated_caption(line: str) -> bool:
    return (
        len(line) <= _CAPTION_MAX_CHARS
        and bool(_TRUNCATED.fullmatch(line))
        and bool(_PICTURE_CUE.search(line))
    )


def _drop_comment_section(units: list[str], keep: list[bool]) -> None:
    """Drop everything from the opener of the trailing comment section to the end.

    Only an opener after at least three body-like paragraphs counts, so that a page that
    starts with a "Comments" link or an article that has a "Discussion" heading near the top
    keeps its body.
    """
    body_like = 0
    for i, unit in enumerate(units):
        if body_like >= 3 and _COMMENTS_START.fullmatch(unit):
            for j in range(i, len(units)):
                keep[j] = False
            return
        if _is_sentence(unit):
            body_like += 1


def _drop_link_lists(units: list[str], keep: list[bool]) -> None:
    """Drop the short non-sentence lines that follow a link-list header, up to the next sentence."""
    in_list = False
    for i, unit in enumerate(units):
        if _LINK_LIST_HEADER.fullmatch(unit):
            in_list = True
            keep[i] = False
        elif in_list and _is_headline(unit):
            keep[i] = False
        else:
            in_list = False


def _drop_trailing_links(units: list[str], keep: list[bool]) -> None:
    """Drop the headlines that follow boilerplate after the last body paragraph.

    Once a footer line ("Source link", "Related:", a copyright) has been dropped after the
    last sentence, the short lines after it are related-article links and footer menus. A
    list that ends an article, with no footer line before it, is kept.
    """
    last_body = max((i for i, u in enumerate(units) if keep[i] and not _is_headline(u)), default=-1)
    in_footer = False
    for i in range(last_body + 1, len(units)):
        if not keep[i]:
            in_footer = True
        elif in_footer:
            keep[i] = False


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line)) and len(_WORD.findall(line)) >= 3


def _is_headline(line: str) -> bool:
    """A short line not ending in a full stop: a heading or a linked headline (may be a question)."""
    return len(_WORD.findall(line)) <= _HEADLINE_MAX_WORDS and not _FULL_STOP_END.search(line)


def _is_title_like(line: str) -> bool:
    words = len(_WORD.findall(line))
    return 2 <= words <= _TITLE_MAX_WORDS and not re.search(r"[.,;:]$", line) and (
        line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"'“‘"
    )


def _is_short_label(line: str) -> bool:
    return len(_WORD.findall(line)) <= _CAPTION_AFTER_TITLE_MAX_WORDS and not re.search(r"[.!?:;\"”]$", line)


def _date_line(line: str) -> str | None:
    """For a line that is only a date ("Published Oct. 18, 2024 3:15 pm ET"), its ISO date or "".

    Returns None for any other line; "" when the line is a date line we cannot pin to a day
    (e.g. "Updated 3 hours ago"). "Updated"/"modified" dates are dropped but not used.
    """
    m = _DATE_LINE_PREFIX.fullmatch(line)
    prefix, rest = (m.group(1) or "").lower(), m.group(2)
    tokens = _WORD.findall(rest)
    if not tokens or len(tokens) > 12 or not all(_DATE_WORDS.fullmatch(t) for t in tokens):
        return None
    if not any(t.isdigit() for t in tokens) and not prefix:
        return None  # "Monday" alone is not a dateline
    if prefix in ("updated", "last updated", "modified"):
        return ""
    return _parse_date(rest) or ""


def _parse_date(text: str) -> str | None:
    months = {m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
    try:
        if m := _ISO_DATE.search(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := _MONTH_DAY_YEAR.search(text):
            return dt.date(int(m[3]), months[m[1][:3].lower()], int(m[2])).isoformat()
        if m := _DAY_MONTH_YEAR.search(text):
            return dt.date(int(m[3]), months[m[2][:3].lower()], int(m[1])).isoformat()
    except ValueError:
        return None
    return None


# --------------------------------------------------------------------------- language

_LANGID_SAMPLE = 4000  # characters; py3langid walks bytes in Python, so bound the cost
_MIN_WORDS_TO_JUDGE = 6
_MIN_CONFIDENCE = 0.9
# Share of English function words above which a text counts as English whatever langid says
# (English prose runs at 0.35-0.5; other Latin-script languages stay under 0.1).
_MIN_ENGLISH_FUNCTION_SHARE = 0.15
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to a in is that for on it with as was he she they his her by at from be this have has had are "
    "were not but or an which its said will would been their who there than also after about into".split()
)


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def check_language(text: str, *, source: str | None = None) -> str:
    """Return "en" for English text; raise ``LanguageError`` for clearly non-English text.

    Short texts and English texts with foreign passages pass: a text is rejected only when it
    has enough words, few English function words, and py3langid is confident it is another
    language.
    """
    sample = text[:_LANGID_SAMPLE]
    words = _WORD.findall(sample.lower())
    if len(words) < _MIN_WORDS_TO_JUDGE:
        return "en"
    if sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / len(words) >= _MIN_ENGLISH_FUNCTION_SHARE:
        return "en"
    language, confidence = _identifier().classify(sample)
    if language != "en" and confidence >= _MIN_CONFIDENCE:
        raise LanguageError(f"input is not English (detected: {language})", language=language, source=source)
    return "en"


# --------------------------------------------------------------------------- entry point

def clean(text_or_html: str, *, url: str | None = None, source: str | None = None) -> CleanPage:
    """Clean an HTML page or scraped text down to its English article body."""
    try:
        page = clean_html(text_or_html, url=url) if looks_like_html(text_or_html) else clean_text(text_or_html)
    except InputError as exc:
        exc.source = exc.source or source or url
        raise
    if not page.text.strip():
        raise InputError("no article text found", source=source or url)
    language = check_language(page.text, source=source or url)
    return dataclasses.replace(page, language=language)
