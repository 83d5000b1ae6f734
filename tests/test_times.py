"""Time expressions: spans, relations and dates resolved against the publication date.

Each row: (sentence, published, expected), expected being every time expression found, in
order, as (text, start, end, grain) or (text, start, end, grain, relation). 2024-10-18, the
seed article's publication date, is a Friday.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from claimscope._models import Document, Ledger, TimeExpr
from claimscope.times import resolve_phrase

SEED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "seed" / "north-korean-troops.txt"

FRI = "2024-10-18"

CASES = [
    # weekdays: past clause -> on or before publication, future clause -> on or after
    ("Officials met on Thursday to discuss the plan.", FRI,
     [("Thursday", "2024-10-17", "2024-10-17", "day", "on")]),
    ("Officials will meet on Thursday to discuss the plan.", FRI,
     [("Thursday", "2024-10-24", "2024-10-24", "day", "on")]),
    ("Officials said Thursday that the talks had failed.", FRI,
     [("Thursday", "2024-10-17", "2024-10-17", "day", None)]),
    ("The vote is scheduled for Tuesday.", FRI,
     [("Tuesday", "2024-10-22", "2024-10-22", "day", "for")]),
    ("He plans to travel to the capital on Monday.", FRI,
     [("Monday", "2024-10-21", "2024-10-21", "day", "on")]),
    ("The report is due on Friday.", "2024-10-16",
     [("Friday", "2024-10-18", "2024-10-18", "day", "on")]),
    ("Protesters gathered outside parliament on Monday night.", FRI,
     [("Monday night", "2024-10-14", "2024-10-14", "day", "on")]),
    ("The general spoke to reporters on Friday afternoon.", FRI,
     [("Friday afternoon", "2024-10-18", "2024-10-18", "day", "on")]),
    ("The ministry said last Thursday that the talks had stalled.", FRI,
     [("last Thursday", "2024-10-17", "2024-10-17", "day", None)]),
    ("The summit opens next Wednesday.", FRI,
     [("next Wednesday", "2024-10-23", "2024-10-23", "day", None)]),
    ("The curfew stays in force until Sunday.", FRI,
     [("Sunday", "2024-10-20", "2024-10-20", "day", "until")]),
    ("She was elected on Tuesday, October 15.", FRI,
     [("Tuesday, October 15", "2024-10-15", "2024-10-15", "day", "on")]),
    ("The strike will run from Monday to Wednesday.", FRI,
     [("Monday to Wednesday", "2024-10-21", "2024-10-23", "day", "from")]),
    ("The rebels attacked the depot over the weekend.", FRI,
     [("the weekend", "2024-10-12", "2024-10-13", "day", "over")]),
    # weeks, months, years relative to publication
    ("Prices fell sharply last week.", FRI, [("last week", "2024-10-07", "2024-10-13", "week")]),
    ("This week, the army moved its artillery north.", FRI,
     [("This week", "2024-10-14", "2024-10-20", "week", None)]),
    ("The committee meets again next week.", FRI, [("next week", "2024-10-21", "2024-10-27", "week")]),
    ("Inflation slowed last month.", FRI, [("last month", "2024-09", "2024-09", "month")]),
    ("Earlier this month, the central bank raised rates.", FRI,
     [("Earlier this month", "2024-10", "2024-10", "month")]),
    ("The law was passed earlier this year.", FRI, [("earlier this year", "2024", "2024", "year")]),
    ("Exports rose last year.", FRI, [("last year", "2023", "2023", "year")]),
    ("The company expects growth this year.", FRI, [("this year", "2024", "2024", "year")]),
    ("The team will return next month.", FRI, [("next month", "2024-11", "2024-11", "month")]),
    ("The plant shut down in late last year.", FRI,
     [("late last year", "2023", "2023", "year", "in")]),
    ("By the end of the year, the plant will close.", FRI,
     [("the end of the year", "2024", "2024", "year", "by")]),
    # deictic days and counted past
    ("The minister resigned yesterday.", FRI, [("yesterday", "2024-10-17", "2024-10-17", "day")]),
    ("The talks resume today.", FRI, [("today", "2024-10-18", "2024-10-18", "day")]),
    ("The president will address the nation tonight.", FRI,
     [("tonight", "2024-10-18", "2024-10-18", "day")]),
    ("The ferry sank three days ago.", FRI, [("three days ago", "2024-10-15", "2024-10-15", "day")]),
    ("Two weeks ago, the rebels seized the town.", FRI,
     [("Two weeks ago", "2024-09-30", "2024-10-06", "week")]),
    ("A few days ago, the negotiations collapsed.", FRI,
     [("A few days ago", "2024-10-13", "2024-10-16", "day")]),
    ("A year ago, the town was quiet.", FRI, [("A year ago", "2023", "2023", "year")]),
    # anaphoric: counted from the preceding day in the narrative
    ("The army entered the city on October 10. Three days earlier, scouts had crossed the river.", FRI,
     [("October 10", "2024-10-10", "2024-10-10", "day", "on"),
      ("Three days earlier", "2024-10-07", "2024-10-07", "day")]),
    ("Troops arrived on Aug. 6 and left a week later.", FRI,
     [("Aug. 6", "2024-08-06", "2024-08-06", "day", "on"),
      ("a week later", "2024-08-12", "2024-08-18", "week")]),
    ("The next day, the mayor resigned.", FRI, [("The next day", None, None, "day")]),
    # months and years
    ("The agreement was signed in June.", FRI, [("June", "2024-06", "2024-06", "month", "in")]),
    ("The agreement was signed in June.", "2024-03-10", [("June", "2023-06", "2023-06", "month", "in")]),
    ("The agreement will be signed in June.", "2024-03-10",
     [("June", "2024-06", "2024-06", "month", "in")]),
    ("The envoy visited the region in December.", FRI,
     [("December", "2023-12", "2023-12", "month", "in")]),
    ("The trial began in early June.", FRI, [("early June", "2024-06", "2024-06", "month", "in")]),
    ("The new rules take effect in June 2025.", FRI, [("June 2025", "2025-06", "2025-06", "month", "in")]),
    ("Unemployment peaked in 2023.", FRI, [("2023", "2023", "2023", "year", "in")]),
    ("Since 2014, Russia has occupied the peninsula.", FRI, [("2014", "2014", "2014", "year", "since")]),
    ("Growth slowed in mid-2023.", FRI, [("mid-2023", "2023", "2023", "year", "in")]),
    ("The 1990s were a difficult decade.", FRI, [("The 1990s", "1990", "1999", "year")]),
    ("The firm was founded in 1998 and listed in March 2001.", FRI,
     [("1998", "1998", "1998", "year", "in"), ("March 2001", "2001-03", "2001-03", "month", "in")]),
    # month and day, the year nearest publication
    ("The fighting has continued since August 6.", FRI,
     [("August 6", "2024-08-06", "2024-08-06", "day", "since")]),
    ("The units must be ready by November 1.", FRI,
     [("November 1", "2024-11-01", "2024-11-01", "day", "by")]),
    ("Shops closed on December 28.", "2025-01-03",
     [("December 28", "2024-12-28", "2024-12-28", "day", "on")]),
    ("The mission ended on the 6th of August.", FRI,
     [("the 6th of August", "2024-08-06", "2024-08-06", "day", "on")]),
    ("The deal was signed on 6 August 2024 in Geneva.", None,
     [("6 August 2024", "2024-08-06", "2024-08-06", "day", "on")]),
    ("The archive is dated 2024-10-18.", None, [("2024-10-18", "2024-10-18", "2024-10-18", "day")]),
    # ranges
    ("Inspections took place from October 8 to 13.", FRI,
     [("October 8 to 13", "2024-10-08", "2024-10-13", "day", "from")]),
    ("Inspections took place October 8-13.", FRI,
     [("October 8-13", "2024-10-08", "2024-10-13", "day", None)]),
    ("Inspections took place on October 8–13, 2024.", None,
     [("October 8–13, 2024", "2024-10-08", "2024-10-13", "day", "on")]),
    ("Output fell in 2013-14.", FRI, [("2013-14", "2013", "2014", "year", "in")]),
    ("Rainfall was low between March and May.", FRI,
     [("March and May", "2024-03", "2024-05", "month", "between")]),
    ("The region was occupied from 2014 to 2022.", FRI,
     [("2014 to 2022", "2014", "2022", "year", "from")]),
    ("The festival runs from December 28 to January 3.", "2024-12-20",
     [("December 28 to January 3", "2024-12-28", "2025-01-03", "day", "from")]),
    ("On August 6 to 10 soldiers left the base.", FRI,
     [("August 6", "2024-08-06", "2024-08-06", "day", "on")]),
    # seasons, decades, counted years, narrative anchors
    ("Last summer, the dam broke.", FRI, [("Last summer", "2024-06", "2024-08", "month")]),
    ("The plant opens next summer.", FRI, [("next summer", "2025-06", "2025-08", "month")]),
    ("This past weekend, fans gathered downtown.", FRI,
     [("This past weekend", "2024-10-12", "2024-10-13", "day")]),
    ("The river flooded in the summer of 2010.", FRI,
     [("the summer of 2010", "2010-06", "2010-08", "month", "in")]),
    ("Seventy-four years ago, a battle raged here.", FRI,
     [("Seventy-four years ago", "1950", "1950", "year")]),
    ("Nearly a decade ago, the mine closed.", FRI, [("a decade ago", "2014", "2014", "year")]),
    ("In the mid-1990s, the plant closed.", FRI, [("mid-1990s", "1990", "1999", "year")]),
    ("The war began in 2014. Two years later, the talks failed.", FRI,
     [("2014", "2014", "2014", "year", "in"), ("Two years later", "2016", "2016", "year")]),
    ("He arrived on June 3. That day it rained.", FRI,
     [("June 3", "2024-06-03", "2024-06-03", "day", "on"), ("That day", "2024-06-03", "2024-06-03", "day")]),
    # tense and relation pick the year of a month and day
    ("Cases have risen steadily since January 1.", "2024-09-29",
     [("January 1", "2024-01-01", "2024-01-01", "day", "since")]),
    ("The troops were expected to arrive by November 1.", FRI,
     [("November 1", "2024-11-01", "2024-11-01", "day", "by")]),
    ("The election was held on November 5.", FRI,
     [("November 5", "2023-11-05", "2023-11-05", "day", "on")]),
    ("He said the deadline was Friday, October 25.", FRI,
     [("Friday, October 25", "2024-10-25", "2024-10-25", "day")]),
    ("The strike ended early Thursday.", FRI, [("early Thursday", "2024-10-17", "2024-10-17", "day")]),
    ("Sales doubled between January 5 and\u00a0March 2.", FRI,
     [("January 5 and\u00a0March 2", "2024-01-05", "2024-03-02", "day", "between")]),
    # without a publication date, relative expressions stay unresolved
    ("The minister resigned yesterday.", None, [("yesterday", None, None, "day")]),
    ("The agreement was signed in June.", None, [("June", None, None, "month", "in")]),
    ("Officials met on Thursday.", None, [("Thursday", None, None, "day", "on")]),
    ("Unemployment peaked in 2023.", None, [("2023", "2023", "2023", "year", "in")]),
    # not times
    ("According to the Sunday Times, the talks failed.", FRI, []),
    ("The Sunday Telegraph published the letter.", FRI, []),
    ("Shoppers queued for Black Friday deals.", FRI, []),
    ("Every Monday, volunteers hand out food.", FRI, []),
    ("May I ask a question, the reporter said.", FRI, []),
    ("Theresa May said the deal was dead.", FRI, []),
    ("Thousands joined a march on Washington.", FRI, []),
    ("The March on Washington drew huge crowds in 1963.", FRI, [("1963", "1963", "1963", "year", "in")]),
    ("He has served in the army for 24 years.", FRI, []),
    ("The soldier was 24 years old.", FRI, []),
    ("In 24 years of service, he never missed a parade.", FRI, []),
    ("Hours before this, the president spoke.", FRI, []),
    ("The 2nd Corps invoked Article 5 for the first time.", FRI, []),
    ("The first phase involved 1,500 troops.", FRI, []),
    ("Negotiations have stalled for some time.", FRI, []),
    ("They fought for two weeks.", FRI, []),
    ("Output rose by 2000 barrels a day.", FRI, []),
    ("Over the last year, prices doubled.", FRI, []),
    ("Viewers of Russia Today and USA Today complained.", FRI, []),
    ("The shares closed at 1112 p on the exchange.", FRI, []),
    ("Call 1999-4455 for the helpline.", FRI, []),
    ("The meeting ended at three o'clock in the morning.", FRI, []),
]


def _as_rows(times: list[TimeExpr], expected: list[tuple]) -> list[tuple]:
    return [(t.text, t.start_date, t.end_date, t.grain, t.relation)[:len(e)] for t, e in zip(times, expected)]


@pytest.mark.parametrize(("sentence", "published", "expected"), CASES)
def test_times(parse, sentence, published, expected):
    doc = parse(sentence, published)
    times = doc._.claimscope_times
    assert len(times) == len(expected), [t.text for t in times]
    assert _as_rows(times, expected) == [tuple(e) for e in expected]
    for n, t in enumerate(times, 1):
        assert t.id == f"t{n}"
        assert doc.text[t.start:t.end] == t.text


SEED_EXPECTED = [
    ("This week", "2024-10-14", "2024-10-20", "week", None),
    ("August 6", "2024-08-06", "2024-08-06", "day", "since"),
    ("Thursday", "2024-10-17", "2024-10-17", "day", "on"),
    ("November 1", "2024-11-01", "2024-11-01", "day", "by"),
    ("October 8 to 13", "2024-10-08", "2024-10-13", "day", "from"),
    ("A few days ago", "2024-10-13", "2024-10-16", "day", None),
    ("earlier this year", "2024", "2024", "year", None),
    ("June", "2024-06", "2024-06", "month", "in"),
    ("Last week", "2024-10-07", "2024-10-13", "week", None),
]


def test_seed_article(parse):
    text = SEED.read_text(encoding="utf-8")
    doc = parse(text, "2024-10-18")
    times = doc._.claimscope_times
    rows = [(t.text, t.start_date, t.end_date, t.grain, t.relation) for t in times]
    for row in SEED_EXPECTED:
        assert row in rows
    found = {t.text for t in times}
    for wrong in ("24 years", "Hours", "Hours before this", "first phase", "the first time"):
        assert wrong not in found
    for t in times:
        assert text[t.start:t.end] == t.text
    # "June" in "...for the first time in 24 years in June" is the one after "years in"
    june = next(t for t in times if t.text == "June")
    assert text[june.start - 12:june.start] == "24 years in "


@pytest.mark.parametrize(("phrase", "published", "expected"), [
    ("last week", dt.date(2024, 10, 18), ("2024-10-07", "2024-10-13", "week")),
    ("since August 6", dt.date(2024, 10, 18), ("2024-08-06", "2024-08-06", "day")),
    ("October 8 to 13", dt.date(2024, 10, 18), ("2024-10-08", "2024-10-13", "day")),
    ("earlier this year", dt.date(2024, 10, 18), ("2024", "2024", "year")),
    ("June 2024", None, ("2024-06", "2024-06", "month")),
    ("last week", None, None),
    ("for 24 years", dt.date(2024, 10, 18), None),
    ("the Sunday Times", dt.date(2024, 10, 18), None),
])
def test_resolve_phrase(phrase, published, expected):
    assert resolve_phrase(phrase, published) == expected


def test_resolve_phrase_tense():
    fri = dt.date(2024, 10, 18)
    assert resolve_phrase("Thursday", fri) == ("2024-10-17", "2024-10-17", "day")
    assert resolve_phrase("Thursday", fri, tense="future") == ("2024-10-24", "2024-10-24", "day")
    assert resolve_phrase("December", fri, tense="past") == ("2023-12", "2023-12", "month")
    assert resolve_phrase("December", fri) == ("2024-12", "2024-12", "month")


def test_relation_round_trips_through_ledger_json():
    t = TimeExpr("t1", "August 6", 4, 12, "2024-08-06", "2024-08-06", "day", relation="since")
    ledger = Ledger(document=Document(id="d", source="-", text="since August 6"), times=(t,))
    assert Ledger.from_dict(ledger.to_dict()).times == (t,)
    assert ledger.to_dict()["times"][0]["relation"] == "since"
