"""Quantities: numbers with their qualifier, unit and the thing counted or measured.

``claimscope_quantities_v1`` runs after the model's ``ner`` and after ``claimscope_times_v1``
and sets ``doc._.claimscope_quantities = list[Quantity]`` (ids ``q1``, ``q2``, ... in text
order; ``attribution`` stays None: the attribution stage links them). ``find_quantities(doc)``
is the same as a plain function.

Why our own extractor: quantulum3, the maintained library for this, reads "between 10,000
and 12,000" as one value of 11,000, has no qualifiers (about / more than / up to) and no
counted noun, and scores far lower on NewsQuant (``bench/quantities.py`` runs both on the same
sentences: value F1 0.72 against 0.97). So this module reads quantities off the
spaCy parse: the tokenizer's lexeme attributes pick the candidate tokens, short reads of the
text around each candidate (never a regex over the whole text) take the number, its scale,
currency and unit, and the dependency parse gives the counted or measured concept and
what the quantity is about.

What is read
    * numbers in digits and words: "11,000", "1.5 million", "$2bn", "four", "a dozen",
      "two hundred and fifty", fractions "two-thirds of", "a third of", "half of", "2 1/2",
      proportions "one in three";
    * vague magnitudes "dozens of", "hundreds of", "tens of thousands of" as ranges: the
      plural magnitude word N covers N to 10 N ("dozens" 12-120, "tens of thousands"
      10,000-100,000), the convention of the NewsQuant annotators;
    * qualifiers right before the number: about / around / roughly / some / nearly / almost /
      approximately / close to / an estimated / ~ -> ``approx``; at least / more than / over /
      above / upwards of / "or more" -> ``at_least``; up to / fewer than / less than / under /
      below / at most / no more than / "sub-" -> ``at_most``;
    * ranges "between X and Y", "from X to Y", "X to Y", "X-Y", "three or four": one quantity
      with ``bound="range"``, ``low``/``high`` and ``value`` None. "from X to Y" also covers
      movements ("fell from 5.2 to 4.9 percent", "from $3.10 in May to $3.45 in June", a
      short adjunct without commas between the ends); low/high are the smaller and larger
      end; a bare new level after a range ("from 14-18 mpg to 24") takes its unit;
    * "one" as a count: the numeral before its noun ("one person died", "only one bidder",
      "one mile") and a partitive over a noun ("one of the founders"; likewise "two of the
      suspects"). Not "no one", "the one", "one another", "one by one", "one day, ...", "at
      one point", "for one thing", "BBC One", "one-off", nor "one" set against "another", "the
      other" or a bare "all" in its sentence ("an attack on one member is an attack on all");
      not a partitive over a pronoun ("one of them") or without a noun ("one of the few");
    * hyphenated counts "a three-bedroom house", "four-, five- and six-cylinder engines":
      the count of the glued noun;
    * a conversion in brackets ("more than 2 million euros ($2.2 million)") takes the
      bound and the concept of the amount it converts, and shares a rate written after the
      bracket ("£9bn ($11bn) a year").

Unit names, one scheme: singular English names with British spelling, as in quantulum3's
unit list ("metre", "kilometre", "mile", "mile per hour", "square metre", "kilogram",
"tonne", "ton", "pound", "litre", "degree Celsius", "degree Fahrenheit", "degree",
"kilowatt hour", "gigabyte", "hertz"...); time "second" ... "year", "decade", "century";
ages "year of age", "month of age", "week of age", "day of age" ("a 43-year-old woman",
"Maria Lopez, 34,", "she turned 40", "he is 35", "aged 12", "a life expectancy of 73");
money as ISO 4217 codes ("USD", "EUR", "GBP", "JPY", "AUD"...) and "cent",
"penny", "sen"; ratios "percent", "percentage point", "basis point", "point", "times"; a
rate joins two names with " per " ("USD per share", "mile per gallon"). Plain counts have
``unit=None``. The surfaces are in ``data/units.json``.

Concept, the thing counted or measured:
    * a count: the counted noun with its modifiers ("almost 11,000 North Korean infantry
      troops" -> "North Korean infantry troops"), after "of" for vague magnitudes and
      fractions ("tens of thousands of workers" -> "workers");
    * a measure: "60 percent of its revenue" -> "revenue"; "$2bn in sales" -> "sales"; the
      noun it modifies ("a 15% levy" -> "levy"); the noun it complements ("a speed of 40
      mph" -> "speed", "a loan worth £3 million" -> "loan"); the object the clause changes
      ("cut its workforce by 10%" -> "workforce"); else the subject of the clause ("The
      bridge is 1.2 km long" -> "bridge"); else None. A duration that only dates the clause
      ("for the first time in 24 years", "every four years", "two years later") has none.

About, the entity or thing the quantity is about (``about``/``about_span``, see ``_about``):
"Ford has 13,000 workers" -> "Ford"; "North Korea was planning to deploy between 10,000 and
12,000 troops" -> "North Korea"; "The e-commerce giant generates 60 percent of its revenue
from ads" -> "e-commerce giant"; "almost 11,000 North Korean troops" -> "North Korean"; "a
survey of seven countries" -> "survey"; "Acme, down 12p" -> "Acme". A distance is about what
it is measured from: "about four miles from the border" -> "border" (the located thing, the
troops, is its concept). None after "there were", when the quantity or its concept is the
subject, and for durations that date a clause.

Not quantities: dates and years ("August 6", "Oct. 8", "in 2024", "2019-20", what the
times stage found), clock times, ordinals ("2nd Corps", "third"), numbered names ("Article
5", "iPhone 11", "S&P 500", "COVID-19", "G7", "F-16"), page and view counters ("1 of 5",
"Visited 1 times"), phone numbers, versions, street addresses, sports scores ("2-0"),
model-type adjectives ("a five-year plan"), and number words standing for a noun: "the other
two", "two of them", "one" as a pronoun or in an idiom (above).
"""

from __future__ import annotations

import bisect
import json
import pathlib
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ._models import Quantity

# --------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------

_DATA = json.loads((pathlib.Path(__file__).parent / "data" / "units.json").read_text("utf-8"))


def _unit_tables() -> tuple[dict[str, str], dict[str, str], int]:
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for name, surfaces in _DATA["units"].items():
        for s in surfaces:
            (folded if len(s) >= 3 and s == s.lower() else exact)[s] = name
    return exact, folded, max(len(s) for s in (*exact, *folded))


_UNIT_EXACT, _UNIT_FOLDED, _UNIT_MAXLEN = _unit_tables()
_CURRENCY_PREFIX: dict[str, str] = _DATA["currency_prefixes"]
_CURRENCY_PREFIX_MAXLEN = max(len(p) for p in _CURRENCY_PREFIX)
_DENOMINATORS = frozenset(_DATA["denominators"])
_CURRENCIES = frozenset(n for n in _DATA["units"] if n.isupper()) | {"cent", "penny", "sen"}
_TIME_UNITS = frozenset("millisecond second minute hour day week month year decade century".split())
_AGE_UNITS = {"year": "year of age", "month": "month of age", "week": "week of age", "day": "day of age"}
# One-letter units after a space: a unit only when no sentence goes on as if it were a word.
_LETTER_UNITS = frozenset({"C", "F", "L", "l", "J", "V", "W", "h", "g", "p"})

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALE_WORDS = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_VAGUE_WORDS = {"dozens": 12.0, "tens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
_FRACTION_WORDS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
    "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10,
}
_NUMBER_START = frozenset({*_WORD_NUMBERS, *_VAGUE_WORDS, "a", "an", "half"})

# Glued scale suffixes ("2bn", "5.4m"); "m", "b", "k" only in money or before a plural noun
# ("3.5m people"), since "37m" alone is 37 metres.
_SCALE_ABBR = {"mln": 1e6, "bn": 1e9, "mn": 1e6, "tn": 1e12, "trn": 1e12, "M": 1e6, "B": 1e9,
               "m": 1e6, "b": 1e9, "k": 1e3, "K": 1e3, "T": 1e12}
_WEAK_SCALES = frozenset({"m", "b", "k", "K", "B", "T"})

# Qualifiers written right before the number or its currency sign.
_QUALIFIERS: dict[tuple[str, ...], str] = {
    ("about",): "approx", ("around",): "approx", ("roughly",): "approx", ("some",): "approx",
    ("nearly",): "approx", ("almost",): "approx", ("approximately",): "approx",
    ("approx",): "approx", ("approx.",): "approx", ("close", "to"): "approx",
    ("an", "estimated"): "approx", ("estimated",): "approx", ("circa",): "approx",
    ("~",): "approx", ("≈",): "approx", ("just", "about"): "approx",
    ("in", "the", "region", "of"): "approx", ("on", "the", "order", "of"): "approx",
    ("at", "least"): "at_least", ("more", "than"): "at_least", ("over",): "at_least",
    ("above",): "at_least", ("upwards", "of"): "at_least", ("upward", "of"): "at_least",
    ("in", "excess", "of"): "at_least", ("no", "fewer", "than"): "at_least",
    ("no", "less", "than"): "at_least", ("greater", "than"): "at_least",
    ("well", "over"): "at_least", ("well", "above"): "at_least", ("over", "than"): "at_least",
    ("up", "to"): "at_most", ("fewer", "than"): "at_most", ("less", "than"): "at_most",
    ("under",): "at_most", ("below",): "at_most", ("at", "most"): "at_most",
    ("no", "more", "than"): "at_most", ("not", "more", "than"): "at_most",
    ("just", "under"): "at_most", ("just", "below"): "at_most", ("a", "maximum", "of"): "at_most",
    ("between",): "open", ("from",): "open",
}
_QUALIFIER_MAXLEN = max(len(k) for k in _QUALIFIERS)
_POSTFIX = ((" or more", "at_least"), (" or so", "approx"), (" or less", "at_most"),
            (" or fewer", "at_most"), ("-plus", "at_least"))

_MONTHS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
# Words after which a number is a designator, not an amount ("Article 5", "page 3").
_DESIGNATORS = frozenset("""
article section chapter clause paragraph page pages title part item rule amendment game round
stage phase level category unit room gate platform route highway channel episode season volume
vol grade class type version v model number no no. nos. # figure fig fig. table appendix act
verse track lane seat row flight district ward zone division tier step schedule exhibit annex
box line week day resolution protocol corps squadron battalion brigade regiment bus terminal
""".split())
_STREET_WORDS = frozenset(
    "street st st. road rd rd. avenue ave ave. way lane boulevard blvd drive dr place court square".split()
)
_CLOCK_AFTER = frozenset("am pm a.m. p.m. a.m p.m gmt bst utc edt est pdt pst cet cest et pt ct o'clock".split())
_COUNTER_WORDS = frozenset({"visited", "viewed"})
# Words before "X to Y" that make X a change and Y a new level ("rose 5% to 7%").
_CHANGE_WORDS = frozenset(
    "by rose rise rises rising fell fall falls falling gained gain gains lost lose loses up down "
    "jumped jump jumps climbed climb climbs dropped drop drops slid slide slides plunged plunge "
    "advanced added increased increase decreased decrease grew grow surged surge sank sink soared "
    "soar tumbled tumble slipped slip eased ease declined decline cut raised raise".split()
)
# Adjectives that date what follows them ("last year", "next week"), never a unit's modifier.
_DEICTIC = frozenset({"last", "next", "this"})
# Nouns whose bare number is an age ("a life expectancy of 73", "over the age of 21").
_AGE_NOUNS = frozenset({"age", "expectancy", "lifespan"})
# Subjects that make "X is 35" or "X turned 40" an age: people.
_PERSON_PRONOUNS = frozenset({"he", "she", "i", "you", "who"})
# Prepositions that make a duration an adverbial of time ("in 24 years", "for two weeks").
_TIME_PREPS = frozenset("for in over during within after since every throughout before across".split())
# Prepositions that tie a quantity to the noun before it ("a speed of 40 mph").
_NOUN_PREPS = frozenset("of for at over with from to between around about near above below under by".split())
# "the second half of the match" is a part, not a fraction.
_HALF_OF_NOT_FRACTION = frozenset("the first second other latter former this that".split())

_NUM_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")
_DIGIT_START_RE = re.compile(r"(?<![\d.,])\d|(?<![\d.,])\.\d")
_FRACTION_RE = re.compile(r"(\d+)\s?[/⁄](\d+)(?![\d/])")
_PHONE_RE = re.compile(r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)\s?|\d{3}[.-])\d{3}[ .-]\d{4}(?!\d)|\d{3}-\d{4}(?!\d)")
# Glued chunks that are dates, times, versions or scientific notation: "2019-20",
# "3/4/2020", "10:15", "1.2.3", "1990s", "6.02×10".
_CHUNK_REJECT_RE = re.compile(
    r"\d{4}[-–/]\d{2,4}|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}|\d+\.\d+\.\d+|\d{4}s|'\d0s|\d\s?[×x]\s?10"
)
_ALPHA_PREFIX_RE = re.compile(r"[A-Za-z][A-Za-z&.]*-?$")
_GLUED_PREFIXES = ("minus-", "to-", "sub-")


# --------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    """One quantity being assembled. Offsets are characters of doc.text."""

    start: int  # span start: qualifier, currency, sign
    end: int  # span end: unit
    num_start: int  # the number itself
    num_end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    bound: str = "exact"
    unit: str | None = None
    unit_start: int = -1  # where a unit written after the number starts
    currency: bool = False  # the unit came from a currency sign or code before the number
    scaled: bool = False  # a scale word or suffix was read ("million", "bn")
    year_like: bool = False  # four bare digits
    bare_int: bool = False  # digits only, no separators or decimals
    words: bool = False  # written in words
    word_one: bool = False  # the word "one" alone
    pending: bool = False  # a number word kept only if joined into a range or proportion
    suspended: bool = False  # "four-" in "four-, five- and six-cylinder engines"
    vague: bool = False  # "dozens of", "tens of thousands of"
    fraction: bool = False
    opener: str | None = None  # "between" / "from" before the number
    opener_start: int = -1
    host: "_Cand | None" = None  # the amount a bracketed conversion converts
    concept_head: int = -1  # token of a concept found while reading ("Maria Lopez, 34,")


class _Ctx:
    """Per-doc lookups: char -> token, the spans of the times stage."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text
        self.starts = [t.idx for t in doc]
        self.time_spans = sorted((t.start, t.end) for t in doc._.claimscope_times or ())
        self.quantity_tokens: set[int] = set()  # tokens inside the quantities found

    def tok_at(self, char: int) -> int:
        """Index of the token holding ``char``."""
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def tok_starting(self, char: int) -> Token | None:
        j = self.tok_at(char)
        return self.doc[j] if self.doc[j].idx == char else None

    def in_time(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.time_spans)


def _chunk(doc: Doc, i: int) -> tuple[int, int]:
    """Char bounds of the run of tokens around doc[i] written without spaces."""
    a = i
    while a > 0 and not doc[a - 1].whitespace_:
        a -= 1
    b = i
    while b < len(doc) - 1 and not doc[b].whitespace_:
        b += 1
    return doc[a].idx, doc[b].idx + len(doc[b].text)


# --------------------------------------------------------------------------------------
# Reading numbers
# --------------------------------------------------------------------------------------


def _read_digits(ctx: _Ctx, pos: int, limit: int) -> _Cand | None:
    """The number written in digits at ``pos``, with a fraction and a scale."""
    text = ctx.text
    m = _NUM_RE.match(text, pos, limit)
    if not m:
        return None
    raw = m.group()
    c = _Cand(start=pos, end=m.end(), num_start=pos, num_end=m.end(), value=float(raw.replace(",", "")))
    c.bare_int = raw.isdigit()
    c.year_like = c.bare_int and len(raw) == 4
    fm = _FRACTION_RE.match(text, pos, limit)
    if fm:  # "1/16", "3/4"
        a, b = int(fm.group(1)), int(fm.group(2))
        if a < b and b in (2, 3, 4, 5, 8, 10, 16, 32, 64, 100, 128):
            c.value, c.num_end, c.fraction = a / b, fm.end(), True
            c.bare_int = c.year_like = False
    elif c.bare_int and text[m.end() : m.end() + 1] == " ":  # "2 1/2"
        fm = _FRACTION_RE.match(text, m.end() + 1, limit)
        a, b = (int(fm.group(1)), int(fm.group(2))) if fm else (0, 0)
        if fm and a < b and b in (2, 4, 8, 16):
            c.value += a / b
            c.num_end = fm.end()
            c.bare_int = c.year_like = False
    _read_scale(ctx, c)
    return c


def _read_scale(ctx: _Ctx, c: _Cand) -> None:
    """Scales after the number: "1.5 million", "2bn", "4 hundred million", "4.3 M"."""
    text = ctx.text
    p = c.num_end
    while True:
        glued = next((a for a in _SCALE_ABBR if text.startswith(a, p) and not text[p + len(a) : p + len(a) + 1].isalnum()), None)
        if glued and (glued not in _WEAK_SCALES or _scale_context(ctx, c, p + len(glued))):
            c.value *= _SCALE_ABBR[glued]
            p += len(glued)
            c.scaled = True
            continue
        if text[p : p + 1] in (" ", "-", "\u00a0"):
            tok = ctx.tok_starting(p + 1)
            if tok is not None and tok.lower_ in _SCALE_WORDS:
                c.value *= _SCALE_WORDS[tok.lower_]
                p = tok.idx + len(tok.text)
                c.scaled = True
                continue
            if tok is not None and tok.text in ("M", "bn", "mn", "tn") and (tok.text != "M" or _scale_context(ctx, c, p + 2)):
                c.value *= _SCALE_ABBR[tok.text]
                p = tok.idx + len(tok.text)
                c.scaled = True
                continue
        break
    if c.scaled:
        c.bare_int = c.year_like = False
    c.num_end = c.end = p


def _scale_context(ctx: _Ctx, c: _Cand, after: int) -> bool:
    """A one-letter scale ("m", "b", "k") is a scale in money or before a plural noun."""
    if _currency_before(ctx.text, c.num_start) is not None:
        return True
    nxt = ctx.tok_starting(after + 1) if ctx.text[after : after + 1] == " " else None
    return nxt is not None and (nxt.tag_ in ("NNS", "NNPS") or nxt.lower_ in ("of", "people"))


def _read_words(ctx: _Ctx, i: int) -> _Cand | None:
    """A number written in words starting at token i."""
    doc = ctx.doc
    n = len(doc)
    low = doc[i].lower_
    if low in _VAGUE_WORDS:
        return _read_vague(ctx, i)
    frac = _read_fraction(ctx, i)
    if frac is not None:
        return frac
    total = cur = 0.0
    j = i
    seen = False
    if low in ("a", "an"):
        if i + 1 < n and doc[i + 1].lower_ in ("hundred", "thousand", "million", "billion", "trillion", "dozen"):
            cur, j = 1.0, i + 1
        else:
            return None
    last = j
    while j < n:
        w = doc[j].lower_
        if w in _WORD_NUMBERS:
            v = _WORD_NUMBERS[w]
            if seen and cur % 100 and not (cur % 10 == 0 and v < 10 and doc[j - 1].text == "-"):
                break  # "five six" is two numbers
            cur += v
            seen, last = True, j
        elif w == "dozen" and (seen or cur):
            cur = (cur or 1) * 12
            seen, last = True, j
        elif w in _SCALE_WORDS and (seen or cur):
            if w == "hundred":
                cur = (cur or 1) * 100
            else:
                total += (cur or 1) * _SCALE_WORDS[w]
                cur = 0
            seen, last = True, j
        elif not (
            (w == "-" and seen and not doc[j - 1].whitespace_ and j + 1 < n and doc[j + 1].lower_ in _WORD_NUMBERS)
            or (w == "and" and seen and (cur >= 100 or total) and j + 1 < n and doc[j + 1].lower_ in _WORD_NUMBERS)
        ):
            break
        j += 1
    if not seen:
        return None
    end = doc[last].idx + len(doc[last].text)
    value = total + cur
    if ctx.text.startswith(" and a half", end) and not ctx.text[end + 11 : end + 12].isalpha():
        value, end = value + 0.5, end + 11  # "two and a half"
    c = _Cand(start=doc[i].idx, end=end, num_start=doc[i].idx, num_end=end, value=value, words=True)
    c.scaled = any(doc[k].lower_ in _SCALE_WORDS for k in range(i, last + 1))
    c.word_one = last == i and low == "one"
    return c


def _read_suspended(ctx: _Ctx, tok: Token) -> _Cand | None:
    """A number word with a suspended hyphen: "four-" in "four-, five- and six-cylinder"."""
    value = _WORD_NUMBERS.get(tok.lower_[:-1])
    if value is None:
        return None
    end = tok.idx + len(tok.text) - 1
    return _Cand(start=tok.idx, end=end, num_start=tok.idx, num_end=end, value=float(value), words=True, suspended=True)


def _read_vague(ctx: _Ctx, i: int) -> _Cand | None:
    """ "dozens of", "tens of thousands of", "millions of": N to 10 N."""
    doc = ctx.doc
    n = len(doc)
    if i + 1 >= n or doc[i + 1].lower_ != "of" or (i > 0 and doc[i - 1].lower_ in ("the", "these", "those")):
        return None
    base = _VAGUE_WORDS[doc[i].lower_]
    last = i
    if doc[i].lower_ in ("tens", "hundreds", "dozens") and i + 3 < n and doc[i + 2].lower_ in _VAGUE_WORDS and doc[i + 3].lower_ == "of":
        base *= _VAGUE_WORDS[doc[i + 2].lower_]
        last = i + 2
    end = doc[last].idx + len(doc[last].text)
    return _Cand(start=doc[i].idx, end=end, num_start=doc[i].idx, num_end=end, value=None,
                 low=base, high=base * 10, bound="range", vague=True, words=True)


def _read_fraction(ctx: _Ctx, i: int) -> _Cand | None:
    """ "two-thirds of", "a third of", "one quarter of", "half of"."""
    doc = ctx.doc
    n = len(doc)
    low = doc[i].lower_
    if low == "half":
        before = doc[i - 1].lower_ if i > 0 else ""
        if i + 1 < n and doc[i + 1].lower_ == "of" and before not in _HALF_OF_NOT_FRACTION:
            return _fraction(doc, i, i, 0.5)
        return None
    if low not in _WORD_NUMBERS and low not in ("a", "an"):
        return None
    num = 1 if low in ("a", "an") else _WORD_NUMBERS[low]
    j = i + 1
    if j < n and doc[j].text == "-" and not doc[i].whitespace_:
        j += 1
    if j + 1 < n and doc[j].lower_ in _FRACTION_WORDS and doc[j + 1].lower_ == "of" and num < _FRACTION_WORDS[doc[j].lower_]:
        return _fraction(doc, i, j, num / _FRACTION_WORDS[doc[j].lower_])
    return None


def _fraction(doc: Doc, i: int, j: int, value: float) -> _Cand:
    end = doc[j].idx + len(doc[j].text)
    return _Cand(start=doc[i].idx, end=end, num_start=doc[i].idx, num_end=end, value=value, fraction=True, words=True)


# --------------------------------------------------------------------------------------
# Around the number: sign and currency, unit, rate, qualifiers
# --------------------------------------------------------------------------------------


def _currency_before(text: str, pos: int) -> tuple[str, int] | None:
    """Currency written before the number ("$", "US$", "$US", "US $", "£", "USD", "$ 14"): (code, start)."""
    if pos >= 2 and text[pos - 1] == " " and text[pos - 2] in "$£€¥₹":
        pos -= 1  # tokenised copy: "$ 14 million"
    for k in range(min(_CURRENCY_PREFIX_MAXLEN, pos), 0, -1):
        s = text[pos - k : pos]
        code = _CURRENCY_PREFIX.get(s)
        if code is None:
            continue
        start = pos - k
        if not (start == 0 or not text[start - 1].isalnum() or s[0] in "$£€¥₹₩₽₪"):
            continue
        if s == "$" and text[max(0, start - 3) : start] in ("US ", "HK "):  # "US $58.24"
            return ("USD" if text[start - 3] == "U" else "HKD"), start - 3
        return code, start
    return None


def _match_unit(text: str, p: int) -> tuple[str, int] | None:
    """The longest unit surface starting at ``p``: (name, end)."""
    for k in range(min(_UNIT_MAXLEN, len(text) - p), 0, -1):
        s = text[p : p + k]
        name = _UNIT_EXACT.get(s) or _UNIT_FOLDED.get(s.lower())
        if name is None or text[p + k : p + k + 1].isalpha() or (s[-1].isalnum() and text[p + k : p + k + 1].isdigit()):
            continue
        return name, p + k
    return None


def _read_prefix(ctx: _Ctx, c: _Cand) -> None:
    """Sign and currency before the number: "-5", "minus 387", "$-50.8bn", "US$5", "£2bn"."""
    text = ctx.text
    s = c.num_start
    negative = False
    if s > 0 and text[s - 1] in "-−+" and (s == 1 or not text[s - 2].isalnum()):
        negative = text[s - 1] != "+"
        s -= 1
    cur = _currency_before(text, s)
    if cur:
        c.unit, s = cur
        c.currency = True
        if s > 0 and text[s - 1] in "-−" and (s == 1 or not text[s - 2].isalnum()):
            negative, s = True, s - 1
    for word in ("minus-", "minus ", "negative "):
        if not negative and text[max(0, s - len(word)) : s].lower() == word:
            negative, s = True, s - len(word)
    if negative and c.value is not None:
        c.value = -c.value
    c.start = s


def _read_unit(ctx: _Ctx, c: _Cand) -> None:
    """The unit after the number: "miles", "%", "kg", "per cent", "degrees Celsius",
    "year-old", then a rate ("per share", "a month")."""
    text = ctx.text
    p = c.num_end
    if c.currency:
        # "$40 US", "$60 U.S. per tonne": the currency named again after the amount
        for tail in (" U.S.", " US", " USD"):
            if c.unit == "USD" and text.startswith(tail, p) and not text[p + len(tail) : p + len(tail) + 1].isalnum():
                c.end = p + len(tail)
                break
        _read_rate(ctx, c)
        return
    q = p
    if c.vague and text.startswith(" of ", q):  # "tens of millions of dollars"
        q += 4
    elif c.fraction and text.startswith((" of a ", " of an "), q):  # "3/4 of a US gallon"
        tok = ctx.tok_starting(q + (len(" of a ") if text.startswith(" of a ", q) else len(" of an ")))
        while tok is not None and tok.tag_ in ("JJ", "NNP") and tok.i + 1 < len(ctx.doc) and _match_unit(text, tok.idx) is None:
            tok = ctx.doc[tok.i + 1]
        m = _match_unit(text, tok.idx) if tok is not None else None
        if m is not None and m[0] not in _CURRENCIES:
            c.unit, c.unit_start, c.end = m[0], tok.idx, m[1]
        return
    elif text[q : q + 1] in (" ", "\u00a0", "-"):
        q += 1
    m = _match_unit(text, q)
    if m is None:
        m = _unit_after_modifier(ctx, q)
    if m is None:
        return
    name, uend = m
    if q > p and text[q - 1] == " " and _letter_unit_blocked(ctx, text[q:uend], uend):
        return
    if name == "pound" and c.scaled:
        name = "GBP"  # "10 million pounds" is money
    c.unit, c.unit_start, c.end = name, q, uend
    if name in _AGE_UNITS:  # "43 year-old", "9-month-old", "60 years old", "3 years of age"
        for suffix in ("-old", " old", " of age"):
            if text.startswith(suffix, uend) and not text[uend + len(suffix) : uend + len(suffix) + 1].isalpha():
                c.unit, c.end = _AGE_UNITS[name], uend + len(suffix)
                return
    _read_rate(ctx, c)


def _unit_after_modifier(ctx: _Ctx, q: int) -> tuple[str, int] | None:
    """A spelled-out unit after one adjective: "three straight days", "90 passing yards"."""
    tok = ctx.tok_starting(q)
    if tok is None or tok.tag_ not in ("JJ", "JJR", "VBG") or tok.i + 1 >= len(ctx.doc) or not tok.whitespace_:
        return None
    if tok.lower_ in _DEICTIC:
        return None  # "rose 2.1 last year": the year dates it
    nxt = ctx.doc[tok.i + 1]
    m = _match_unit(ctx.text, nxt.idx)
    if m and nxt.is_alpha and len(nxt.text) >= 4 and m[1] == nxt.idx + len(nxt.text) and m[0] not in _CURRENCIES:
        return m
    return None


def _letter_unit_blocked(ctx: _Ctx, surface: str, uend: int) -> bool:
    """ "12 C" and "5 W" are units; the initial of "5 J. Smith" is not."""
    if surface not in _LETTER_UNITS:
        return False
    text = ctx.text
    return text[uend : uend + 1] == "." and text[uend + 1 : uend + 3].strip()[:1].isupper()  # "5 J. Smith"


def _read_rate(ctx: _Ctx, c: _Cand) -> None:
    """A rate after the unit: "per share", "a month", "an ounce", "-a-day", "/day"."""
    rate = _rate_at(ctx, c.end)
    if rate is not None:
        c.unit = f"{c.unit} per {rate[0]}"
        c.end = rate[1]


def _rate_at(ctx: _Ctx, p: int) -> tuple[str, int] | None:
    """The denominator of a rate written at ``p`` and where it ends."""
    text = ctx.text
    for joiner in (" per ", " a ", " an ", "-a-", "/"):
        if not text.startswith(joiner, p):
            continue
        q = p + len(joiner)
        m = _match_unit(text, q)
        denom = dend = None
        if m and m[0] not in _CURRENCIES:
            denom, dend = m
        else:
            tok = ctx.tok_starting(q)
            if tok is not None and tok.lemma_.lower() in _DENOMINATORS:
                denom, dend = tok.lemma_.lower(), tok.idx + len(tok.text)
        if denom is None or (joiner != " per " and denom not in _DENOMINATORS and denom not in _TIME_UNITS):
            return None
        follow = text[dend : dend + 9].lstrip().lower()
        if joiner in (" a ", " an ") and follow.startswith(("earlier", "later", "ago", "before", "after", "on ", "or ")):
            return None  # "a year earlier" dates the amount
        return denom, dend
    return None


def _read_qualifier(ctx: _Ctx, c: _Cand) -> None:
    """ "about", "more than", "up to", "sub-", "~" before the number; "between"/"from"."""
    doc = ctx.doc
    s = c.start
    tok = doc[ctx.tok_at(s)]
    if tok.idx < s:  # glued: "sub-7", "~25"
        prefix = tok.text[: s - tok.idx].lower()
        if prefix in ("sub-", "~", "≈"):
            c.bound = "at_most" if prefix == "sub-" else "approx"
            c.start = tok.idx
        return
    end = tok.i
    for k in range(min(_QUALIFIER_MAXLEN, end), 0, -1):
        words = tuple(doc[x].lower_ for x in range(end - k, end))
        kind = _QUALIFIERS.get(words)
        if kind is None:
            continue
        first = doc[end - k]
        if kind == "open":
            c.opener, c.opener_start = words[0], first.idx
            return
        c.bound, c.start = kind, first.idx
        before = doc[end - k - 1] if end - k >= 1 else None
        if before is not None and before.lower_ in ("between", "from"):  # "from up to 252 miles to ..."
            c.opener, c.opener_start = before.lower_, before.idx
        return


def _read_postfix(ctx: _Ctx, c: _Cand) -> None:
    """ "10 or more", "65-plus", "10+"."""
    text = ctx.text
    if c.bound != "exact":
        return
    if text[c.end : c.end + 1] == "+" and not text[c.end + 1 : c.end + 2].isalnum():
        c.bound, c.end = "at_least", c.end + 1
        return
    for phrase, kind in _POSTFIX:
        if text.startswith(phrase, c.end) and not text[c.end + len(phrase) : c.end + len(phrase) + 1].isalnum():
            c.bound, c.end = kind, c.end + len(phrase)
            return


def _is_age(ctx: _Ctx, c: _Cand, concept: tuple[int, int] | None) -> bool:
    """A bare whole number that is a person's age in years: "He will be 35", "she turned
    40", "Smith, who is 62", "a life expectancy of 73", "over the age of 21"."""
    if not (c.bare_int or c.words) or c.value is None or not 0 < c.value <= 125 or c.vague or c.fraction:
        return False
    doc = ctx.doc
    if concept is not None and doc[concept[1]].lemma_.lower() in _AGE_NOUNS:
        return True
    t = doc[ctx.tok_at(c.num_start)]
    if concept is not None and concept[0] > t.i:
        return False  # a count: "he was one of the founders"
    if t.i > 0 and doc[t.i - 1].lower_ == "aged":
        return True  # "children aged 5 and under"
    if ctx.tok_at(c.num_end - 1) != t.i or t.dep_ not in ("attr", "dobj"):
        return False
    verb = t.head
    if verb.lemma_ not in ("be", "turn") or (verb.lemma_ == "be") != (t.dep_ == "attr"):
        return False
    subj = next((ch for ch in verb.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is not None and (subj.lower_ in _PERSON_PRONOUNS or subj.ent_type_ == "PERSON")


def _read_age_apposition(ctx: _Ctx, c: _Cand) -> None:
    """ "Maria Lopez, 34, said": an age in apposition to a name."""
    text = ctx.text
    if c.unit is not None or not c.bare_int or not 1 <= (c.value or 0) <= 120:
        return
    if text[c.num_start - 2 : c.num_start] != ", " or text[c.end : c.end + 1] != ",":
        return
    i = ctx.tok_at(c.num_start)
    name = ctx.doc[i - 2] if i >= 2 else None
    if name is not None and name.pos_ == "PROPN" and name.text[:1].isupper():
        c.unit = "year of age"
        c.concept_head = name.i


# --------------------------------------------------------------------------------------
# What is not a quantity
# --------------------------------------------------------------------------------------


def _prev_word(doc: Doc, i: int) -> Token | None:
    """The word before token i, skipping the full stop of an abbreviation ("Oct. 8")."""
    j = i - 1
    while j >= 0 and doc[j].text == ".":
        j -= 1
    return doc[j] if j >= 0 else None


def _rejected(ctx: _Ctx, c: _Cand) -> bool:
    doc = ctx.doc
    text = ctx.text
    i = ctx.tok_at(c.num_start)
    first = doc[i]
    last = ctx.tok_at(c.num_end - 1)
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    after_i = ctx.tok_at(c.end - 1) + 1
    after = doc[after_i] if after_i < len(doc) else None
    prev = _prev_word(doc, i)
    has_unit = c.unit is not None
    if c.vague or c.fraction:
        return False
    if c.suspended:
        return _hyphen_noun(ctx, c) is None
    if first.like_url or first.like_email:
        return True
    if not c.words and _rejected_chunk(ctx, c, i, has_unit):
        return True
    # clock times: "5 am", "9.30pm", "10:15 PM"
    if not has_unit and nxt is not None and nxt.lower_ in _CLOCK_AFTER:
        return True
    if not c.words and text[c.num_end : c.num_end + 2].lower() in ("am", "pm") and not text[c.num_end + 2 : c.num_end + 3].isalpha():
        return True
    # dates: "August 6", "Oct. 8", "6 August", years, what the times stage found
    small_int = c.bare_int and (c.value or 0) <= 31
    if not has_unit and prev is not None and prev.text.rstrip(".") in _MONTHS and (small_int or c.year_like):
        return True
    if not has_unit and nxt is not None and nxt.text.rstrip(".") in _MONTHS and small_int:
        return True
    if c.year_like and not has_unit and 1100 <= (c.value or 0) <= 2100:
        return True
    if not has_unit and ctx.in_time(c.num_start, c.num_end):
        return True
    # numbered names: "Article 5", "page 3", "iPhone 11", "S&P 500", "COVID -19"
    if not has_unit and (c.bare_int or text[c.start : c.start + 1] == "-") and prev is not None:
        if prev.lower_ in _DESIGNATORS or prev.text in ("#", "No.", "No"):
            return True
        if prev.pos_ == "PROPN" and not prev.is_lower and prev.text not in _MONTHS and not (nxt is not None and nxt.tag_ == "NNS"):
            return True
        if text[c.start : c.start + 1] == "-" and prev.is_alpha and not prev.is_lower:
            return True  # "COVID -19" written with a space
    if (not has_unit and c.bare_int and nxt is not None and nxt.tag_ == "NNP" and nxt.text[:1].isupper()
            and nxt.ent_type_ not in ("NORP", "GPE")):
        return True  # a model number: "11 Pro", "A 380 Airbus"
    if not has_unit and nxt is not None and nxt.text in ("'s", "’s"):
        return True
    # page and view counters: "1 of 5", "Visited 1 times", "1 visit(s)"
    if c.bare_int and not has_unit and nxt is not None and nxt.lower_ == "of" and last + 2 < len(doc) and doc[last + 2].text.isdigit():
        return True
    if c.bare_int and not has_unit and i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].text.isdigit():
        return True
    if prev is not None and prev.lower_ in _COUNTER_WORDS:
        return True
    if after is not None and after.lower_.startswith("visit") and "(" in text[after.idx : after.idx + 8]:
        return True
    # street addresses: "42 Harbour Road", "12 W 4th St", "10001 ZIP code"
    chunk_after = ctx.tok_at(_chunk(doc, i)[1] - 1) + 1
    if c.bare_int and not has_unit and chunk_after < len(doc) and _is_address(doc, chunk_after):
        return True
    # reference marks: "[3]"
    if c.bare_int and not has_unit and text[c.num_start - 1 : c.num_start] == "[" and text[c.num_end : c.num_end + 1] == "]":
        return True
    # type adjectives: "a five-year plan", "a 30-day period"
    if c.unit in _TIME_UNITS and c.unit_start > 0 and text[c.unit_start - 1] == "-" and after is not None and not after.is_punct:
        return True
    proportion = c.words and ctx.text.startswith((" in ", " out of "), c.end)
    if c.word_one and not proportion and _generic_one(ctx, c, i, after):
        return True
    if c.words and not has_unit:
        # number words standing for a noun: "the other two", "two of them", "one of the few"
        if proportion or (after is not None and after.lower_ in ("or", "to", "and")):
            c.pending = True  # "three or four years", "one in three": kept only if joined
            return False
        if after is not None and after.text in ("-", "–") and not c.word_one:
            return False  # "six-cylinder", "two- to three-day"
        if not c.scaled and (after is None or _noun_run(doc, after.i) is None):
            # a partitive counts the noun after "of": "one of the founders", "two of its
            # four engines"; not a pronoun ("two of them", "one of those")
            return after is None or after.lower_ != "of" or _np_after(doc, after.i + 1) is None
    return False


# Nouns that make "one" part of an idiom after "at"/"on" ("at one point", "on one occasion").
_ONE_AT_NOUNS = frozenset("point time stage moment occasion".split())
# Times of day that "one" makes an indefinite adverbial ("One day, he left").
_ONE_DAY_NOUNS = frozenset("day night morning evening afternoon".split())
_ONE_BEFORE = frozenset("no any every each the this that which".split())
_ONE_AFTER = frozenset("another other others by after".split())
# Prepositions before a bare "all" that stands for everyone ("one for all", "an attack on all").
_ALL_PREPS = frozenset("on to for against from by with".split())


def _generic_one(ctx: _Ctx, c: _Cand, i: int, after: Token | None) -> bool:
    """ "one" that is no count: a pronoun or determiner, an idiom, a generic contrast.

    A count is "one" as a numeral before its noun ("one person died", "only one company
    bid", "one mile") or a partitive over a noun ("one of the founders"). Not a count:
    "no one", "the one", "each one", "one another", "one by one", "one after another", a
    name ("BBC One", "Formula One"), a compound adjective ("one-off", "one-sided"), "at one
    point", "on one occasion", "One day, ...", "for one thing", and "one" set against
    "another", "the other" or "all" later in its sentence: "from one country to another",
    "an attack on one member is an attack on all".
    """
    doc = ctx.doc
    tok = doc[i]
    prev = doc[i - 1] if i > 0 else None
    if prev is not None and prev.lower_ in _ONE_BEFORE and prev.dep_ != "mark":
        return True  # "no one", "the one", "that one"; not "... that one mile can provide"
    if after is not None and (after.lower_ in _ONE_AFTER or (after.text == "-" and c.unit is None)):
        return True
    if tok.text == "One" and prev is not None and not tok.is_sent_start and not prev.is_punct:
        return True  # a name: "BBC One"
    noun = doc[i + 1] if i + 1 < len(doc) else None
    if noun is not None:
        lemma = noun.lemma_.lower()
        if lemma in _ONE_AT_NOUNS and prev is not None and prev.lower_ in ("at", "on"):
            return True
        if lemma in _ONE_DAY_NOUNS and noun.dep_ in ("npadvmod", "advmod"):
            return True
        if lemma == "thing" and prev is not None and prev.lower_ == "for":
            return True
    for t in doc[i + 1 : tok.sent.end]:
        if t.lower_ == "another" or (t.lower_ in ("other", "others") and doc[t.i - 1].lower_ == "the"):
            return True
        if t.lower_ == "all" and doc[t.i - 1].lower_ in _ALL_PREPS and (t.i + 1 == len(doc) or doc[t.i + 1].is_punct):
            return True  # "... on one member is an attack on all."
    return False


def _rejected_chunk(ctx: _Ctx, c: _Cand, i: int, has_unit: bool) -> bool:
    """Rejections read off the glued run of characters around a number in digits."""
    text = ctx.text
    doc = ctx.doc
    tail = text[c.num_end : c.num_end + 2].lower()
    if tail in ("st", "nd", "rd", "th") and not text[c.num_end + 2 : c.num_end + 3].isalpha():
        return True  # ordinal: "2nd", "88th"
    if not has_unit and text[c.end : c.end + 1].isalpha():
        return True  # glued letters that are no unit: "4QX", "3s", "5G"
    a, b = _chunk(doc, i)
    if _CHUNK_REJECT_RE.search(text[a:b]):
        return True
    head = text[a : c.start].lstrip("([{\"'“‘")
    if head and _ALPHA_PREFIX_RE.search(head) and not head.lower().endswith(_GLUED_PREFIXES):
        return True  # letters before the digits: "G7", "F-16", "COVID-19"
    if not c.scaled and "," not in text[c.num_start : c.num_end]:
        for m in _PHONE_RE.finditer(text, max(0, a - 8), min(len(text), b + 12)):
            if m.start() <= c.num_start < m.end():
                return True
    return False


def _is_address(doc: Doc, k: int) -> bool:
    """Capitalised words (or a numbered street) then a street word: "Harbour Road", "W 4th St"."""
    if doc[k].lower_ in ("zip", "postcode"):
        return True
    for j in range(k, min(k + 4, len(doc))):
        t = doc[j]
        if t.lower_ in _STREET_WORDS and j > k:
            return True
        if not (t.text[:1].isupper() or t.text[:1].isdigit()) or t.is_punct:
            return False
    return False


# --------------------------------------------------------------------------------------
# Ranges, proportions, conversions
# --------------------------------------------------------------------------------------

_RANGE_JOINERS = {"to": "to", "-": "-", "–": "-", "—": "-", "to-": "to", "- to": "to", "and": "and", "or": "or", "through": "to"}


def _combine(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Join ranges and proportions; drop scores; link bracketed conversions."""
    text = ctx.text
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        if b is not None and a.value is not None and b.value is not None and not a.fraction and not b.fraction:
            gap = text[a.end : b.start]
            joiner = _RANGE_JOINERS.get(gap.strip())
            if joiner is None and a.opener == "from" and _movement_gap(gap):
                joiner = "to"  # "from $36,040 at 10pm to $34,935", "from 20 mpg in 2008 to 29 mpg"
            if joiner == "-" and _is_score(a, b, gap):
                i += 2
                continue
            merged = _range(ctx, a, b, joiner) if joiner else None
            if merged is None and gap in (" in ", " out of "):
                merged = _proportion(a, b)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
        if b is not None and a.unit is None and b.unit is not None and not a.fraction and text[a.end : b.start] in (" of the ", " of "):
            a.unit, a.currency = b.unit, b.currency  # "40 million of the 90 million euros"
        if a.pending:
            i += 1
            continue
        prev = out[-1] if out else None
        if prev is not None and text[prev.end : a.start] in (" (", "(", " / ", "/") and a.bound == "exact":
            a.host = prev.host or prev  # "2 million euros ($2.2 million)", "200 hp (149 kW / 203 PS)"
            if a.host.bound in ("approx", "at_least", "at_most"):
                a.bound = a.host.bound
            rate = _rate_at(ctx, a.end + 1) if text[a.end : a.end + 1] == ")" else None
            if rate is not None and a.unit and a.host.unit and " per " not in a.unit + a.host.unit:
                a.unit, a.host.unit = f"{a.unit} per {rate[0]}", f"{a.host.unit} per {rate[0]}"  # "£9bn ($11bn) a year"
        elif (prev is not None and a.unit is None and prev.unit is not None and prev.bound == "range"
              and text[prev.start : prev.start + 5].lower() == "from " and text[prev.end : a.start] == " to "):
            a.unit, a.currency = prev.unit, prev.currency  # "from 14-18 mpg to 24": the new level
        out.append(a)
        i += 1
    return out


def _movement_gap(gap: str) -> bool:
    """What may stand between "from X" and "to Y" of one movement: a short adjunct without
    clause punctuation ("from 21 mpg combined to 23", "from 5% in May to 7% in June")."""
    if not gap.endswith(" to ") or any(ch in gap for ch in ",;:()"):
        return False
    return 1 <= len(gap.split()) - 1 <= 5


def _is_score(a: _Cand, b: _Cand, gap: str) -> bool:
    """ "2-0", "3-3": two bare whole numbers joined by a hyphen, the second not above the first."""
    return gap == "-" and a.unit is None and b.unit is None and a.bare_int and b.bare_int and (b.value or 0) <= (a.value or 0)


def _range(ctx: _Ctx, a: _Cand, b: _Cand, joiner: str) -> _Cand | None:
    doc = ctx.doc
    text = ctx.text
    opener = a.opener
    if (joiner == "and" and opener != "between") or b.bound != "exact" or b.opener or a.vague or b.vague:
        return None
    if joiner == "or" and not (a.words and b.words and b.value == (a.value or 0) + 1 and a.unit is None):
        return None  # only "three or four"
    ua, ub = a.unit, b.unit
    if ua and ub and ua != ub:
        if ub.startswith(ua + " per ") or ua.startswith(ub + " per "):  # "between $20 and $25 per share"
            ua = ub = max(ua, ub, key=len)
        else:
            return None
    if ua is not None and ub is None and opener is None and joiner != "-":
        return None  # "gained 3% to 41.50"
    if opener is None and joiner == "to" and ua is not None:
        # a change then a new level: "rose 5% to 7%", "widened by £12 billion to £98 billion"
        k = ctx.tok_at(a.start)
        if k > 0 and doc[k - 1].lower_ in _CHANGE_WORDS:
            return None
    low, high = a.value, b.value
    assert low is not None and high is not None
    if b.scaled and not a.scaled:  # "1 to 2 billion", "3-4 million": the scale applies to both
        scale = _scale_of(text, b)
        if scale and abs(low) <= abs(high) / scale:
            low *= scale
    lo, hi = min(low, high), max(low, high)
    start = a.opener_start if opener else a.start
    c = _Cand(start=start, end=b.end, num_start=a.num_start, num_end=b.num_end, value=None,
              low=lo, high=hi, bound="range", unit=ub or ua, unit_start=b.unit_start,
              currency=a.currency or b.currency)
    return c


def _scale_of(text: str, c: _Cand) -> float | None:
    m = _NUM_RE.match(text, c.num_start, c.num_end)
    if not m or c.value is None:
        return None
    base = float(m.group().replace(",", ""))
    return abs(c.value) / base if base else None


def _proportion(a: _Cand, b: _Cand) -> _Cand | None:
    """ "one in three", "1 out of 5"."""
    if a.unit or b.unit or a.bound != "exact" or not (a.value and b.value) or not a.value < b.value <= 1000:
        return None
    if not (a.bare_int or a.words) or not (b.bare_int or b.words):
        return None
    c = _Cand(start=a.start, end=b.end, num_start=a.num_start, num_end=b.num_end, value=a.value / b.value)
    c.fraction = True
    return c


# --------------------------------------------------------------------------------------
# Concept
# --------------------------------------------------------------------------------------


def _noun_run(doc: Doc, k: int, limit: int = 7) -> tuple[int, int] | None:
    """The noun phrase starting at token k: modifiers then its head noun, as (first, last)."""
    n = len(doc)
    last_noun = None
    j = k
    while j < n and j < k + limit:
        t = doc[j]
        glued = j + 1 < n and not t.whitespace_ and doc[j + 1].text == "-"
        in_compound = glued or (j > k and doc[j - 1].text == "-" and not doc[j - 1].whitespace_)
        if t.pos_ in ("NOUN", "PROPN"):
            last_noun = j
        elif t.pos_ == "ADJ" or (t.tag_ in ("VBN", "VBG") and t.dep_ in ("amod", "compound")) or in_compound:
            pass
        elif t.pos_ == "NUM" and j > k and j + 1 < n and doc[j + 1].pos_ == "PROPN":
            pass  # a model number: "three new 777 Boeing freighters"
        elif t.text == "-" and j > k and not doc[j - 1].whitespace_:
            pass
        elif t.lower_ in ("and", "or") and j > k and j + 1 < n and (
            (doc[j - 1].pos_ == "ADJ" and doc[j + 1].pos_ == "ADJ")
            or (doc[j - 1].pos_ == "PROPN" and doc[j + 1].pos_ == "PROPN")
        ):
            pass  # "new and used cars", "Ford and Toyota vehicles"
        else:
            break
        if t.pos_ in ("NOUN", "PROPN") and not glued and j + 1 < n:
            after = doc[j + 1]
            if after.pos_ not in ("NOUN", "PROPN") and not (after.lower_ == "and" and t.pos_ == "PROPN"):
                break
            if after.pos_ in ("NOUN", "PROPN") and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and t.head.i != j + 1:
                break  # "adults smokes": the next word is the verb the parse found
        j += 1
    return None if last_noun is None else (k, last_noun)


def _np_of(doc: Doc, head: Token) -> tuple[int, int]:
    """The head noun with the modifiers written before it, without determiners."""
    start = head.i
    for child in head.lefts:
        if child.dep_ in ("compound", "amod", "nmod", "npadvmod") or (child.dep_ == "punct" and child.text == "-"):
            start = min(start, child.left_edge.i)
    while start < head.i and (
        doc[start].tag_ in ("DT", "PRP$", "POS", "CD", "WDT") or doc[start].is_punct or doc[start].pos_ in ("NUM", "ADP", "CCONJ")
    ):
        start += 1
    for k in range(head.i - 1, start - 1, -1):  # keep clause punctuation and verbs out
        verb = doc[k].pos_ in ("VERB", "AUX") and doc[k].dep_ not in ("amod", "compound")
        if verb or doc[k].text in (",", "(", ")", ";", ":", "—", "–", "\"", "“", "”"):
            start = k + 1
            break
    end = head.i
    while end + 2 < len(doc) and doc[end + 1].text == "-" and not doc[end].whitespace_ and not doc[end + 1].whitespace_:
        end += 2  # "Abu-Bakr"
    return start, end


def _np_after(doc: Doc, k: int) -> tuple[int, int] | None:
    """The noun phrase at token k, past determiners and numbers ("of its revenue", "of 10% bleach")."""
    n = len(doc)
    while k < n and (doc[k].tag_ in ("DT", "PRP$", "POS") or doc[k].like_num or doc[k].text == "%"):
        k += 1
    if k + 1 < n and doc[k].lower_ in ("most", "least") and doc[k + 1].pos_ == "ADJ":
        k += 1  # "one of the most spectacular catches"
    if k >= n:
        return None
    run = _noun_run(doc, k)
    if run is None or doc[run[1]].pos_ == "PRON" or doc[run[1]].lower_ in ("which", "whom"):
        return None
    if run[1] + 2 < n and doc[run[1] + 1].tag_ == "POS":  # "of Coke's largest acquisitions"
        return _noun_run(doc, run[1] + 2) or run
    return run


def _concept(ctx: _Ctx, c: _Cand) -> tuple[int, int] | None:
    """Token span (first, last) of the thing counted or measured."""
    doc = ctx.doc
    n = len(doc)
    if c.concept_head >= 0:
        return _np_of(doc, doc[c.concept_head])
    first = ctx.tok_at(c.start)
    last = ctx.tok_at(c.end - 1)
    nxt = last + 1
    if c.unit is None and nxt < n:
        # counts: the noun right after the number, or after "of" ("dozens of people"), or
        # glued after a hyphen ("a three-bedroom flat", "four-, five- and six-cylinder")
        k = _hyphen_noun(ctx, c)
        if k is not None:
            return k, k
        if (c.vague or c.fraction) and doc[nxt].lower_ == "of":
            return _np_after(doc, nxt + 1)
        run = _noun_run(doc, nxt)
        if run is not None and not ctx.in_time(doc[run[0]].idx, doc[run[1]].idx + 1):
            return _worth_of(doc, run[1] + 1) or _count_rate(ctx, run)  # not a date: "turned 40 last week"
    worth = _worth_of(doc, nxt)
    if worth is not None:
        return worth  # "$5 million worth of arms", "50 years worth of programmes"
    if c.unit in _TIME_UNITS and _dates_clause(ctx, first, last):
        return None
    bracketed = False
    if nxt < n and doc[nxt].text == "(":
        # "300 Nm (221 lb-ft) of torque", "20m (66ft)-long hull": past the conversion
        close = next((k for k in range(nxt, min(n, nxt + 8)) if doc[k].text == ")"), None)
        if close is not None:
            nxt, bracketed = close + 1, True
            while nxt < n and (doc[nxt].text == "-" or doc[nxt].lower_ in ("long", "wide", "high", "tall", "deep")):
                nxt += 1
    if c.unit is None and nxt + 1 < n and doc[nxt].lower_ == "of" and doc[nxt + 1].lower_ in ("them", "those", "these"):
        # "inspected some 3,100 homes and declared about 260 of them unsafe": the count before.
        earlier = _earlier_count(doc, first)
        if earlier is not None:
            return earlier
    if nxt < n and doc[nxt].lower_ == "of":  # "60 percent of its revenue"
        run = _np_after(doc, nxt + 1)
        if run is not None:
            return run
    if c.currency and nxt + 1 < n and doc[nxt].lower_ == "in" and doc[nxt + 1].pos_ == "NOUN":
        return _noun_run(doc, nxt + 1)  # "$2 million in fines"
    run = _noun_run(doc, nxt) if nxt < n else None
    if run is not None and doc[run[1]].lemma_.lower() not in _TIME_UNITS and (bracketed or _modifies(doc, first, last, run)):
        return run  # the noun it modifies: "a 15% levy", "the 40kg parcel"
    return _concept_from_parse(ctx, first, last)


def _earlier_count(doc: Doc, first: int) -> tuple[int, int] | None:
    """The noun counted by the nearest number before token ``first`` in its sentence."""
    from .nlp import sentences

    start, _ = sentences(doc).bounds(first)
    for k in range(first - 1, start - 1, -1):
        t = doc[k]
        if t.like_num and t.dep_ == "nummod" and t.head.pos_ == "NOUN" and t.head.i > k:
            return _np_of(doc, t.head)
    return None


def _worth_of(doc: Doc, k: int) -> tuple[int, int] | None:
    """The noun phrase after "worth of" at token k: "$5 million worth of arms", "two years'
    worth of data": what the amount is counted in."""
    if k < len(doc) and doc[k].tag_ == "POS":
        k += 1
    if k + 1 < len(doc) and doc[k].lower_ == "worth" and doc[k + 1].lower_ == "of":
        return _np_after(doc, k + 2)
    return None


def _hyphen_noun(ctx: _Ctx, c: _Cand) -> int | None:
    """The noun a count is glued to by a hyphen ("three-bedroom"); for a suspended hyphen
    ("four-, five- and six-cylinder") the noun that ends the series."""
    doc = ctx.doc
    n = len(doc)
    last = ctx.tok_at(c.end - 1)
    for k in range(last + 1, min(n - 1, last + 8) if c.suspended else min(n - 1, last + 2)):
        if doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_ and (
            doc[k - 1].like_num or doc[k - 1].lower_ in _WORD_NUMBERS
        ):
            return k + 1 if doc[k + 1].pos_ == "NOUN" else None
        if not c.suspended or not (doc[k].is_punct or doc[k].lower_ in ("and", "or") or doc[k].text[-1] == "-" or doc[k].lower_ in _WORD_NUMBERS):
            return None
    return None


def _count_rate(ctx: _Ctx, run: tuple[int, int]) -> tuple[int, int]:
    """A counted noun with its rate: "1,200 cars a week", "two flights a day"."""
    doc = ctx.doc
    end = doc[run[1]].idx + len(doc[run[1]].text)
    for joiner in (" per ", " a ", " an ", " each "):
        if ctx.text.startswith(joiner, end):
            tok = ctx.tok_starting(end + len(joiner))
            if tok is not None and tok.lemma_.lower() in _TIME_UNITS:
                return run[0], tok.i
    return run


def _modifies(doc: Doc, first: int, last: int, run: tuple[int, int]) -> bool:
    """The parse attaches the quantity to the noun phrase after it (through at most 3 heads)."""
    for t in doc[first : last + 1]:
        h = t
        for _ in range(3):
            h = h.head
            if run[0] <= h.i <= run[1]:
                return True
            if not first <= h.i < run[0]:
                break
    return False


def _dates_clause(ctx: _Ctx, first: int, last: int) -> bool:
    """A duration that dates the clause: "in 24 years", "every four years", "two years later"."""
    doc = ctx.doc
    root = _span_root(doc, first, last)
    if root is None:
        return False
    if root.dep_ == "pobj" and root.head.lower_ in _TIME_PREPS:
        return True
    if root.dep_ in ("npadvmod", "advmod") or any(t.lower_ == "every" for t in doc[max(0, first - 1) : first]):
        return True
    return last + 1 < len(doc) and doc[last + 1].lower_ in ("later", "earlier", "ago", "before", "after")


def _span_root(doc: Doc, first: int, last: int) -> Token | None:
    for t in doc[first : last + 1]:
        if not first <= t.head.i <= last or t.head.i == t.i:
            return t
    return None


def _is_noun(ctx: _Ctx, t: Token | None) -> bool:
    """A noun that can be a concept: not a number, not part of a quantity ("13%")."""
    return t is not None and t.pos_ in ("NOUN", "PROPN") and not t.like_num and t.i not in ctx.quantity_tokens


def _concept_from_parse(ctx: _Ctx, first: int, last: int) -> tuple[int, int] | None:
    """Walk up from the quantity: the noun it complements, else the clause's object or subject."""
    doc = ctx.doc
    node = _span_root(doc, first, last)
    if node is None:
        return None
    before = doc[first - 1] if first > 0 else None
    if before is not None and before.lemma_ == "be" and before.pos_ == "AUX":
        found = _clause_concept(ctx, before, node, first, last)  # "the turnout was about 60%"
        if found is not None:
            return found
    for _ in range(8):
        head = node.head
        if head.i == node.i:
            return None
        if head.lower_ == "worth":  # "a loan worth £3 million"
            owner = head.head if _is_noun(ctx, head.head) else next((ch for ch in head.children if ch.dep_ == "nsubj"), None)
            if _is_noun(ctx, owner):
                return _np_of(doc, owner)
        if _is_noun(ctx, head) and head.i < first and node.dep_ in ("appos", "npadvmod"):
            return _np_of(doc, head)  # "Acme Corp, down 12p", "pipes at least 2 m long"
        if node.dep_ == "pobj" and head.lower_ in _NOUN_PREPS and _is_noun(ctx, head.head) and head.head.i < first:
            return _np_of(doc, head.head)  # "a speed of 40 mph"
        if node.dep_ == "prep" and node.lower_ in _NOUN_PREPS and _is_noun(ctx, head) and head.i < first:
            return _np_of(doc, head)  # "flats from £200,000 to £300,000"
        if head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT":
            return _clause_concept(ctx, head, node, first, last)
        node = head
    return None


def _clause_concept(ctx: _Ctx, verb: Token, via: Token, first: int, last: int) -> tuple[int, int] | None:
    """The object a clause changes by the quantity, else its subject."""
    doc = ctx.doc

    def outside(t: Token) -> bool:
        return not any(first <= x.i <= last for x in t.subtree)

    def obj_of(v: Token) -> Token | None:
        return next((ch for ch in v.children if ch.dep_ == "dobj" and _is_noun(ctx, ch) and outside(ch)), None)

    if via.dep_ in ("npadvmod", "advmod", "oprd", "acomp") or (via.dep_ == "prep" and via.lower_ in ("by", "to", "from")):
        obj = obj_of(verb)
        if obj is not None:
            return _np_of(doc, obj)  # "cut its workforce by 10%"
    v = verb
    for _ in range(6):
        if v.pos_ not in ("VERB", "AUX") and v.dep_ != "ROOT":
            v = v.head  # up through the preposition of "after losing 20%"
            continue
        subj = next((ch for ch in v.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            if subj.tag_ in ("WDT", "WP") or subj.lower_ == "that":
                if v.dep_ == "relcl" and _is_noun(ctx, v.head):
                    return _np_of(doc, v.head)  # "the lake, which is 30 metres deep"
                return None
            if (_is_noun(ctx, subj) or subj.tag_ == "VBG") and outside(subj):
                return _np_of(doc, subj)
            if subj.pos_ == "PRON" and v is verb:
                obj = obj_of(v)
                return _np_of(doc, obj) if obj is not None else None
            return None
        if v.dep_ in ("relcl", "acl") and _is_noun(ctx, v.head):
            return _np_of(doc, v.head)
        if v.dep_ in ("conj", "xcomp", "advcl", "ccomp", "pcomp", "acomp", "prep") and v.head.i != v.i:
            v = v.head
            continue
        return None
    return None


# --------------------------------------------------------------------------------------
# About: the entity or thing a quantity is about
# --------------------------------------------------------------------------------------

# Entity types whose name, modifying a counted noun, says whose the things are ("North Korean
# troops", "Tesla shares"). Not PERSON: the small model tags product names so ("737 Max jets").
_OWNER_ENTS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
_NAME_ENTS = _OWNER_ENTS | {"PERSON"}
_LENGTH_UNITS = frozenset({"metre", "kilometre", "centimetre", "millimetre", "mile", "nautical mile", "yard", "foot", "inch"})
_COMPASS = frozenset("north south east west northeast northwest southeast southwest north-east north-west south-east south-west".split())
_SUBJECT_PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "any"}
_SUBJ_DEPS = ("nsubj", "nsubjpass")
# Clauses that share the subject of the clause above them: "planning to deploy", "said ...
# and added", "creating up to 400 jobs".
_SHARED_SUBJECT_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "pobj", "acomp", "oprd"})


def _about(ctx: _Ctx, c: _Cand, concept: tuple[int, int] | None) -> tuple[int, int] | None:
    """What the quantity is about (see ``_find_about``), never overlapping it or its concept."""
    found = _find_about(ctx, c, concept)
    if found is None:
        return None
    start, end = found
    first, last = ctx.tok_at(c.start), ctx.tok_at(c.end - 1)
    if start <= last and end >= first:
        return None
    if concept is not None and start <= concept[1] < end:
        start = concept[1] + 1  # "a three-bedroom house": "house", not "bedroom house"
    # a name inside the concept stays: "North Korean" of "North Korean troops"
    while start <= end and ctx.doc[start].is_punct:
        start += 1
    return (start, end) if start <= end else None


def _find_about(ctx: _Ctx, c: _Cand, concept: tuple[int, int] | None) -> tuple[int, int] | None:
    """Token span (first, last) of what the quantity is about, distinct from its concept.

    In order: the noun a bracketed figure follows ("RHP John Gant (0.5 WAR)"); the noun a
    hyphenated count modifies ("a three-bedroom house", concept "bedroom"); the possessor
    of the concept ("Ford's 13,000 workers"); the noun the quantity's phrase hangs on ("a
    survey of seven countries", "Acme, down 12p"); a named or definite owner of the concept
    ("the population of Japan", "North Korean troops"); the subject of the clause, climbing
    through clauses that share it ("North Korea was planning to deploy 12,000 troops"), the
    antecedent of a relative clause ("Ford, which has 13,000 workers"), and he/she/it/they
    resolved to the subject of a governing clause ("Cayman Airways said it was grounding two
    jets"). None when the quantity or its concept is itself the subject ("1,300 Americans
    were ..."), after an expletive ("there were 10,000 troops"), and for a duration that
    dates its clause ("for the first time in 24 years"), which has no concept either.
    """
    if c.concept_head >= 0:
        return None  # "Maria Lopez, 34": the person is the concept
    doc = ctx.doc
    first, last = ctx.tok_at(c.start), ctx.tok_at(c.end - 1)
    if concept is None and c.unit in _TIME_UNITS and _dates_clause(ctx, first, last):
        return None
    taken = ((first, last), concept or (first, last))  # the quantity and its concept

    def inside(t: Token) -> bool:
        return _overlaps(t.i, t.i, taken)

    # a figure in brackets after a name: "RHP John Gant (0.5 WAR)", "Acme (down 4%)"
    opened = c.host is None and "(" in ctx.text[max(0, c.start - 20) : c.start]
    bracket = next((k for k in range(first - 1, max(0, first - 3) - 1, -1) if doc[k].text == "("), None) if opened else None
    if bracket is not None and bracket > 0 and all(
        doc[k].pos_ in ("ADV", "ADP") for k in range(bracket + 1, first)
    ) and _nominal(ctx, doc[bracket - 1]):
        return _about_np(ctx, doc[bracket - 1])
    if c.unit in _LENGTH_UNITS:
        reference = _distance_reference(ctx, last + 1)
        if reference is not None:
            return reference
    head = doc[concept[1]] if concept is not None else None
    if head is not None:
        if head.i > last and doc[head.i - 1].text == "-":
            modified = head.head
            if modified.i > head.i and _nominal(ctx, modified):
                return _about_np(ctx, modified)  # "a three-bedroom house": the house
        poss = next((ch for ch in head.children if ch.dep_ == "poss" and _nominal(ctx, ch)), None)
        if poss is not None:
            return _about_np(ctx, poss)
    node = _span_root(doc, first, last)
    if node is None:
        return None
    up = node.head
    if head is not None and concept[0] <= up.i <= concept[1]:
        node, up = head, head.head  # a count: climb from the counted noun
    while up.i != node.i and node.dep_ not in _SUBJ_DEPS and up.pos_ not in ("VERB", "AUX"):
        # the whole an "of"-phrase is part of, or a name the figure is appended to; other
        # prepositions give circumstances ("shootings at two mosques"), passed through
        attached = node.dep_ in ("appos", "npadvmod", "advmod", "amod") or (node.dep_ == "prep" and node.lower_ == "of")
        if attached and up.i < node.i and not inside(up) and _nominal(ctx, up):
            return _about_np(ctx, up)  # "a survey of seven countries", "Acme, down 12p"
        node, up = up, up.head
    if head is not None:
        owner = _owner(ctx, head)
        if owner is not None:
            return owner
    if node.dep_ in _SUBJ_DEPS:  # the quantity is the subject: a passive's agent, if any
        agent = next((ch for ch in up.children if ch.dep_ == "agent"), None)
        obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        return _about_np(ctx, obj) if obj is not None and _nominal(ctx, obj) else None
    if up.i == node.i:
        return None
    return _clause_about(ctx, up, taken)


def _distance_reference(ctx: _Ctx, k: int) -> tuple[int, int] | None:
    """What a distance is measured from: "four miles from the border", "two miles off the
    coast", "10 km north of the city", "a mile away from the school"."""
    doc = ctx.doc
    n = len(doc)
    if k < n and doc[k].lower_ == "away":
        k += 1
    if k + 1 < n and doc[k].lower_ in _COMPASS and doc[k + 1].lower_ == "of":
        k += 1
    elif k >= n or doc[k].lower_ not in ("from", "off", "outside"):
        return None
    return _np_after(doc, k + 1)


def _nominal(ctx: _Ctx, t: Token) -> bool:
    """A noun, or a name the tagger missed ("OHSU/JJ has performed ...")."""
    return _is_noun(ctx, t) or (t.ent_type_ in _NAME_ENTS and t.is_alpha and t.i not in ctx.quantity_tokens)


def _owner(ctx: _Ctx, head: Token) -> tuple[int, int] | None:
    """A named or definite "of"-phrase after the concept, else a name modifying it."""
    doc = ctx.doc
    for ch in head.rights:
        if ch.dep_ == "prep" and ch.lower_ == "of":
            obj = next((g for g in ch.children if g.dep_ == "pobj"), None)
            # "the population of Japan", "seasons of the show"; not a content ("barrels of oil")
            if obj is not None and _nominal(ctx, obj) and (
                obj.pos_ == "PROPN" or any(g.dep_ in ("det", "poss") for g in obj.children)
            ):
                return _about_np(ctx, obj)
    for ch in head.lefts:
        if ch.dep_ in ("compound", "amod", "nmod") and ch.ent_type_ in _OWNER_ENTS and not ch.like_num:
            a = b = ch.i  # the whole name: "North Korean troops"
            while a > 0 and doc[a].ent_iob_ == "I" and doc[a - 1].ent_type_ == ch.ent_type_:
                a -= 1
            while b + 1 < head.i and doc[b + 1].ent_iob_ == "I":
                b += 1
            return a, b
    return None


def _about_np(ctx: _Ctx, head: Token) -> tuple[int, int]:
    """A noun phrase named for what it is about: with its possessor and a named "of"-phrase
    ("Kyiv's Defense Intelligence Directorate", "the city of Lviv")."""
    doc = ctx.doc
    start, end = _np_of(doc, head)
    poss = next((ch for ch in head.children if ch.dep_ == "poss" and _nominal(ctx, ch)), None)
    if poss is not None and poss.i < start:
        start = _np_of(doc, poss)[0]
    of = next((ch for ch in head.rights if ch.dep_ == "prep" and ch.lower_ == "of" and ch.i == end + 1), None)
    obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if obj is not None and obj.pos_ == "PROPN":
        end = obj.i  # "the city of Lviv", "the Bank of England"
    return start, end


def _overlaps(a: int, b: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= hi and b >= lo for lo, hi in spans)


def _clause_about(ctx: _Ctx, verb: Token, taken: tuple[tuple[int, int], ...]) -> tuple[int, int] | None:
    """The subject of the clause at ``verb`` (see ``_about``); ``taken``: the token spans of
    the quantity and its concept, which cannot be what it is about."""
    v = verb
    pronoun: str | None = None  # "it" in "X said it would": look for X higher up
    for _ in range(8):
        subj = next((ch for ch in v.children if ch.dep_ in _SUBJ_DEPS), None)
        if subj is None and any(ch.dep_ == "expl" for ch in v.children):
            return None  # "there were about 10,000 troops": no subject to be about
        if subj is not None and not _overlaps(subj.left_edge.i, subj.right_edge.i, taken):
            if subj.tag_ in ("WDT", "WP") or subj.lower_ == "that":
                antecedent = v.head
                if (v.dep_ == "relcl" and _nominal(ctx, antecedent) and not _overlaps(antecedent.i, antecedent.i, taken)
                        and (pronoun is None or _agrees(antecedent, pronoun))):
                    return _about_np(ctx, antecedent)  # "Ford, which has 13,000 workers"
                return None
            if _nominal(ctx, subj) and (pronoun is None or _agrees(subj, pronoun)):
                return _about_np(ctx, subj)
            kind = _SUBJECT_PRONOUNS.get(subj.lower_)
            if kind is None or pronoun is not None:
                return None
            pronoun = kind
        elif subj is not None and pronoun is None:
            return None  # the quantity is the subject
        # up to the next clause: through a shared subject, a relative clause, a reported one
        if v.dep_ in ("relcl", "acl") and _nominal(ctx, v.head) and not _overlaps(v.head.i, v.head.i, taken):
            infinitive = any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in v.children)
            if pronoun is None and not infinitive:
                return _about_np(ctx, v.head)  # "lenders offering 95% mortgages"
        elif not (v.dep_ in _SHARED_SUBJECT_DEPS or (pronoun is not None and v.dep_ == "ccomp")):
            return None
        v = v.head
        while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i:
            v = v.head  # through the noun a relative or infinitive clause hangs on
        if v.pos_ not in ("VERB", "AUX"):
            return None
    return None


def _agrees(subj: Token, pronoun: str) -> bool:
    """he/she for a person, it for a thing, they for anything."""
    person = subj.ent_type_ == "PERSON" or (subj.pos_ == "PROPN" and not subj.ent_type_)
    return pronoun == "any" or (pronoun == "person") == person


# --------------------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------------------


def _candidates(ctx: _Ctx) -> list[_Cand]:
    doc = ctx.doc
    out: list[_Cand] = []
    consumed = 0
    for tok in doc:
        # lexeme attributes only: cheap for every token
        low = tok.lower_
        if not ("d" in tok.shape_ or low in _NUMBER_START or low[-1] == "-") or tok.idx < consumed:
            continue
        if "d" in tok.shape_:
            _, chunk_end = _chunk(doc, tok.i)
            for m in _DIGIT_START_RE.finditer(tok.text):
                pos = tok.idx + m.start()
                if pos < consumed:
                    continue
                c = _read_digits(ctx, pos, chunk_end + 40)
                if c is not None:
                    _complete(ctx, c)
                    out.append(c)
                    consumed = c.end
        else:
            c = _read_words(ctx, tok.i) if low[-1] != "-" else _read_suspended(ctx, tok)
            if c is not None:
                _complete(ctx, c)
                out.append(c)
                consumed = c.end
    return out


def _complete(ctx: _Ctx, c: _Cand) -> None:
    if not c.words:
        _read_prefix(ctx, c)
    _read_unit(ctx, c)
    _read_qualifier(ctx, c)
    _read_postfix(ctx, c)
    _read_age_apposition(ctx, c)


def find_quantities(doc: Doc) -> list[Quantity]:
    """The quantities of a parsed doc, in text order, with ids q1, q2, ..."""
    ctx = _Ctx(doc)
    cands = _combine(ctx, [c for c in _candidates(ctx) if not _rejected(ctx, c)])
    for c in cands:
        ctx.quantity_tokens.update(range(ctx.tok_at(c.start), ctx.tok_at(c.end - 1) + 1))
    concepts: dict[int, tuple[int, int] | None] = {}
    out: list[Quantity] = []
    for c in cands:
        concept = concepts.get(id(c.host)) if c.host is not None and id(c.host) in concepts else _concept(ctx, c)
        if c.unit is None and _is_age(ctx, c, concept):
            c.unit = "year of age"
        concepts[id(c)] = concept
        concept_text, concept_span = _text_span(ctx, concept)
        about_text, about_span = _text_span(ctx, _about(ctx, c, concept))
        low, high = c.low, c.high
        if c.bound == "at_least":
            low = c.value
        elif c.bound == "at_most":
            high = c.value
        out.append(Quantity(
            id=f"q{len(out) + 1}", text=ctx.text[c.start : c.end], start=c.start, end=c.end,
            value=c.value, low=low, high=high, bound=c.bound, unit=c.unit,
            concept=concept_text, concept_span=concept_span, about=about_text, about_span=about_span,
        ))
    return out


def _text_span(ctx: _Ctx, tokens: tuple[int, int] | None) -> tuple[str | None, tuple[int, int] | None]:
    if tokens is None:
        return None, None
    doc = ctx.doc
    start, end = doc[tokens[0]].idx, doc[tokens[1]].idx + len(doc[tokens[1]].text)
    return ctx.text[start:end], (start, end)


@Language.factory("claimscope_quantities_v1")
def make_quantities(nlp: Language, name: str) -> "QuantityTagger":
    return QuantityTagger()


class QuantityTagger:
    """Sets ``doc._.claimscope_quantities``."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimscope_quantities = find_quantities(doc)
        return doc
