"""claimscope_quantities_v1: numbers, qualifiers, ranges, units, concepts, and what is not a quantity."""

from __future__ import annotations

import datetime as dt
import math
import pathlib

import pytest

from claimscope.quantities import find_quantities

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "north-korean-troops.txt"
PUBLISHED = dt.date(2024, 10, 18)
_MISSING = object()


def _by_text(doc, text: str):
    found = [q for q in doc._.claimscope_quantities if q.text == text]
    assert found, (text, [q.text for q in doc._.claimscope_quantities])
    return found[0]


def _close(a, b) -> bool:
    return a is None and b is None or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))


# sentence, quantity text, value, low, high, bound, unit, concept (_MISSING: not checked)
CASES = [
    # counts and their counted noun
    ("The ministry said 2,600 soldiers crossed the border.", "2,600", 2600, None, None, "exact", None, "soldiers"),
    ("Officials counted almost 9,000 Chinese fishing boats in the strait.", "almost 9,000", 9000, None, None, "approx", None, "Chinese fishing boats"),
    ("The union said four regional offices would close.", "four", 4, None, None, "exact", None, "regional offices"),
    ("A dozen eggs now cost twice as much.", "A dozen", 12, None, None, "exact", None, "eggs"),
    ("Two hundred and fifty delegates voted for the motion.", "Two hundred and fifty", 250, None, None, "exact", None, "delegates"),
    ("The city has a population of 1.5 million.", "1.5 million", 1.5e6, None, None, "exact", None, "population"),
    ("The factory produces 1,200 cars a week.", "1,200", 1200, None, None, "exact", None, "cars a week"),
    ("The carrier bought three new 777 Boeing freighters.", "three", 3, None, None, "exact", None, "new 777 Boeing freighters"),
    # approximate
    ("About 300 protesters gathered outside the embassy.", "About 300", 300, None, None, "approx", None, "protesters"),
    ("Around 40 journalists were detained last year.", "Around 40", 40, None, None, "approx", None, "journalists"),
    ("Roughly 70 flights were cancelled on Monday.", "Roughly 70", 70, None, None, "approx", None, "flights"),
    ("Some 1,200 families have been evacuated.", "Some 1,200", 1200, None, None, "approx", None, "families"),
    ("Nearly 500 homes lost power overnight.", "Nearly 500", 500, None, None, "approx", None, "homes"),
    ("Approximately 15 percent of voters remain undecided.", "Approximately 15 percent", 15, None, None, "approx", "percent", "voters"),
    ("The storm destroyed close to 200 houses.", "close to 200", 200, None, None, "approx", None, "houses"),
    ("Police said an estimated 3,000 people attended the rally.", "an estimated 3,000", 3000, None, None, "approx", None, "people"),
    ("The crater is ~30 metres wide.", "~30 metres", 30, None, None, "approx", "metre", _MISSING),
    # at least
    ("At least 12 people died in the fire.", "At least 12", 12, 12, None, "at_least", None, "people"),
    ("More than 40 countries signed the declaration.", "More than 40", 40, 40, None, "at_least", None, "countries"),
    ("The company employs over 5,000 engineers.", "over 5,000", 5000, 5000, None, "at_least", None, "engineers"),
    ("Temperatures rose above 40 degrees Celsius in the capital.", "above 40 degrees Celsius", 40, 40, None, "at_least", "degree Celsius", "Temperatures"),
    ("The bank lent upwards of $3 billion to the developer.", "upwards of $3 billion", 3e9, 3e9, None, "at_least", "USD", _MISSING),
    ("The hall seats 500 or more guests.", "500 or more", 500, 500, None, "at_least", None, "guests"),
    # at most
    ("The new ferry carries up to 400 passengers.", "up to 400", 400, None, 400, "at_most", None, "passengers"),
    ("Fewer than 100 tickets remain.", "Fewer than 100", 100, None, 100, "at_most", None, "tickets"),
    ("Turnout was less than 30 percent.", "less than 30 percent", 30, None, 30, "at_most", "percent", "Turnout"),
    ("Inflation stayed under 2% for a decade.", "under 2%", 2, None, 2, "at_most", "percent", "Inflation"),
    ("Wages fell below $7 an hour.", "below $7 an hour", 7, None, 7, "at_most", "USD per hour", "Wages"),
    ("Each household may receive at most three vouchers.", "at most three", 3, None, 3, "at_most", None, "vouchers"),
    ("The fund will invest no more than $10 million in one company.", "no more than $10 million", 1e7, None, 1e7, "at_most", "USD", _MISSING),
    ("The plant will make sub-3 nanometre processors.", "sub-3 nanometre", 3, None, 3, "at_most", "nanometre", "processors"),
    # ranges
    ("Officials expect between 10,000 and 15,000 visitors.", "between 10,000 and 15,000", None, 10000, 15000, "range", None, "visitors"),
    ("The project will cost from $2 billion to $3 billion.", "from $2 billion to $3 billion", None, 2e9, 3e9, "range", "USD", _MISSING),
    ("Tickets cost 20 to 30 euros at the door.", "20 to 30 euros", None, 20, 30, "range", "EUR", "Tickets"),
    ("Growth is forecast at 2-3% next year.", "2-3%", None, 2, 3, "range", "percent", "Growth"),
    ("The march drew 5,000–7,000 people.", "5,000–7,000", None, 5000, 7000, "range", None, "people"),
    ("The trip takes three or four hours by bus.", "three or four hours", None, 3, 4, "range", "hour", _MISSING),
    ("The population grew from 4.8 million to 5.1 million.", "from 4.8 million to 5.1 million", None, 4.8e6, 5.1e6, "range", None, "population"),
    ("Prices fell from 5.2 to 4.9 percent.", "from 5.2 to 4.9 percent", None, 4.9, 5.2, "range", "percent", "Prices"),
    ("The mirror will be 6- to 8-metre wide.", "6- to 8-metre", None, 6, 8, "range", "metre", _MISSING),
    ("The hike covers two and a half miles.", "two and a half miles", 2.5, None, None, "exact", "mile", _MISSING),
    ("Its debt is $1.2T, the report said.", "$1.2T", 1.2e12, None, None, "exact", "USD", _MISSING),
    ("Analysts expect 1 to 2 billion downloads.", "1 to 2 billion", None, 1e9, 2e9, "range", None, "downloads"),
    # vague magnitudes and fractions
    ("Tens of thousands of workers joined the strike.", "Tens of thousands", None, 1e4, 1e5, "range", None, "workers"),
    ("Dozens of villages were flooded.", "Dozens", None, 12, 120, "range", None, "villages"),
    ("Hundreds of firefighters battled the blaze.", "Hundreds", None, 100, 1000, "range", None, "firefighters"),
    ("Millions of viewers watched the final.", "Millions", None, 1e6, 1e7, "range", None, "viewers"),
    ("Two-thirds of the members voted yes.", "Two-thirds", 2 / 3, None, None, "exact", None, "members"),
    ("A third of the budget goes to defence.", "A third", 1 / 3, None, None, "exact", None, "budget"),
    ("Half of the respondents disagreed.", "Half", 0.5, None, None, "exact", None, "respondents"),
    ("One in five adults smokes every day.", "One in five", 0.2, None, None, "exact", None, "adults"),
    # money
    ("The deal is worth $5 million.", "$5 million", 5e6, None, None, "exact", "USD", "deal"),
    ("The firm raised $2bn from investors.", "$2bn", 2e9, None, None, "exact", "USD", "firm"),
    ("The club paid £45m for the striker.", "£45m", 4.5e7, None, None, "exact", "GBP", "club"),
    ("Revenue reached €3.2 billion last year.", "€3.2 billion", 3.2e9, None, None, "exact", "EUR", "Revenue"),
    ("The government pledged A$2 billion for the dam.", "A$2 billion", 2e9, None, None, "exact", "AUD", "government"),
    ("The contract is worth US$5.4m, the ministry said.", "US$5.4m", 5.4e6, None, None, "exact", "USD", "contract"),
    ("The museum charges ¥1,500 for entry.", "¥1,500", 1500, None, None, "exact", "JPY", "museum"),
    ("Shares were priced at $18 a share.", "$18 a share", 18, None, None, "exact", "USD per share", "Shares"),
    ("The charity paid $2 million in fines.", "$2 million", 2e6, None, None, "exact", "USD", "fines"),
    ("The company's shares closed at 118p.", "118p", 118, None, None, "exact", "penny", _MISSING),
    # measures and the measured thing
    ("The ship was moored about four miles off the coast.", "about four miles", 4, None, None, "approx", "mile", _MISSING),
    ("He served 24 years in the army.", "24 years", 24, None, None, "exact", "year", _MISSING),
    ("The bridge is 1.2 km long.", "1.2 km", 1.2, None, None, "exact", "kilometre", "bridge"),
    ("The truck weighed 12 tonnes.", "12 tonnes", 12, None, None, "exact", "tonne", "truck"),
    ("A 15% levy on imports was announced.", "15%", 15, None, None, "exact", "percent", "levy"),
    ("60 percent of its revenue comes from advertising.", "60 percent", 60, None, None, "exact", "percent", "revenue"),
    ("The aircraft flew at 500 mph.", "500 mph", 500, None, None, "exact", "mile per hour", "aircraft"),
    ("The car returns 45 miles per gallon.", "45 miles per gallon", 45, None, None, "exact", "mile per gallon", "car"),
    ("It was 98 degrees Fahrenheit in Phoenix.", "98 degrees Fahrenheit", 98, None, None, "exact", "degree Fahrenheit", _MISSING),
    ("The battery stores 75 kWh of energy.", "75 kWh", 75, None, None, "exact", "kilowatt hour", "energy"),
    ("The drive holds 2TB of backups.", "2TB", 2, None, None, "exact", "terabyte", "backups"),
    ("The central bank lowered rates by 25 basis points.", "25 basis points", 25, None, None, "exact", "basis point", "rates"),
    ("The index fell 120 points on Friday.", "120 points", 120, None, None, "exact", "point", "index"),
    ("Output grew by 0.5 percentage points.", "0.5 percentage points", 0.5, None, None, "exact", "percentage point", "Output"),
    ("The water was 2 1/2 feet deep.", "2 1/2 feet", 2.5, None, None, "exact", "foot", _MISSING),
    ("Temperatures fell to minus 12 degrees Celsius overnight.", "minus 12 degrees Celsius", -12, None, None, "exact", "degree Celsius", "Temperatures"),
    ("The wind reached a speed of 40 mph.", "40 mph", 40, None, None, "exact", "mile per hour", "speed"),
    ("The council approved a loan worth £3 million.", "£3 million", 3e6, None, None, "exact", "GBP", "loan"),
    ("The city has spent 40 million of the 90 million euros it raised.", "40 million", 4e7, None, None, "exact", "EUR", _MISSING),
    ("The bottle holds 3/4 of a litre.", "3/4 of a litre", 0.75, None, None, "exact", "litre", _MISSING),
    ("The bid was $ 14 million, the filing showed.", "$ 14 million", 1.4e7, None, None, "exact", "USD", "bid"),
    ("Water boils at 100 C at sea level.", "100 C", 100, None, None, "exact", "degree Celsius", "Water"),
    ("The kit comes with a 5 W charger.", "5 W", 5, None, None, "exact", "watt", "charger"),
    ("He returned home for the first time in 24 years.", "24 years", 24, None, None, "exact", "year", None),
    ("The firm cut its workforce by 10% last year.", "10%", 10, None, None, "exact", "percent", "workforce"),
    ("The lake, which is 30 metres deep, froze over.", "30 metres", 30, None, None, "exact", "metre", "lake"),
    # ages
    ("A 43-year-old woman was arrested.", "43-year-old", 43, None, None, "exact", "year of age", "woman"),
    ("The girl is 12 years old.", "12 years old", 12, None, None, "exact", "year of age", _MISSING),
    ("Maria Lopez, 34, was named chief executive.", "34", 34, None, None, "exact", "year of age", "Maria Lopez"),
    ("She turned 60 on Tuesday.", "60", 60, None, None, "exact", "year of age", _MISSING),
    ("He is 42 and lives in Leeds.", "42", 42, None, None, "exact", "year of age", _MISSING),
    ("Smith, who is 58, will retire in May.", "58", 58, None, None, "exact", "year of age", _MISSING),
    ("Life expectancy in the region is about 71.", "about 71", 71, None, None, "approx", "year of age", "Life expectancy"),
    ("The offer is open to children aged 12 and under.", "12", 12, None, None, "exact", "year of age", _MISSING),
    ("It was 30 in the shade.", "30", 30, None, None, "exact", None, _MISSING),  # no person: no age
    ("The score was 35 at half-time.", "35", 35, None, None, "exact", None, _MISSING),
    # "one" as a count, partitives, hyphenated counts
    ("One soldier was wounded in the attack.", "One", 1, None, None, "exact", None, "soldier"),
    ("Only one bidder remained in the auction.", "one", 1, None, None, "exact", None, "bidder"),
    ("She owns one car and two bikes.", "one", 1, None, None, "exact", None, "car"),
    ("One of the three hostages was freed.", "One", 1, None, None, "exact", None, "hostages"),
    ("He was one of the founders.", "one", 1, None, None, "exact", None, "founders"),
    ("It is one of the best phones on sale.", "one", 1, None, None, "exact", None, "best phones"),
    ("Two of the suspects were released.", "Two", 2, None, None, "exact", None, "suspects"),
    ("The bridge is one mile long.", "one mile", 1, None, None, "exact", "mile", "bridge"),
    ("He said that one vote was enough.", "one", 1, None, None, "exact", None, "vote"),
    ("They bought a three-bedroom house.", "three", 3, None, None, "exact", None, "bedroom"),
    ("It comes with four-, five- and six-door bodies.", "four", 4, None, None, "exact", None, "door"),
    ("It comes with four-, five- and six-door bodies.", "six", 6, None, None, "exact", None, "door"),
    # units read since: oil barrels, the kuna sign, a rate after a bracketed conversion
    ("The well pumped 2 million barrels of oil last year.", "2 million barrels of oil", 2e6, None, None, "exact", "barrel of oil", _MISSING),
    ("A coffee costs 15 kn in Split.", "15 kn", 15, None, None, "exact", "HRK", "coffee"),
    # temperature scales written as a letter after the word, or misspelt
    ("Set the heating to 20 degrees c tonight.", "20 degrees c", 20, None, None, "exact", "degree Celsius", _MISSING),
    ("It was 98.6 degrees f at noon.", "98.6 degrees f", 98.6, None, None, "exact", "degree Fahrenheit", _MISSING),
    ("Water boils at 100 celcius.", "100 celcius", 100, None, None, "exact", "degree Celsius", _MISSING),
    ("Turn the valve 90 degrees clockwise.", "90 degrees", 90, None, None, "exact", "degree", _MISSING),
    # a partitive over "them": the noun the number before it counts
    ("Engineers inspected some 3,100 homes and declared about 260 of them unsafe.", "about 260", 260, None, None,
     "approx", None, "homes"),
    ("Each household will get 200,000 Serbian dinars.", "200,000 Serbian dinars", 2e5, None, None, "exact", "RSD", _MISSING),
    ("The fund holds 3.5 billion dinars.", "3.5 billion dinars", 3.5e9, None, None, "exact", "dinar", _MISSING),
    ("The levy raises £9 billion ($11 billion) a year.", "£9 billion", 9e9, None, None, "exact", "GBP per year", _MISSING),
    ("The levy raises £9 billion ($11 billion) a year.", "$11 billion", 11e9, None, None, "exact", "USD per year", _MISSING),
    ("Sales grew 4.2 last year.", "4.2", 4.2, None, None, "exact", None, _MISSING),  # "last year" dates it
    ("Police seized $5 million worth of weapons.", "$5 million", 5e6, None, None, "exact", "USD", "weapons"),
    ("The archive holds two years' worth of data.", "two years", 2, None, None, "exact", "year", "data"),
    # movements with a short adjunct between the ends
    ("Prices rose from $3.10 in May to $3.45 in June.", "from $3.10 in May to $3.45", None, 3.10, 3.45, "range", "USD", "Prices"),
    ("Fuel economy improved from 30 mpg overall to 34 on the highway.", "from 30 mpg overall to 34", None, 30, 34, "range", "mile per gallon", _MISSING),
    ("Output fell from about 10-12 tonnes to 8 tonnes.", "8 tonnes", 8, None, None, "exact", "tonne", _MISSING),
    ("Output fell from about 10-12 tonnes to 8.", "8", 8, None, None, "exact", "tonne", _MISSING),
]


@pytest.mark.parametrize("sentence,text,value,low,high,bound,unit,concept", CASES, ids=[c[1] for c in CASES])
def test_quantity(parse, sentence, text, value, low, high, bound, unit, concept):
    doc = parse(sentence)
    q = _by_text(doc, text)
    assert sentence[q.start : q.end] == q.text
    assert _close(q.value, value), q
    assert _close(q.low, low), q
    assert _close(q.high, high), q
    assert q.bound == bound
    assert q.unit == unit
    if concept is not _MISSING:
        assert q.concept == concept
        if concept is not None:
            assert sentence[q.concept_span[0] : q.concept_span[1]] == concept


# sentence, quantity text, what the quantity is about (None: nothing)
ABOUT = [
    ("Acme employs 13,000 workers in Wales.", "13,000", "Acme"),  # the subject
    ("North Korea plans to send between 10,000 and 12,000 troops to the front.", "between 10,000 and 12,000", "North Korea"),
    ("The online retailer earns more than 60 per cent of its revenue from ads.", "more than 60 per cent", "online retailer"),
    ("Tesla said it would cut 3,000 jobs.", "3,000", "Tesla"),  # "it" resolved up the clauses
    ("The union, which has 40,000 members, called a strike.", "40,000", "union"),  # a relative clause
    ("The firm announced plans to lay off 500 employees.", "500", "firm"),
    ("The plant's 2,000 workers walked out.", "2,000", "plant"),  # a possessor
    ("Japan's population fell by 800,000 last year.", "800,000", "Japan"),
    ("The population of Iceland is about 380,000.", "about 380,000", "Iceland"),  # an "of"-owner
    ("The city of Lviv has 720,000 residents.", "720,000", "city of Lviv"),
    ("A poll of 1,200 voters found support falling.", "1,200", "poll"),  # the whole it is part of
    ("About 300 Ukrainian soldiers crossed the river.", "About 300", "Ukrainian"),  # a name modifier
    ("Shares in Acme (down 4%) led the fall.", "4%", "Acme"),  # a bracketed figure
    ("They bought a three-bedroom house.", "three", "house"),
    ("The ship was moored about four miles off the coast.", "about four miles", "coast"),  # a distance
    ("The village lies 10 km north of the city.", "10 km", "city"),
    ("There were about 500 protesters outside.", "about 500", None),  # an expletive subject
    ("About 500 protesters gathered outside.", "About 500", None),  # the count is the subject
    ("The city was shelled for three days.", "three days", None),  # a duration dating the clause
]


@pytest.mark.parametrize("sentence,text,about", ABOUT, ids=[a[0][:30] for a in ABOUT])
def test_about(parse, sentence, text, about):
    q = _by_text(parse(sentence), text)
    assert q.about == about, q
    if about is not None:
        assert sentence[q.about_span[0] : q.about_span[1]] == about
    else:
        assert q.about_span is None


def test_about_survives_the_contract_json():
    from claimscope._models import Document, Ledger, Quantity

    text = "Acme employs 13,000 workers."
    q = Quantity("q1", "13,000", 13, 19, 13000.0, None, None, "exact", concept="workers",
                 concept_span=(20, 27), about="Acme", about_span=(0, 4))
    ledger = Ledger(Document(id="d", source="test", text=text), quantities=(q,))
    d = ledger.to_dict()
    assert (d["quantities"][0]["about"], d["quantities"][0]["about_span"]) == ("Acme", [0, 4])
    assert Ledger.from_dict(d).quantities == (q,)


# Sentences with several quantities: all of them, in order, and nothing else.
SEVERAL = [
    ("Sales rose 8% to $4.2 billion.", ["8%", "$4.2 billion"]),  # a change and a new level, no range
    ("The deficit widened by £12 billion to £98 billion.", ["£12 billion", "£98 billion"]),
    ("The charity received more than 2 million euros ($2.2 million).", ["more than 2 million euros", "$2.2 million"]),
    ("The dam is 150 metres high and holds 3 billion cubic metres of water.", ["150 metres", "3 billion cubic metres"]),
    ("Imports slipped 4% in March, the third fall in a row.", ["4%"]),
    ("Operating profit reached £310 million, up from £290 million a year earlier.", ["£310 million", "£290 million"]),
    ("Rebels fired 20 rockets on August 6, killing three people.", ["20", "three"]),
]


@pytest.mark.parametrize("sentence,texts", SEVERAL, ids=[s[0][:30] for s in SEVERAL])
def test_several(parse, sentence, texts):
    doc = parse(sentence, PUBLISHED)
    qs = doc._.claimscope_quantities
    assert [q.text for q in qs] == texts
    assert [q.id for q in qs] == [f"q{i}" for i in range(1, len(qs) + 1)]


def test_conversion_takes_the_bound_and_concept(parse):
    doc = parse("The engine makes just under 200 hp (149 kW) of power.")
    hp, kw = doc._.claimscope_quantities
    assert (hp.bound, kw.bound) == ("at_most", "at_most")
    assert hp.concept == kw.concept == "power"


def test_change_then_level_is_not_a_range(parse):
    doc = parse("Sales rose 8% to $4.2 billion.")
    assert all(q.bound != "range" for q in doc._.claimscope_quantities)


NOT_QUANTITIES = [
    "The talks began on August 6 and ended October 8 to 13.",
    "The troops must be ready by November 1.",
    "The treaty was signed in 2024.",
    "Trading opened on Oct. 8 at 9:30 a.m.",
    "The meeting starts at 10:30 pm.",
    "The first cadre arrived, followed by a third wave.",
    "He visited the 2nd Corps headquarters.",
    "Article 5 of the treaty was invoked.",
    "Section 2 of the act applies to them.",
    "Title IX complaints rose sharply.",
    "Page 1 of 5",
    "Visited 1 times, 1 visit(s) today",
    "Call 555-123-4567 for details.",
    "Call (212) 555-1234 today.",
    "The allies pledged to help one another.",
    "An attack on one member is an attack on all.",
    "The update ships with version 2.4.1 of the app.",
    "COVID-19 cases fell sharply.",
    "Leaders met at the G7 summit.",
    "The air force ordered new F-16 jets.",
    "Apple unveiled the iPhone 11 at the event.",
    "The S&P 500 closed higher.",
    "The office is at 42 Harbour Road.",
    "City won the match 2-0.",
    "The 1990s were a boom decade.",
    "The 2019-20 season was cut short.",
    "The other two declined to comment.",
    "Sales in 2023 beat forecasts.",
    "The five-year plan was approved.",
    "Mr Smith took the 88th-minute penalty.",
    "The report is listed as reference [3] in the appendix.",
    "Officials ran short of COVID -19 tests.",
    "Profits fell during 2022′s downturn.",
    "He scored in the second half of the match.",
    "Two of them declined to comment.",
    # "one" that is no count
    "The leaders praised one another.",
    "No one was hurt in the blast.",
    "One day, the river will flood again.",
    "At one point the talks nearly collapsed.",
    "On the one hand, costs fell.",
    "They fled from one village to another.",
    "One side blamed the other for the delay.",
    "A strike on one ally is a strike on all.",
    "The band played live on BBC One.",
    "It was a one-off payment.",
    "For one thing, the price is too high.",
    "He was one of the few to finish.",
    "This one costs more.",
    "They entered the room one by one.",
    "One must be careful with such claims.",
    "Each one was checked twice.",
    "She was one of those who left.",
]


@pytest.mark.parametrize("sentence", NOT_QUANTITIES)
def test_not_a_quantity(parse, sentence):
    doc = parse(sentence, PUBLISHED)
    assert [q.text for q in doc._.claimscope_quantities] == []


def test_seed_article(parse):
    text = SEED.read_text(encoding="utf-8")
    doc = parse(text, PUBLISHED)
    qs = doc._.claimscope_quantities
    got = [(q.text, q.value, q.low, q.high, q.bound, q.unit, q.concept) for q in qs]
    assert got == [
        ("almost 11,000", 11000, None, None, "approx", None, "North Korean infantry troops"),
        ("2,600", 2600, None, None, "exact", None, "soldiers"),
        ("about 10,000", 10000, None, None, "approx", None, "North Korean troops"),
        ("between 10,000 and 12,000", None, 10000, 12000, "range", None, "troops"),
        ("around 1,500", 1500, None, None, "approx", None, "North Korean troops"),
        ("an estimated 18", 18, None, None, "approx", None, "North Korean soldiers"),
        ("about four miles", 4, None, None, "approx", "mile", got[6][6]),
        ("24 years", 24, None, None, "exact", "year", got[7][6]),
    ]
    # what each is about: the actor for the troop counts, the reference of the distance
    assert [q.about for q in qs] == [
        "North Korean", "first cadre", "North Korean", "North Korea", "North Korean", "North Korean", "border", None,
    ]
    for q in qs:
        assert text[q.start : q.end] == q.text
        if q.concept_span:
            assert text[q.concept_span[0] : q.concept_span[1]] == q.concept
        if q.about_span:
            assert text[q.about_span[0] : q.about_span[1]] == q.about
    # no date is read as a quantity
    for t in doc._.claimscope_times or ():
        assert not any(q.start < t.end and t.start < q.end for q in qs), t


def test_component_and_function_agree(parse):
    doc = parse("Around 40 journalists were detained, and more than 60 percent of them were freed.")
    assert find_quantities(doc) == doc._.claimscope_quantities
    assert [q.id for q in doc._.claimscope_quantities] == ["q1", "q2"]
    assert all(q.attribution is None for q in doc._.claimscope_quantities)


def test_works_without_the_times_stage(nlp):
    from claimscope.nlp import make_doc

    with nlp.select_pipes(disable=["claimscope_times_v1"]):
        doc = nlp(make_doc(nlp, "The talks ended on October 13 after 11 rounds."))
    doc._.claimscope_times = None
    assert [q.text for q in find_quantities(doc)] == ["11"]


NEWSQUANT = SHARED / "data" / "quantities" / "newsquant-dev.jsonl"


@pytest.mark.gate
@pytest.mark.skipif(not NEWSQUANT.exists(), reason="shared NewsQuant dev set not present")
def test_newsquant_gate():
    """The floors on NewsQuant dev (``bench/quantities.py`` documents the metrics and views).

    The concept floor of 0.76 is met on the view that scores a count's counted noun as its unit
    (CQE's split of the same information); on the plain concept+about view a count whose gold
    concept is "-" can never match, and that view is held at its current level instead.
    """
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_quantities", ROOT / "bench" / "quantities.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_quantities", bench)
    spec.loader.exec_module(bench)
    res = bench.evaluate(NEWSQUANT)
    ours, peer = res["claimscope"], res["quantulum3"]
    assert ours["value"]["f1"] >= 0.92
    assert ours["value+unit"]["f1"] >= 0.86
    assert ours["value+bound"]["f1"] >= 0.88
    assert ours["concept+about (count noun as unit)"]["f1"] >= 0.76
    assert ours[bench.CONCEPT]["f1"] >= 0.73
    for metric in ("value", "value+unit", "value+bound", bench.CONCEPT, "concept+about (count noun as unit)"):
        assert ours[metric]["f1"] > peer[metric]["f1"], metric
