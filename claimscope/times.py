"""Time expressions, resolved against the publication date.

``claimscope_times_v1`` finds the date expressions of an article ("Thursday", "last week",
"since August 6", "from October 8 to 13", "earlier this year") and sets
``doc._.claimscope_times`` to a ``list[TimeExpr]`` (ids ``t1``, ``t2``... in text order).
Each span is the date expression itself; the preposition that anchors it ("since", "by",
"from"...) goes into ``TimeExpr.relation``. ``start_date``/``end_date`` describe the
expression, not the open interval a relation makes of it: "since August 6" is the day
2024-08-06 with relation "since".

Dates are written at the expression's grain: ``YYYY-MM-DD`` (day, week), ``YYYY-MM``
(month), ``YYYY`` (year). A single day, month or year has ``end == start``.

Conventions, with a publication date P:

- Tense: the clause's verb, found through the parse, says whether an expression looks back
  or ahead: "will meet", "is scheduled for", "plans to vote", "must leave" are future;
  "met", "has met", "had been" are past; a reported "was" ("said the deadline was Friday")
  is neither, a reported "would" ("said it would reopen on Monday") is future, other
  "would" neither. With no tense, "since" looks back and "by", "until" look ahead.
- Weekdays: "on Thursday" is the nearest Thursday on or before P (P itself included:
  wire copy names the day of publication by its weekday), or on or after P in a future
  clause. "last Thursday" is strictly before P, "next Thursday" strictly after, "this
  Thursday" the one in P's Monday-Sunday week. "Monday night" is a day. A weekday stated
  with a date ("Friday, October 25") picks the year in which they agree.
- Weeks run Monday to Sunday: "this week" is P's week, "last week" the one before, "two
  weeks ago" the week holding P - 14 days. "earlier/later this week" is "this week".
  "the weekend", "this weekend" are Saturday-Sunday: the last one in a past clause.
- "this/last/next month", "this/last/next year" at month/year grain; "earlier this year"
  is the year (grain year), likewise "earlier this month", "late last year", "early 2024",
  "the end of the year". "this past week" is "last week".
- "yesterday", "today", "tonight", "tomorrow", "this morning", "last night" are days.
- Counted past: "two days ago" is P - 2, "a decade ago" P's year - 10; vague counts are
  ranges of units before P: "a couple of" 2-3, "a few" 2-5, "several" 3-7, bare "days
  ago" as "a few days ago".
- A month without a year ("in June") is the most recent June on or before P's month in a
  past clause, the next on or after it in a future one, and otherwise the nearest (ties go
  to the past). "last June" is strictly before P's month, "next June" after.
- A month and day without a year ("August 6", "6 August", "by November 1") takes the year
  that puts it nearest P; a past clause keeps it on or before P, a future one on or after.
- Seasons are northern meteorological, at month grain: summer June-August, winter December
  to February. "last summer" ended before P's month; "this summer" holds P or is P's year's.
- Ranges ("October 8 to 13", "October 8-13", "between March and May", "from 2020 to
  2023", "Monday through Wednesday") are one expression; its grain is the finer end's.
- "three days earlier", "two years later", "the next day", "that year" count from the
  nearest preceding expression in the same or the previous sentence, if that is a single
  day, week, month or year no coarser than the unit counted; otherwise they stay unresolved.
- Without P, relative expressions keep ``start_date = end_date = None``; fully specified
  ones ("August 6, 2024", "in 2023", "June 2024", "the 1990s") still resolve.

Not times: durations ("for 24 years", "for two weeks", "the last year"), ages, bare
numbers, "May" the modal, a lowercase "march", "March" and "May" with no date word before
them, names ("the Sunday Times", "Black Friday", "USA Today"), clock times.

Why our own grammar: spaCy's DATE entities mis-span for this task ("between March",
"24 years", "24 years old", "Hours", "May" the modal in "it May rain", "August 6 to 10
soldiers") and say nothing about values, so they serve only as evidence for bare month
names and years. ``dateparser`` 1.5.0 (installed for htmldate) parses a given string to
one datetime, with no span finding, no grain and no week/range semantics. On the twelve
time-like phrases of the seed article it put a day inside the expected interval for 5 of
the 9 dates, nothing for "October 8 to 13", "A few days ago" and "earlier this year",
2023 for "November 1", dated the duration "24 years" to 2000-10-18, and took 3.8 ms a
phrase against 0.012 ms for ``resolve_phrase``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ._models import Grain, TimeExpr
from .nlp import doc_text, sentences

__all__ = ["TimeTagger", "find_times", "resolve_phrase"]

# --------------------------------------------------------------------------- lexicon

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_ABBRS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night"})
_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week",
          "month": "month", "months": "month", "year": "year", "years": "year"}
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()) if i}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
# Northern-hemisphere meteorological seasons, by first month; winter runs Dec-Feb.
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
# Vague counts as (fewest, most) units.
_VAGUE = {"few": (2, 5), "couple": (2, 3), "several": (3, 7)}
_DEICTIC = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_MODIFIERS = frozenset({"early", "mid", "late", "earlier", "later"})
_DASHES = frozenset({"-", "–", "—"})
_CONNECTORS = frozenset({"to", "through", "thru"}) | _DASHES
_SPAN_PARTS = frozenset({"end", "start", "beginning", "middle"})
_ANAPHOR_WORDS = {"next": 1, "following": 1, "previous": -1}

# The preposition right before an expression, kept as TimeExpr.relation.
_RELATIONS = frozenset({"since", "by", "until", "till", "before", "after", "from", "on", "in", "for",
                        "during", "between", "through", "throughout", "at", "around", "over",
                        "starting", "as of"})
# Words before a bare month name or year that make it a date ("in June", "early June").
_MONTH_CONTEXT = _RELATIONS | {"last", "next", "this", "early", "mid", "late", "of"}
# Before a bare number, "at", "around", "over" more often give a price or a count ("at 1112p").
_YEAR_CONTEXT = _MONTH_CONTEXT - {"at", "around", "over"}

# Tokens a date expression can start with (lowercase); digits are checked apart.
_STARTS = (frozenset(_MONTHS) | frozenset(_MONTH_ABBRS) | {a + "." for a in _MONTH_ABBRS}
           | frozenset(_WEEKDAYS) | frozenset(_DEICTIC) | _MODIFIERS | frozenset(_NUMBER_WORDS)
           | frozenset(_VAGUE) | frozenset(_TENS) | frozenset(_SEASONS)
           | {"this", "last", "next", "the", "that", "a", "an", "days", "weeks", "months", "years"})

# Words written with a capital anywhere in a sentence.
_PROPER = (frozenset(_MONTHS) | frozenset(_MONTH_ABBRS) | {a + "." for a in _MONTH_ABBRS}
           | frozenset(_WEEKDAYS))

# spaCy entity labels that make a weekday or a bare month part of a name.
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "WORK_OF_ART", "EVENT",
                          "PRODUCT", "LAW", "NORP", "LANGUAGE"})
_NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})

# Tense cues, looked up on the way from the expression to its verb.
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "must", "should", "can", "may", "might"})
_FUTURE_WORDS = frozenset({"plan", "expect", "schedule", "set", "due", "intend", "aim",
                           "prepare", "go", "upcoming", "slate"})
_PAST_AUX = frozenset({"have", "has", "had", "'ve", "was", "were", "did"})
_DEADLINES = frozenset({"by", "until", "till"})

_GRAIN_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}


# ------------------------------------------------------------ parsed (unresolved) values

@dataclass(frozen=True, slots=True)
class _Cal:
    """A calendar date, maybe partial: a year, a month, or a day; year None = infer it."""

    year: int | None
    month: int | None = None
    day: int | None = None
    mod: str | None = None  # "last" | "next" | "this" before a bare month name
    weekday: int | None = None  # stated with it: "Friday, October 25"


@dataclass(frozen=True, slots=True)
class _Weekday:
    weekday: int  # Monday = 0
    mod: str | None = None  # "last" | "next" | "this"


@dataclass(frozen=True, slots=True)
class _Shift:
    """Units counted from the publication date: "last week" is ("week", -1, -1)."""

    unit: str
    lo: int
    hi: int


@dataclass(frozen=True, slots=True)
class _Anaphor:
    """Units counted from the preceding date in the narrative: "three days earlier"."""

    unit: str
    lo: int
    hi: int


@dataclass(frozen=True, slots=True)
class _Season:
    """Three months from ``month`` of ``year`` ("the summer of 2023"), or by ``mod``."""

    month: int  # first month: 3, 6, 9 or 12
    year: int | None = None
    mod: str | None = None  # "last" | "next" | "this"


@dataclass(frozen=True, slots=True)
class _Weekend:
    mod: str | None  # "last" | "next" | "this" | None


@dataclass(frozen=True, slots=True)
class _Decade:
    year: int


@dataclass(frozen=True, slots=True)
class _Range:
    a: _Cal | _Weekday
    b: _Cal | _Weekday


_Value = _Cal | _Weekday | _Shift | _Anaphor | _Season | _Weekend | _Decade | _Range


@dataclass(frozen=True, slots=True)
class _Match:
    i: int  # first token
    j: int  # one past the last token
    value: _Value
    weak: bool = False  # a bare month name, year or weekday: needs context to count


# --------------------------------------------------------------------------- grammar

class _Words:
    """The words the grammar reads: text, lowercase, and the spaCy tokens when parsed.

    Whitespace tokens (a no-break space becomes one) are left out, so "and\xa0September"
    reads as two words.
    """

    __slots__ = ("text", "lower", "toks", "n")

    def __init__(self, text: Sequence[str], toks: Sequence[Token] | None = None):
        self.text = text
        self.lower = [t.lower() for t in text]
        self.toks = toks
        self.n = len(text)

    @classmethod
    def of_doc(cls, doc: Doc) -> _Words:
        toks = [t for t in doc if not t.is_space]
        return cls([t.text for t in toks], toks)

    def low(self, k: int) -> str:
        return self.lower[k] if 0 <= k < self.n else ""

    def counts_something(self, k: int) -> bool:
        """Is token k a number counting a common noun ("10 soldiers"), by the parse?"""
        if self.toks is None:
            return False
        tok = self.toks[k]
        return tok.dep_ == "nummod" and tok.head.pos_ == "NOUN"

    def day_part(self, k: int) -> bool:
        """"morning", "night"... in lowercase ("Monday night", not "Monday Night Football")."""
        return k < self.n and self.lower[k] in _DAY_PARTS and self.text[k].islower()


def _day_num(s: str) -> int | None:
    """1-31 from "6", "06", "6th", "1st"."""
    if s[-2:] in ("st", "nd", "rd", "th"):
        s = s[:-2]
    if s.isdigit() and len(s) <= 2 and 1 <= int(s) <= 31:
        return int(s)
    return None


def _year_num(s: str) -> int | None:
    return int(s) if len(s) == 4 and s.isdigit() and 1000 <= int(s) <= 2199 else None


def _month_at(w: _Words, k: int) -> tuple[int, int, bool] | None:
    """(month, next index, abbreviated) for a capitalised month name at k ("Aug." too)."""
    if k >= w.n or not w.text[k][:1].isupper():
        return None
    low = w.lower[k]
    if low in _MONTHS:
        return _MONTHS[low], k + 1, False
    key = low.rstrip(".")
    if key in _MONTH_ABBRS:
        nxt = k + 1
        if not low.endswith(".") and w.low(nxt) == ".":
            nxt += 1
        return _MONTH_ABBRS[key], nxt, True
    return None


def _valid(year: int | None, month: int, day: int) -> bool:
    return day <= (calendar.monthrange(year or 2000, month)[1])  # 2000 is a leap year


def _year_after(w: _Words, k: int) -> tuple[int, int] | None:
    """A year after a month-day, with or without a comma: ("August 6", ", 2024")."""
    if w.low(k) == "," and k + 1 < w.n and (y := _year_num(w.lower[k + 1])):
        return y, k + 2
    if k < w.n and (y := _year_num(w.lower[k])):
        return y, k + 1
    return None


def _parse_month_first(w: _Words, i: int) -> _Match | None:
    """"August 6", "Aug. 6, 2024", "October 8-13", "June 2024", "June of 2024", "June"."""
    got = _month_at(w, i)
    if not got:
        return None
    month, k, abbr = got
    s = w.low(k)
    if s and (day := _day_num(s)) is not None and _valid(None, month, day):
        year = None
        j = k + 1
        if (y := _year_after(w, j)):
            year, j = y
        return _Match(i, j, _Cal(year, month, day))
    if s and s[0].isdigit() and (pair := _day_pair(s)) and _valid(None, month, pair[1]):
        # "October 8–13": spaCy keeps a day range joined by an en dash in one token.
        year = None
        j = k + 1
        if (y := _year_after(w, j)):
            year, j = y
        return _Match(i, j, _Range(_Cal(year, month, pair[0]), _Cal(year, month, pair[1])))
    if (y := _year_num(s)) and not w.counts_something(k):  # "June 2024"
        return _Match(i, k + 1, _Cal(y, month))
    if s == "of" and (y := _year_num(w.low(k + 1))):
        return _Match(i, k + 2, _Cal(y, month))
    if abbr:
        return None  # "Aug." alone is too often something else
    return _Match(i, k, _Cal(None, month), weak=True)


def _day_pair(s: str) -> tuple[int, int] | None:
    for dash in _DASHES:
        a, sep, b = s.partition(dash)
        if sep:
            da, db = _day_num(a), _day_num(b)
            return (da, db) if da and db and da < db else None
    return None


def _parse_day_first(w: _Words, i: int) -> _Match | None:
    """"6 August", "6 August 2024", "6th of August", "8-13 October"."""
    s = w.lower[i]
    k = i + 1
    if w.low(k) == "of":
        k += 1
    got = _month_at(w, k)
    if not got:
        return None
    month, j, _ = got
    year = None
    if (y := _year_num(w.low(j))):
        year, j = y, j + 1
    if (day := _day_num(s)) is not None:
        return _Match(i, j, _Cal(year, month, day)) if _valid(year, month, day) else None
    if (pair := _day_pair(s)) and _valid(year, month, pair[1]):
        return _Match(i, j, _Range(_Cal(year, month, pair[0]), _Cal(year, month, pair[1])))
    return None


def _parse_number(w: _Words, i: int) -> _Match | None:
    """Expressions that start with a digit: day-first dates, years, decades, ISO dates."""
    s = w.lower[i]
    if (m := _parse_day_first(w, i)):
        return m
    if (y := _year_num(s)) is not None:
        # ISO "2024-10-18", which spaCy splits into five tokens.
        if w.low(i + 1) == "-" and w.low(i + 3) == "-":
            mo, d = w.low(i + 2), w.low(i + 4)
            if len(mo) == 2 and mo.isdigit() and 1 <= int(mo) <= 12 and len(d) == 2 and d.isdigit() \
                    and 1 <= int(d) <= 31 and _valid(y, int(mo), int(d)):
                return _Match(i, i + 5, _Cal(y, int(mo), int(d)))
        return _Match(i, i + 1, _Cal(y), weak=True)
    if len(s) == 5 and s.endswith("s") and s[:3].isdigit() and s[3] == "0":
        return _Match(i, i + 1, _Decade(int(s[:4])))  # "1990s"
    return _parse_count(w, i)


def _parse_count(w: _Words, i: int) -> _Match | None:
    """"two days ago", "a few weeks ago", "three days earlier", "a year later", "days ago"."""
    if w.low(i - 1) in _DASHES:
        return None  # the end of a number we do not read: "hundred-two"
    k = i + 1 if w.lower[i] in ("a", "an") else i
    s = w.low(k)
    if k > i and (s in _UNITS or s == "decade") and not s.endswith("s"):
        lo = hi = 1  # "a day", "a decade": the unit is at k
    elif s in _VAGUE and (k > i or s == "several"):
        lo, hi = _VAGUE[s]
        k += 1
        if s == "couple" and w.low(k) == "of":
            k += 1
    elif k == i and s in _NUMBER_WORDS:
        lo = hi = _NUMBER_WORDS[s]
        k += 1
    elif k == i and s in _TENS:  # "seventy", "seventy-four"
        lo = hi = _TENS[s]
        k += 1
        if w.low(k) in _DASHES and (ones := _NUMBER_WORDS.get(w.low(k + 1), 0)) < 10:
            lo = hi = lo + ones
            k += 2 if ones else 0
    elif k == i and s.isdigit() and 0 < int(s) < 1000:
        lo = hi = int(s)
        k += 1
    elif k == i and s in _UNITS and s.endswith("s"):
        lo, hi = _VAGUE["few"]  # "days ago"
    else:
        return None
    noun = w.low(k)
    if (lo == hi == 1) == noun.endswith("s"):
        return None  # "one days", "two week"
    if noun in ("decade", "decades"):
        unit, lo, hi = "year", lo * 10, hi * 10
    else:
        unit = _UNITS.get(noun)
    if unit is None:
        return None
    anchor = w.low(k + 1)
    if anchor == "ago":
        return _Match(i, k + 2, _Shift(unit, -hi, -lo))
    if anchor in ("earlier", "later") and k > i:
        sign = -1 if anchor == "earlier" else 1
        a, b = sorted((sign * lo, sign * hi))
        return _Match(i, k + 2, _Anaphor(unit, a, b))
    return None


def _parse_relative(w: _Words, i: int) -> _Match | None:
    """"this week", "last month", "next year", "last Thursday", "last June", "last night"..."""
    mod = w.lower[i]
    k = i + 1
    if mod == "this" and w.low(k) == "past":  # "this past weekend" is the last one
        mod, k = "last", k + 1
    s = w.low(k)
    if s in _SEASONS:
        return _Match(i, k + 1, _Season(_SEASONS[s], mod=mod))
    if s in _UNITS and s != "day" and not s.endswith("s"):  # not "next day", "this day"
        offset = {"last": -1, "this": 0, "next": 1}[mod]
        return _Match(i, k + 1, _Shift(_UNITS[s], offset, offset))
    if s == "weekend":
        return _Match(i, k + 1, _Weekend(mod))
    if s in _WEEKDAYS and w.text[k][:1].isupper():
        j = k + 2 if w.day_part(k + 1) else k + 1
        return _Match(i, j, _Weekday(_WEEKDAYS[s], mod))
    if (got := _month_at(w, k)) and not got[2]:
        return _Match(i, got[1], _Cal(None, got[0], mod=mod))
    if (mod == "this" and s in ("morning", "afternoon", "evening")) or (mod == "last" and s == "night"):
        return _Match(i, k + 1, _Shift("day", 0 if mod == "this" else -1, 0 if mod == "this" else -1))
    return None


def _parse_the(w: _Words, i: int) -> _Match | None:
    """"the end of the year", "the weekend", "the 1990s", "the 6th of August", "the next day"."""
    s = w.low(i + 1)
    if s in _SPAN_PARTS and w.low(i + 2) == "of":
        k = i + 3
        inner = w.low(k + 1)
        if w.low(k) == "the" and inner in _UNITS and not inner.endswith("s"):
            return _Match(i, k + 2, _Shift(_UNITS[inner], 0, 0))
        m = _parse_core(w, k)
        return _Match(i, m.j, m.value) if m and not isinstance(m.value, _Anaphor) else None
    if s == "weekend":
        return _Match(i, i + 2, _Weekend(None))
    if s in _SEASONS and w.low(i + 2) == "of" and (y := _year_num(w.low(i + 3))):
        return _Match(i, i + 4, _Season(_SEASONS[s], y))  # "the summer of 2023"
    unit = w.low(i + 2)
    unit = "day" if unit in _DAY_PARTS else _UNITS.get(unit) if not unit.endswith("s") else None
    if s in _ANAPHOR_WORDS and unit and (s != "next" or unit == "day"):
        n = _ANAPHOR_WORDS[s]
        return _Match(i, i + 3, _Anaphor(unit, n, n))  # "the next day", "the following morning"
    if s[:1].isdigit():
        m = _parse_number(w, i + 1)
        if m and isinstance(m.value, _Decade | _Cal) and (isinstance(m.value, _Decade) or m.value.day):
            return _Match(i, m.j, m.value)
    return None


def _parse_core(w: _Words, i: int) -> _Match | None:
    """One date expression starting at token i, without a leading modifier."""
    s = w.lower[i]
    if s in _DEICTIC:
        j = i + 2 if s in ("yesterday", "tomorrow") and w.day_part(i + 1) else i + 1
        return _Match(i, j, _Shift("day", _DEICTIC[s], _DEICTIC[s]))
    if s in ("this", "last", "next"):
        return _parse_relative(w, i)
    if s == "the":
        return _parse_the(w, i)
    if s == "that":  # "that day", "that year": the one the narrative is at
        unit = w.low(i + 1)
        if unit not in _UNITS or unit.endswith("s") or w.low(i + 2) in _DASHES:  # "that year-on-year"
            return None
        return _Match(i, i + 2, _Anaphor(_UNITS[unit], 0, 0))
    if s in _SEASONS:  # "summer 2023"
        y = _year_num(w.low(i + 1))
        return _Match(i, i + 2, _Season(_SEASONS[s], y)) if y else None
    if s in _WEEKDAYS and w.text[i][:1].isupper():
        j = i + 2 if w.day_part(i + 1) else i + 1
        if w.low(j) == ",":  # "Thursday, October 17": the date says which Thursday
            m = _parse_month_first(w, j + 1)
            if m and isinstance(m.value, _Cal) and m.value.day:
                c = m.value
                return _Match(i, m.j, _Cal(c.year, c.month, c.day, weekday=_WEEKDAYS[s]))
        return _Match(i, j, _Weekday(_WEEKDAYS[s]), weak=True)
    if s[:1].isdigit():
        return _parse_number(w, i)
    if s in _MONTHS or s.rstrip(".") in _MONTH_ABBRS:
        return _parse_month_first(w, i)
    return _parse_count(w, i)


def _parse_modified(w: _Words, i: int) -> _Match | None:
    """"earlier this year", "late last month", "mid-October", "mid-2023", "early June"."""
    s = w.lower[i]
    if s.startswith("mid-"):  # "mid-2023", "mid-1990s": spaCy keeps them in one token
        inner = _parse_number(_Words([s[4:]]), 0)
        ok = inner and isinstance(inner.value, _Cal | _Decade) and not getattr(inner.value, "month", None)
        return _Match(i, i + 1, inner.value) if ok else None
    if s not in _MODIFIERS:
        return None
    k = i + 2 if w.low(i + 1) in _DASHES else i + 1
    if k >= w.n:
        return None
    m = _parse_core(w, k)
    if m is None or isinstance(m.value, _Anaphor | _Range) or (
            isinstance(m.value, _Shift) and m.value.lo != m.value.hi):
        return None
    if s in ("earlier", "later") and isinstance(m.value, _Cal) and m.value.mod is None:
        return None  # "later June" is not English; "earlier 2023" rarely
    return _Match(i, m.j, m.value)


def _parse_range_end(w: _Words, k: int, a: _Cal | _Weekday) -> _Match | None:
    """The second end of a range, which may borrow its month from the first ("8 to 13")."""
    if isinstance(a, _Weekday):
        s = w.low(k)
        if s in _WEEKDAYS and w.text[k][:1].isupper():
            return _Match(k, k + 1, _Weekday(_WEEKDAYS[s]))
        return None
    if a.day is not None:
        m = _parse_month_first(w, k) or (_parse_day_first(w, k) if w.low(k)[:1].isdigit() else None)
        if m and isinstance(m.value, _Cal) and m.value.day:
            return m
        day = _day_num(w.low(k))
        if day is not None and day > a.day and not w.counts_something(k) and _valid(a.year, a.month, day):
            year = None
            j = k + 1
            if (y := _year_after(w, j)):
                year, j = y
            return _Match(k, j, _Cal(year, a.month, day))
        return None
    if a.month is not None:
        m = _parse_month_first(w, k)
        return m if m and isinstance(m.value, _Cal) and m.value.day is None else None
    s = w.low(k)
    y = _year_num(s)
    if y is None and len(s) == 2 and s.isdigit() and w.low(k - 1) in _DASHES:
        y = a.year // 100 * 100 + int(s)  # "2013-14"
    return _Match(k, k + 1, _Cal(y)) if y and y > a.year and not w.counts_something(k) else None


def _with_range(w: _Words, m: _Match, between: bool) -> _Match:
    """Extend m over "to 13", "- 13", "through May", or "and May" after "between"."""
    if not isinstance(m.value, _Cal | _Weekday) or getattr(m.value, "mod", None):
        return m
    conn = w.low(m.j)
    if conn not in _CONNECTORS and not (between and conn == "and"):
        return m
    b = _parse_range_end(w, m.j + 1, m.value)
    if b is None:
        return m
    a, bv = m.value, b.value
    if isinstance(a, _Cal) and isinstance(bv, _Cal):
        a, bv = _share_year(a, bv)
    return _Match(m.i, b.j, _Range(a, bv))


def _share_year(a: _Cal, b: _Cal) -> tuple[_Cal, _Cal]:
    """ "March to May 2024": the stated year covers both ends (the first may be a year earlier)."""
    if a.year is None and b.year is not None:
        later = (a.month or 1, a.day or 1) > (b.month or 1, b.day or 1)
        return _Cal(b.year - later, a.month, a.day), b
    return a, b


def _parse_at(w: _Words, i: int) -> _Match | None:
    """The longest date expression starting at token i, or None."""
    s = w.lower[i]
    m = _parse_modified(w, i) if (s in _MODIFIERS or s.startswith("mid-")) else None
    if m is None:
        m = _parse_core(w, i)
    if m is None:
        return None
    return _with_range(w, m, between=w.low(i - 1) == "between")  # a range is never weak


# ------------------------------------------------------------------------ resolution

def _month_add(year: int, month: int, k: int) -> tuple[int, int]:
    n = year * 12 + month - 1 + k
    return n // 12, n % 12 + 1


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _pick_month_year(month: int, pub: dt.date, tense: str | None, mod: str | None) -> int:
    here = pub.year * 12 + pub.month - 1
    cands = [y * 12 + month - 1 for y in (pub.year - 1, pub.year, pub.year + 1)]
    if mod == "this":
        return pub.year
    if mod == "last":
        chosen = max(c for c in cands if c < here)
    elif mod == "next":
        chosen = min(c for c in cands if c > here)
    elif tense == "past":
        chosen = max(c for c in cands if c <= here)
    elif tense == "future":
        chosen = min(c for c in cands if c >= here)
    else:
        chosen = min(cands, key=lambda c: (abs(c - here), c > here))
    return chosen // 12


def _pick_day_year(month: int, day: int, pub: dt.date, tense: str | None,
                   weekday: int | None) -> int | None:
    days = [dt.date(y, month, day) for y in (pub.year - 1, pub.year, pub.year + 1) if _valid(y, month, day)]
    if weekday is not None and any(d.weekday() == weekday for d in days):
        days = [d for d in days if d.weekday() == weekday]  # "Friday, October 25" names its year
    elif tense == "past":
        days = [d for d in days if d <= pub][-1:]
    elif tense == "future":
        days = [d for d in days if d >= pub][:1]
    best = min(days, key=lambda d: (abs((d - pub).days), d > pub), default=None)
    return best.year if best else None


def _resolve_cal(c: _Cal, pub: dt.date | None, tense: str | None) -> tuple[dt.date, dt.date, Grain] | None:
    year = c.year
    if year is None:
        if pub is None:
            return None
        if c.day is not None:
            year = _pick_day_year(c.month, c.day, pub, tense, c.weekday)
            if year is None:
                return None
        else:
            year = _pick_month_year(c.month, pub, tense, c.mod)
    if c.month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if c.day is None:
        return dt.date(year, c.month, 1), _last_day(year, c.month), "month"
    if not _valid(year, c.month, c.day):
        return None
    d = dt.date(year, c.month, c.day)
    return d, d, "day"


def _resolve_weekday(wd: _Weekday, pub: dt.date, tense: str | None) -> dt.date:
    today = pub.weekday()
    if wd.mod == "this":
        return pub + dt.timedelta(days=wd.weekday - today)
    if wd.mod == "last":
        return pub - dt.timedelta(days=(today - wd.weekday) % 7 or 7)
    if wd.mod == "next":
        return pub + dt.timedelta(days=(wd.weekday - today) % 7 or 7)
    if tense == "future":
        return pub + dt.timedelta(days=(wd.weekday - today) % 7)
    return pub - dt.timedelta(days=(today - wd.weekday) % 7)


def _shift(unit: str, base: dt.date, lo: int, hi: int) -> tuple[dt.date, dt.date, Grain]:
    if unit == "day":
        return base + dt.timedelta(days=lo), base + dt.timedelta(days=hi), "day"
    if unit == "week":
        monday = base - dt.timedelta(days=base.weekday())
        return monday + dt.timedelta(weeks=lo), monday + dt.timedelta(weeks=hi, days=6), "week"
    if unit == "month":
        y0, m0 = _month_add(base.year, base.month, lo)
        y1, m1 = _month_add(base.year, base.month, hi)
        return dt.date(y0, m0, 1), _last_day(y1, m1), "month"
    return dt.date(base.year + lo, 1, 1), dt.date(base.year + hi, 12, 31), "year"


def _resolve(v: _Value, pub: dt.date | None, tense: str | None,
             anchor: dt.date | None = None) -> tuple[dt.date, dt.date, Grain] | None:
    """The first and last day the value covers, and its grain; None if it cannot be resolved."""
    if isinstance(v, _Cal):
        return _resolve_cal(v, pub, tense)
    if isinstance(v, _Decade):
        return dt.date(v.year, 1, 1), dt.date(v.year + 9, 12, 31), "year"
    if isinstance(v, _Season) and v.year is not None:
        return _season(v.year, v.month)
    if isinstance(v, _Anaphor):
        return _shift(v.unit, anchor, v.lo, v.hi) if anchor else None  # "two years later"
    if isinstance(v, _Range):
        return _resolve_range(v, pub, tense)
    if pub is None:
        return None
    if isinstance(v, _Shift):
        return _shift(v.unit, pub, v.lo, v.hi)
    if isinstance(v, _Season):
        return _resolve_season(v, pub)
    if isinstance(v, _Weekday):
        d = _resolve_weekday(v, pub, tense)
        return d, d, "day"
    # _Weekend: Saturday and Sunday of a Monday-Sunday week; "this weekend" and "the
    # weekend" are the last one in a past clause, else this week's ("last weekend" and
    # "next weekend" are the weeks before and after).
    saturday = pub + dt.timedelta(days=5 - pub.weekday())
    past = tense == "past" or (v.mod is None and tense != "future")
    if v.mod == "last" or (v.mod in (None, "this") and past and pub.weekday() < 5):
        saturday -= dt.timedelta(weeks=1)
    elif v.mod == "next":
        saturday += dt.timedelta(weeks=1)
    return saturday, saturday + dt.timedelta(days=1), "day"


def _season(year: int, month: int) -> tuple[dt.date, dt.date, Grain]:
    y1, m1 = _month_add(year, month, 2)
    return dt.date(year, month, 1), _last_day(y1, m1), "month"


def _resolve_season(v: _Season, pub: dt.date) -> tuple[dt.date, dt.date, Grain]:
    """"this summer" holds P or is this year's; "last summer" ended before P's month."""
    seasons = [_season(y, v.month) for y in (pub.year - 2, pub.year - 1, pub.year, pub.year + 1)]
    first_of_month = pub.replace(day=1)
    if v.mod == "last":
        return [s for s in seasons if s[1] < first_of_month][-1]
    if v.mod == "next":
        return next(s for s in seasons if s[0] > pub)
    holding = [s for s in seasons if s[0] <= pub <= s[1]]
    return holding[0] if holding else seasons[2]


def _resolve_range(r: _Range, pub: dt.date | None, tense: str | None) -> tuple[dt.date, dt.date, Grain] | None:
    a = _resolve(r.a, pub, tense)
    if a is None:
        return None
    if isinstance(r.b, _Weekday):  # the first such weekday on or after the start
        start = a[0]
        end = start + dt.timedelta(days=(r.b.weekday - start.weekday()) % 7)
        return start, end, "day"
    b = r.b
    if b.year is None:  # "October 8 to 13", "December 28 to January 3": the end follows the start
        b = _Cal(a[0].year, b.month, b.day)
        if (b.month, b.day or 1) < (a[0].month, a[0].day):
            b = _Cal(a[0].year + 1, b.month, b.day)
    bres = _resolve_cal(b, pub, tense)
    if bres is None or bres[1] < a[0]:
        return None
    grain = min(a[2], bres[2], key=_GRAIN_ORDER.__getitem__)
    return a[0], bres[1], grain


def _fmt(d: dt.date, grain: Grain) -> str:
    if grain == "year":
        return f"{d.year:04d}"
    if grain == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


# --------------------------------------------------------------------------- on a Doc

def _tense(toks: Sequence[Token]) -> str | None:
    """"past", "future" or None for the clause the tokens sit in, by the parse."""
    i, j = toks[0].i, toks[-1].i + 1
    tok = toks[0]
    for t in toks:
        if not (i <= t.head.i < j):
            tok = t
            break
    for _ in range(8):  # climb to the verb, watching for "due", "scheduled", "upcoming"
        if tok.lemma_.lower() in _FUTURE_WORDS and tok.pos_ == "ADJ":
            return "future"
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    return _verb_tense(tok, depth=0)


def _verb_tense(verb: Token, depth: int) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = {a.lower_ for a in auxes}
    if aux_words & _FUTURE_AUX and not aux_words & {"have", "'ve"}:
        return "future"
    if aux_words & {"would", "'d"} and not aux_words & {"have", "'ve"} and _reported(verb):
        return "future"  # reported future: "said the port would reopen on Monday"
    if verb.lemma_ in _FUTURE_WORDS and verb.tag_ != "VBD" and not aux_words & _PAST_AUX:
        return "future"  # "is scheduled for", "are expected", "plans"
    if verb.tag_ == "VB" and verb.dep_ == "xcomp" and depth < 2:
        head = verb.head
        if head.lemma_ in _FUTURE_WORDS:  # "plans to meet on Monday", "is set to vote"
            # "were expected to arrive by May 1": the arrival may still be ahead
            return "future" if _verb_tense(head, depth + 1) != "past" else None
        return _verb_tense(head, depth + 1)
    if verb.lemma_ == "be" and verb.dep_ == "ccomp" and not aux_words:
        return None  # "said the deadline was Friday": a reported "is", shifted back
    if verb.tag_ == "VBD" or aux_words & _PAST_AUX:
        return "past"
    if verb.tag_ == "VBN" and not auxes:
        return "past"  # reduced relative: "troops deployed in June"
    return None


def _reported(verb: Token) -> bool:
    """The verb heads a clause reported by a verb of saying ("said (that) it would ...")."""
    head = verb.head
    return verb.dep_ in ("ccomp", "conj") and head.i != verb.i and head.lemma_.lower() in _SAYING


_SAYING = frozenset("say tell announce add state report warn promise pledge vow expect predict confirm "
                    "insist claim argue write note believe".split())


def _relation(w: _Words, i: int) -> str | None:
    if w.low(i - 2) == "as" and w.low(i - 1) == "of":
        return "as of"
    r = w.low(i - 1)
    return r if r in _RELATIONS else None


def _tense_hint(relation: str | None, tense: str | None) -> str | None:
    """What a relation says when the clause does not: "since" looks back, "by"/"until" ahead."""
    if relation == "since":
        return "past"
    if tense is None and relation in _DEADLINES:
        return "future"  # "stays shut until Sunday", "must leave by Friday"
    return tense


def _is_weekday_name(w: _Words, m: _Match) -> bool:
    """A weekday that is part of a name: "the Sunday Telegraph", "Black Friday", "every Monday"."""
    first = w.toks[m.i]
    if w.low(m.i - 1) in ("every", "each"):
        return True
    if first.dep_ == "compound" and first.head.pos_ == "PROPN" and first.head.i > first.i:
        return True
    prev = w.toks[m.i - 1] if m.i > 0 else None
    return bool(prev is not None and prev.is_title and not prev.is_sent_start and prev.head == first
                and prev.dep_ in ("compound", "amod"))


def _accept(w: _Words, m: _Match) -> bool:
    """spaCy's view of a candidate: names, modals, counts, and context for bare words."""
    toks = w.toks[m.i:m.j]
    value = m.value
    if isinstance(value, _Shift) and w.lower[m.i] in ("last", "next") and w.low(m.i - 1) == "the":
        return False  # "over the last year", "in the next month": a rolling period, not a calendar one
    if w.text[m.i][:1].isupper() and not toks[0].is_sent_start:
        if any(t.ent_type_ in _NAME_LABELS for t in toks):
            return False  # "The Sunday Times"
        if w.lower[m.i] not in _PROPER and w.text[m.i - 1][:1].isalpha():
            return False  # "Russia Today", "Last Week Tonight": capitals mid-sentence make a name
    if not m.weak:
        return True
    if isinstance(value, _Weekday):
        return not any(t.ent_type_ in _NAME_LABELS for t in toks) and not _is_weekday_name(w, m)
    first = toks[0]
    context = w.low(m.i - 1) in _MONTH_CONTEXT
    in_date = first.ent_type_ == "DATE"
    if value.month is not None:  # a bare month name
        if first.tag_ == "MD" or first.ent_type_ in _NAME_LABELS:
            return False
        return context or (in_date and value.month not in (3, 5))  # "March", "May" need context
    # a bare year
    if first.ent_type_ in _NUMBER_LABELS or (first.dep_ == "nummod" and not in_date):
        return False
    if w.low(m.j) in _DASHES and w.low(m.j + 1)[:1].isdigit():
        return False  # "1111-2222": a code, not a year
    context = w.low(m.i - 1) in _YEAR_CONTEXT
    if 1800 <= value.year <= 2100:
        return context or in_date
    return context and in_date  # "in 1066", not "at 1112p"


def _anchor(found: list[tuple[_Match, tuple | None]], w: _Words, i: int, unit: str) -> dt.date | None:
    """Where the narrative is: the nearest preceding expression in this or the previous
    sentence, if it is a single day, week, month or year no coarser than ``unit``."""
    earliest = 0
    tok = w.toks[i]
    if tok.doc.has_annotation("SENT_START"):
        earliest = sentences(tok.doc).bounds(tok.i)[0]
        if earliest > 0:
            earliest = sentences(tok.doc).bounds(earliest - 1)[0]
    for m, res in reversed(found):
        if w.toks[m.i].i < earliest:
            break
        if res:
            start, end, grain = res
            if _GRAIN_ORDER[grain] <= _GRAIN_ORDER[unit] and _shift(grain, start, 0, 0)[1] == end:
                return start
            return None
    return None


def find_times(doc: Doc, published: dt.date | None) -> list[TimeExpr]:
    """The time expressions of a parsed Doc, resolved against ``published``."""
    w = _Words.of_doc(doc)
    found: list[tuple[_Match, tuple | None]] = []
    i = 0
    lower = w.lower
    while i < w.n:
        s = lower[i]
        if s in _STARTS or s[:1].isdigit() or s.startswith("mid-"):
            m = _parse_at(w, i)
            if m is not None and _accept(w, m):
                anchor = _anchor(found, w, m.i, m.value.unit) if isinstance(m.value, _Anaphor) else None
                tense = None
                if published and isinstance(m.value, _Weekday | _Cal | _Range | _Weekend | _Season):
                    tense = _tense_hint(_relation(w, m.i), _tense(w.toks[m.i:m.j]))
                found.append((m, _resolve(m.value, published, tense, anchor)))
                i = m.j
                continue
        i += 1
    out = []
    for n, (m, res) in enumerate(found, 1):
        first, last = w.toks[m.i], w.toks[m.j - 1]
        start, end = first.idx, last.idx + len(last.text)
        grain = res[2] if res else _grain_of(m.value)
        out.append(TimeExpr(
            id=f"t{n}", text=doc_text(doc)[start:end], start=start, end=end,
            start_date=_fmt(res[0], grain) if res else None,
            end_date=_fmt(res[1], grain) if res else None,
            grain=grain, relation=_relation(w, m.i),
        ))
    return out


def _grain_of(v: _Value) -> Grain:
    """The grain of an unresolved value (no publication date, or no anchor)."""
    if isinstance(v, _Range):
        return min(_grain_of(v.a), _grain_of(v.b), key=_GRAIN_ORDER.__getitem__)
    if isinstance(v, _Shift | _Anaphor):
        return v.unit
    if isinstance(v, _Cal):
        return "day" if v.day else "month" if v.month else "year"
    if isinstance(v, _Season):
        return "month"
    return "year" if isinstance(v, _Decade) else "day"


# ---------------------------------------------------------------------- bare phrases

@functools.lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer  # the same rules as the model's tokenizer


def resolve_phrase(phrase: str, published: dt.date | None, *,
                   tense: str | None = None) -> tuple[str, str, Grain] | None:
    """Resolve a bare date phrase: ``("2024-10-07", "2024-10-13", "week")`` for "last week".

    A leading relation word ("since", "by"...) is allowed and ignored. ``tense`` ("past",
    "future" or None) stands in for the clause a weekday or month name would sit in.
    Returns None when the phrase is not a date expression or cannot be resolved.
    """
    words = [t.text for t in _tokenizer()(phrase.strip()) if not t.is_space]
    while words and words[-1] in (".", ","):
        words.pop()
    w = _Words(words)
    i = 0
    while i < w.n - 1 and (w.lower[i] in _RELATIONS or w.lower[i] == "as" and w.low(i + 1) == "of"):
        i += 1 if w.lower[i] != "as" else 2
    if i >= w.n:
        return None
    m = _parse_at(w, i)
    if m is None or m.j != w.n:
        return None
    res = _resolve(m.value, published, _tense_hint(_relation(w, i), tense))
    if res is None:
        return None
    return _fmt(res[0], res[2]), _fmt(res[1], res[2]), res[2]


# ------------------------------------------------------------------------- component

@Language.factory("claimscope_times_v1")
def make_times(nlp: Language, name: str) -> TimeTagger:
    return TimeTagger()


class TimeTagger:
    """Sets ``doc._.claimscope_times``, resolved against ``doc._.claimscope_published``."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimscope_times = find_times(doc, doc._.claimscope_published)
        return doc
