"""Cleaning pages down to the article body: scraped text, HTML, language check.

The pages in tests/fixtures/pages/ are written for these tests (other sites' footers,
captions, comment sections, newsletter prompts); the expectations are must-appear and
must-not-appear snippets, as in trafilatura's own tests.
"""

from __future__ import annotations

import pathlib

import pytest

from claimscope._errors import InputError, LanguageError
from claimscope.clean import CleanPage, check_language, clean, clean_html, clean_text, looks_like_html

TESTS = pathlib.Path(__file__).resolve().parent
PAGES = TESTS / "fixtures" / "pages"
SEED = TESTS.parent.parent / "shared" / "seed" / "north-korean-troops.txt"


def _read(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def _check_shape(page: CleanPage) -> None:
    """Paragraphs are separated by exactly one blank line and kept verbatim from the input."""
    assert page.text == page.text.strip()
    assert "\n\n\n" not in page.text
    for paragraph in page.text.split("\n\n"):
        assert paragraph.strip() == paragraph and paragraph
    assert page.title is None or page.title not in page.text.split("\n\n")


# --------------------------------------------------------------------------- the seed

def test_seed():
    raw = SEED.read_text(encoding="utf-8")
    page = clean(raw, source=str(SEED))
    assert page.title == "Ukraine Issues Update on North Koreans Fighting For Russia"
    assert page.text.startswith("There are now almost 11,000")
    assert page.text.split("\n\n")[-1].startswith("Last week, South Korea’s Defense Minister Kim Yong-hyun said:")
    assert page.text.endswith("the possibility of such a deployment is highly likely.”")
    assert page.language == "en" and not page.is_html
    removed = set(page.removed)
    for line in ("N Korean troops", "AP", "Source link", "Visited 1 times, 1 visit(s) today", "Leave a Reply",
                 "Your email address will not be published. Required fields are marked *"):
        assert line in removed
    assert any(r.startswith("In this photo provided by the North Korean government") for r in page.removed)
    # every other line of the seed is body and is kept verbatim
    dropped = removed | {page.title}
    body = [line.strip() for line in raw.split("\n") if line.strip() and line.strip() not in dropped]
    assert page.text.split("\n\n") == body
    assert len(body) == 20
    _check_shape(page)


# --------------------------------------------------------------------------- scraped text pages

TEXT_PAGES = [
    (
        "wire-story.txt",
        "Wildfire Forces Thousands to Flee Hills Above Coastal Town",
        "2024-10-03",
        ["ALVOR, Portugal (AP) — More than 4,000 residents",
         "A photo shared by the town hall showed smoke",  # mentions a photo: body all the same
         "Residents who had read the evacuation notice on their phones",
         "“The next twelve hours will decide a lot,”"],
        ["By Marta Quintero", "Published October 3", "(AP Photo/Rui Carvalho)", "Advertisement",
         "All rights reserved", "may not be published, broadcast"],
    ),
    (
        "blog-with-comments.txt",
        "Why Our Town Library Is Finally Opening on Sundays",
        "2024-03-04",
        ["Last month the council voted seven to two", "people read more than we think",
         "with a review after six months."],
        ["Posted on", "Share this", "Loading", "Comments", "Great news, my kids", "Who is paying for the roof",
         "Reply", "Required fields", "Save my name", "Post Comment", "Website"],
    ),
    (
        "newsletter-magazine.txt",
        "The Quiet Return of the Night Train",
        None,
        ["Sleeper services that were written off a decade ago",
         "The photo that went viral last summer", "who had read about the new route",
         "“Nobody subscribes to a sleeper train for the speed,”"],
        ["Travel", "Sign up", "Enter your email", "By signing up", "Photo: Lena Hartmann", "Read more:",
         "Also read:", "Subscribe to The Weekly Ledger", "Follow us", "© 2024"],
    ),
    (
        "cookie-news.txt",
        "German Factory Orders Fall for Third Month",
        None,
        ["Orders at German factories fell 2.4% in August", "Economists polled by a news agency",
         "“Industry is stuck,”", "explained part of the fall."],
        ["cookies", "Skip to main content", "Menu", "1.2K shares", "Getty Images", "Story continues",
         "Related:", "Berlin cuts growth forecast", "Carmakers warn", "energy price cap", "Tags:", "About Us",
         "Privacy Policy"],
    ),
    (
        "hard-wrapped.txt",
        "City Water Board Approves New Filtration Plant",
        None,
        # wrapped lines are joined into one paragraph each
        ["The city water board on Wednesday approved a $42 million filtration plant on the north bank of the "
         "river, the largest investment in the water network since the reservoir was enlarged in 1998.",
         "according to the board's finance report."],
        ["Reporting by Tom Ilves", "Editing by"],
    ),
    (
        "captions-and-related.txt",
        "Rescue Teams Search Rubble After Quake Hits Mountain Villages",
        None,
        ["At least 37 people were killed", "\"We are working through the night,\" said Ion Bratu",
         "where some office buildings were evacuated as a precaution."],
        ["Image source", "Image caption", "holds a photograph of her missing son", "Watch:", "More on this story",
         "Aftershocks rattle region", "How earthquake forecasting works", "Related Topics"],
    ),
    (
        "sports-related.txt",
        "Rangers Clinch Title With Late Winner Against Rivals",
        None,
        ["Rangers won the league on Saturday with a 2-1 victory", "equalised after 71 minutes.",
         "“I have never heard noise like that,”", "will play in the continental cup in the autumn."],
        ["Sport\n", "By JAMES", "Updated 2 hours ago", "Jane Doe/Reuters", "Related stories",
         "Ferri signs contract", "Five things we learned", "Follow Ewan Brodie", "Most read",
         "Transfer rumours", "Ticket prices to rise"],
    ),
    (
        "no-title-counters.txt",
        None,
        None,
        ["The port authority said on Thursday that container traffic rose 6%",
         "“We are doing more with fewer people every month,”", "enter at low tide."],
        ["Photo credit", "AFP via Getty Images", "Source link", "Visited 230 times", "Leave a comment",
         "logged in to post"],
    ),
]


@pytest.mark.parametrize("name, title, published, must_appear, must_not_appear", TEXT_PAGES)
def test_text_pages(name, title, published, must_appear, must_not_appear):
    raw = _read(name)
    page = clean(raw)
    assert not page.is_html and page.language == "en"
    assert page.title == title
    assert page.published == published
    for snippet in must_appear:
        assert snippet in page.text, snippet
    for snippet in must_not_appear:
        assert snippet not in page.text, snippet
        assert snippet not in (page.title or "")
    # everything dropped is listed, and nothing listed is in the body
    for line in page.removed:
        assert line not in page.text.split("\n\n")
    _check_shape(page)


def _article(line: str) -> str:
    return (
        "Harbour Bridge Repairs Begin Next Month\n\n"
        "The harbour bridge will close for six weeks from June 3, the city council said on Tuesday.\n\n"
        "About 38,000 vehicles cross the bridge on an average weekday, according to council figures.\n\n"
        f"{line}\n\n"
        "Council leader Martin Oduya said the work could not be postponed any longer.\n"
    )


@pytest.mark.parametrize(
    "line",
    [
        "The photo, which was taken on Monday, shows the damaged joints under the main span.",
        "Readers who read the council's report will find the figures on page 12.",
        "Advertisement revenue at the local paper fell 12% last year, its owner said.",
        "More than 4,000 drivers signed a petition against the closure.",
        "Share prices of the construction firm rose 3% on the news.",
        "Subscribers to the ferry pass will get a 20% discount during the closure.",
        "Copyright law does not cover the bridge's design, a council lawyer said.",
        "Research by the city's university found that the joints had been corroding since 2009.",
        "Reporting by the local paper first revealed the problem in 2022.",
        "Source material for the report came from the national roads agency.",
        "Follow-up inspections will take place every six months, the council said.",
        "Comments made by the engineers at the meeting were later published online.",
        "This image shows the scale of the corrosion, the engineers said in their report.",
        "“Read the report and you will see why we had to act,” Oduya told reporters.",
        "Sign-ups for the shuttle bus opened on Monday.",
        "By Thursday, the council had received more than 300 complaints.",
        "Photos of the rusted joints were shared widely online.",
        "Latest figures show traffic on the ring road rose 8% in May.",
        "All rights to the bridge's name belong to the city, the council said.",
    ],
)
def test_body_sentences_stay(line):
    page = clean_text(_article(line))
    assert line in page.text.split("\n\n")
    assert line not in page.removed


@pytest.mark.parametrize(
    "line",
    [
        "Visited 1,204 times, 3 visit(s) today",
        "3.4K shares",
        "Views: 12,345",
        "Source link",
        "Sign up for our morning briefing",
        "Subscribe to our YouTube channel for more videos",
        "Get our free newsletter every Friday",
        "Read more: Ferry fares frozen for summer",
        "READ MORE: Ring road roadworks to finish early",
        "Also read: Ten bridges that changed their cities",
        "Related: The history of the harbour bridge",
        "In this image released by the city council, engineers inspect the main span on May 2, 2024.",
        "Engineers inspect the main span of the bridge on Monday. (AP Photo/Jane Doe)",
        "Engineers inspect the main span of the bridge on Monday, with the ferry terminal in the background…",
        "Photo: Northport Council",
        "Photo credit: Sam Reid",
        "AP",
        "Reuters",
        "Getty Images",
        "AFP via Getty Images",
        "John Smith/Reuters",
        "EPA-EFE/JOHN DOE",
        "We use cookies to give you the best experience on our website.",
        "Accept all cookies",
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "Follow us on Facebook and Instagram",
        "Follow The Gazette on Twitter",
        "Facebook Twitter LinkedIn Email",
        "© 2024 Northport Media Group",
        "Copyright 2024 Northport Media Group. All rights reserved.",
        "Northport Media Group. All rights reserved.",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "Originally published on The Conversation.",
        "Tags: bridges, transport, council",
        "Skip to main content",
        "Share this article",
    ],
)
def test_boilerplate_lines_go(line):
    page = clean_text(_article(line))
    assert line in page.removed
    assert line not in page.text
    assert "Council leader Martin Oduya said" in page.text  # the body after it stays


# --------------------------------------------------------------------------- HTML pages

HTML_PAGES = [
    (
        "news-article.html",
        "Harbour Bridge to Close for Six Weeks of Repairs",
        "The Northport Gazette",
        "2024-05-14",
        ["The harbour bridge will close to all traffic for six weeks from June 3",
         "“We have patched these joints three times since 2015,",
         "most of which will come from a national infrastructure fund, the council said."],
        ["News\n", "We use cookies", "By Priya Natarajan", "Photo: Gazette archive", "Related stories",
         "Ring road roadworks", "2 Comments", "rattling for years", "Leave a Reply", "© 2024", "Privacy policy"],
    ),
    (
        "blog-post.html",
        "What the Allotment Waiting List Tells Us",
        "Greenbank Notes",
        "2024-03-12",  # from "Posted on 12 March 2024" in the page text
        ["now has 1,134 names on it", "“We're not asking for more land,",
         "report back in the autumn."],
        ["Home |", "Posted on", "Posted in", "Tagged", "Share this", "thoughts on", "Nine years!",
         "empty since last summer", "Leave a Reply", "Required fields", "WordPress"],
    ),
    (
        "magazine.html",
        "The Quiet Economics of Repair Cafés",
        "Longform Monthly",
        "2023-11-02",  # JSON-LD datePublished, not dateModified
        ["fixed an estimated 92,000 items", "“People arrive expecting to be told to buy a new one,”",
         "paid repair shops faced much higher costs."],
        ["Sign in", "Culture", "Photo by Sam Reid", "Sign up for our newsletter", "in your inbox",
         "Read more:", "phone battery", "Most popular", "banned cars", "Copyright"],
    ),
    (
        "council-report.html",
        "Council Budget Gap Narrows After Property Sale",
        "Riverside Courier",
        "2025-01-21",  # <time datetime>
        ["budget gap for next year has narrowed to £3.1 million", "Merge two library branches",
         "“This was always a choice, not a necessity,”", "at a full meeting on February 26."],
        ["Weather", "Share on Facebook", "Email this article", "Have your say", "Comments are closed",
         "Valley News Group"],
    ),
]


@pytest.mark.parametrize("name, title, site, published, must_appear, must_not_appear", HTML_PAGES)
def test_html_pages(name, title, site, published, must_appear, must_not_appear):
    raw = _read(name)
    page = clean(raw, url=f"https://example.org/{name}")
    assert page.is_html and page.language == "en"
    assert (page.title, page.site, page.published) == (title, site, published)
    for snippet in must_appear:
        assert snippet in page.text, snippet
    for snippet in must_not_appear:
        assert snippet not in page.text, snippet
    assert not page.text.startswith(title)  # the <h1> is the title, not body
    _check_shape(page)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>Unclosed <div><<<>>> the council said the bridge would close for repairs in June.",
        "<html>",
        "<!DOCTYPE html><html><head></head><body></body></html>",
        "<html><body>" + "<div>" * 5000 + "<p>The council said the bridge would close.</p>",
        "<html><body><p>The council said \x00 on Monday that the bridge would close for repairs.</p></body></html>",
        "<html><body><p>The council said on Monday that the bridge would close.</p></b></i></table></html></html>",
        '<?xml version="1.0" encoding="ISO-8859-1"?><html><body><p>The council said on Monday that the '
        "harbour bridge would close for six weeks.</p></body></html>",
        "<html><head><title>Only a title</title></head><body><script>var x = '<p>';</script></body></html>",
    ],
)
def test_broken_html_never_crashes(html):
    try:
        page = clean(html, source="page.html")
    except InputError as exc:
        assert exc.source == "page.html"
        assert exc.exit_code == 3
    else:
        assert page.is_html and page.text


def test_html_without_article_text():
    with pytest.raises(InputError, match="no article text found"):
        clean_html("<!DOCTYPE html><html><head><title>Empty</title></head><body><nav>Home</nav></body></html>")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<!DOCTYPE html><html><body><p>Hi</p></body></html>", True),
        ("  \n<html lang='en'><p>Hi</p></html>", True),
        ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', True),
        ("<!-- saved page -->\n<html><body>x</body></html>", True),
        ("<div class='a'><p>One paragraph.</p><p>Another paragraph.</p></div>", True),
        ("The minister said the <b>plan</b> would cost $2 billion.", False),
        ("Use the <p> tag for paragraphs, the tutorial said.", False),
        (SEED.read_text(encoding="utf-8"), False),
    ],
)
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


# --------------------------------------------------------------------------- language

GERMAN = (
    "Die Stadtverwaltung hat am Dienstag angekündigt, dass die Hafenbrücke ab Juni für sechs Wochen "
    "gesperrt wird. Nach Angaben der Ingenieure müssen mehrere Stahlgelenke unter der Hauptspannweite "
    "ausgetauscht werden. Die Händler auf der Südseite befürchten erhebliche Umsatzeinbußen."
)
FRENCH = (
    "La mairie a annoncé mardi que le pont du port sera fermé pendant six semaines à partir du mois de juin. "
    "Selon les ingénieurs, plusieurs joints en acier doivent être remplacés sous la travée principale. "
    "Les commerçants de la rive sud craignent une forte baisse de leur chiffre d'affaires."
)
RUSSIAN = (
    "Городская администрация во вторник объявила, что портовый мост будет закрыт на шесть недель начиная "
    "с июня. По словам инженеров, под главным пролётом необходимо заменить несколько стальных шарниров. "
    "Торговцы на южном берегу опасаются серьёзного падения выручки."
)


@pytest.mark.parametrize("text, language", [(GERMAN, "de"), (FRENCH, "fr"), (RUSSIAN, "ru")])
def test_non_english_is_rejected(text, language):
    with pytest.raises(LanguageError) as info:
        clean(text, source="page.txt")
    assert info.value.language == language
    assert info.value.message == f"input is not English (detected: {language})"
    assert info.value.source == "page.txt"
    assert info.value.exit_code == 5


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the plan would cost $2 billion.",
        "Ukraine says 11,000 troops are in Kursk.",
        "Kyiv, Oct 18",
        # English article with a German quote
        "The mayor of the twin town was blunt. “Die Brücke ist seit Jahren in einem schlechten Zustand, und "
        "niemand hat etwas getan,” she told a local newspaper, meaning that the bridge had been in bad shape for "
        "years and that nobody had done anything about it. The council said it would reply to her letter.",
    ],
)
def test_english_passes(text):
    assert check_language(text) == "en"
    assert clean(text).language == "en"


def test_seed_is_english():
    assert check_language(clean_text(SEED.read_text(encoding="utf-8")).text) == "en"

# The accuracy gate on the article-extraction benchmark is in tests/test_gate.py.
