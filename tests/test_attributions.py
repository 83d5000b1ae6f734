"""Attributions: sentence-level cases, one pattern per row, written for these tests.

Each row: text -> the attributions expected in it, as (speaker name or surface, cue,
a substring of the content, type). ``None`` for a speaker means no speaker. Extra checks
(via, hedges, negated) have their own tables.
"""

from __future__ import annotations

import pytest

import claimscope


def ledger(text: str, published: str | None = "2025-03-14"):
    return claimscope.extract(text, published=published, clean=False)


def summary(led) -> list[tuple]:
    out = []
    for a in led.attributions:
        who = None
        if a.speaker is not None:
            who = a.speaker.name or a.speaker.text
        out.append((who, a.cue.text if a.cue else None, a.content.text, a.type))
    return out


def find(led, content_part: str):
    hits = [a for a in led.attributions if content_part in a.content.text]
    assert hits, f"no attribution with {content_part!r} in {summary(led)}"
    return hits[0]


CASES = [
    # --- X said (that) ...
    ("The mayor said the bridge would reopen in May.", [("The mayor", "said", "the bridge would reopen in May", "indirect")]),
    ("Officials said that three schools had closed.", [("Officials", "said", "three schools had closed", "indirect")]),
    ("Maria Lopez said on Monday that the plant would hire 200 workers.",
     [("Maria Lopez", "said", "the plant would hire 200 workers", "indirect")]),
    ("The ministry has said it will review the contract.", [("The ministry", "said", "it will review the contract", "indirect")]),
    ("Police say the driver fled the scene.", [("Police", "say", "the driver fled the scene", "indirect")]),
    ("The company says its profits doubled last year.", [("The company", "says", "its profits doubled", "indirect")]),
    # --- ..., X said
    ("The river will crest on Friday, the weather service said.",
     [("the weather service", "said", "The river will crest on Friday", "indirect")]),
    ("Turnout was lower than expected, election officials said.",
     [("election officials", "said", "Turnout was lower than expected", "indirect")]),
    ("Two ships were damaged in the storm, the port authority said on Tuesday.",
     [("the port authority", "said", "Two ships were damaged in the storm", "indirect")]),
    # --- inverted: ..., said X
    ("The harvest is the worst in a decade, said Ahmed Karimi, a farmer in the valley.",
     [("Ahmed Karimi", "said", "The harvest is the worst in a decade", "indirect")]),
    ("\u201cWe are running out of water,\u201d said Grace Mwangi, who runs the shelter.",
     [("Grace Mwangi", "said", "We are running out of water", "direct")]),
    ("The plan is dead, says one senior diplomat.", [("one senior diplomat", "says", "The plan is dead", "indirect")]),
    ("\u201cNo party may leave the agreement before 2030,\u201d states the charter.",
     [("the charter", "states", "No party may leave the agreement before 2030", "direct")]),
    # --- X told Y (that) ...
    ("The minister told reporters the talks had stalled.", [("The minister", "told", "the talks had stalled", "indirect")]),
    ("Chen told the Harbor Times that the port would stay open.",
     [("Chen", "told", "the port would stay open", "indirect")]),
    ("The coach told a meeting of parents that the season would be cut short.",
     [("The coach", "told", "the season would be cut short", "indirect")]),
    # --- according to X
    ("According to the census bureau, the city lost 4,000 residents.",
     [("the census bureau", "According to", "the city lost 4,000 residents", "indirect")]),
    ("The factory closed in 2019, according to local records.",
     [("local records", "according to", "The factory closed in 2019", "indirect")]),
    ("The fire started in a kitchen, according to investigators who visited the site.",
     [("investigators who visited the site", "according to", "The fire started in a kitchen", "indirect")]),
    # --- colon lead-ins
    ("The governor said: \u201cThe state will pay for every damaged home.\u201d",
     [("The governor", "said", "The state will pay for every damaged home.", "direct")]),
    ("Then she added: \u201cNobody will be left behind.\u201d", [("she", "added", "Nobody will be left behind.", "direct")]),
    ("The union wrote in a letter:\n\nThe proposal cuts wages for half of our members.",
     [("The union", "wrote", "The proposal cuts wages for half of our members", "indirect")]),
    # --- direct quotes before and after the cue
    ("\u201cThe water is rising fast,\u201d he said.", [("he", "said", "The water is rising fast", "direct")]),
    ("\u201cWe have no choice,\u201d the mayor told residents.", [("the mayor", "told", "We have no choice", "direct")]),
    ("\u201cIt will take years to rebuild,\u201d she added.", [("she", "added", "It will take years to rebuild", "direct")]),
    ("\u201cAre we ready? Not yet,\u201d Ms. Patel said.", [("Ms. Patel", "said", "Are we ready? Not yet", "direct")]),
    ("\u201cThis is a disaster,\u201d said Tom Reed. \u201cWe lost everything.\u201d",
     [("Tom Reed", "said", "We lost everything", "direct")]),
    # --- split quotes
    ("\u201cThe dam held,\u201d the engineer said, \u201cbut the spillway is damaged.\u201d",
     [("the engineer", "said", "but the spillway is damaged", "direct")]),
    ("\u201cWe are tired,\u201d said Lena Ortiz, a nurse, \u201cbut we will keep working.\u201d",
     [("Lena Ortiz", "said", "but we will keep working", "direct")]),
    # --- mixed quotes
    ("The senator said the bill was \u201ca gift to polluters\u201d and would not pass.",
     [("The senator", "said", "a gift to polluters", "mixed")]),
    ("Rivera called the decision \u201ca betrayal of the workers.\u201d",
     [("Rivera", "called", "the decision", "mixed")]),
    # --- parenthetical and "as" cues
    ("The new rules, the regulator said, will take effect in June.",
     [("the regulator", "said", "will take effect in June", "indirect")]),
    ("Prices, as the central bank noted, have risen for six months.",
     [("the central bank", "noted", "have risen for six months", "indirect")]),
    ("As one analyst put it, the deal buys time but solves nothing.",
     [("one analyst", "put it", "the deal buys time but solves nothing", "indirect")]),
    # --- he added / she noted / participles
    ("He added that the company would appeal.", [("He", "added", "the company would appeal", "indirect")]),
    ("The airline apologized, saying the delays were caused by a software fault.",
     [("The airline", "saying", "the delays were caused by a software fault", "indirect")]),
    ("The board approved the budget and noted that costs had risen.",
     [("The board", "noted", "costs had risen", "indirect")]),
    # --- verbs of speech with objects and infinitives
    ("The union called for a national strike.", [("The union", "called", "a national strike", "indirect")]),
    ("The president vowed to rebuild every school.", [("The president", "vowed", "to rebuild every school", "indirect")]),
    ("The council urged residents to boil their water.", [("The council", "urged", "to boil their water", "indirect")]),
    ("The opposition accused the government of hiding the figures.",
     [("The opposition", "accused", "the government of hiding the figures", "indirect")]),
    ("The report cited rising rents as the main cause.", [("The report", "cited", "rising rents as the main cause", "indirect")]),
    # --- belief and evidence (hedged claims)
    ("The agency believes the outbreak began in March.", [("The agency", "believes", "the outbreak began in March", "indirect")]),
    ("Investigators suspect the fire was set deliberately.",
     [("Investigators", "suspect", "the fire was set deliberately", "indirect")]),
    ("Polls show the two candidates are tied.", [("Polls", "show", "the two candidates are tied", "indirect")]),
    ("Scientists estimate that the glacier has lost a third of its mass.",
     [("Scientists", "estimate", "the glacier has lost a third of its mass", "indirect")]),
    # --- passive raising, no speaker
    ("The rebels are said to control the northern road.", [(None, "said", "to control the northern road", "indirect")]),
    ("The suspect is believed to have left the country.", [(None, "believed", "to have left the country", "indirect")]),
    ("It is reported that the talks will resume next week.", [(None, "reported", "the talks will resume next week", "indirect")]),
    # --- relative clauses with a speaker
    ("She met a farmer who said the rains came too late.", [("a farmer", "said", "the rains came too late", "indirect")]),
    # --- dash credits and transcript labels
    ("\u201cThe town will never be the same.\u201d \u2015 Maria Gonzalez\n",
     [("Maria Gonzalez", "\u2015", "The town will never be the same.", "direct")]),
    ("HOST: Will the ceasefire hold through the weekend?", [("HOST", ":", "Will the ceasefire hold through the weekend?", "direct")]),
    # --- setting or changing a count is stating it
    ("Serbia's disaster agency on Wednesday raised its count of people displaced by the floods to 18,500.",
     [("Serbia's disaster agency", "raised", "its count of people displaced by the floods to 18,500", "indirect")]),
    ("The directorate has put the number of displaced people at 18,500.",
     [("The directorate", "put", "the number of displaced people at 18,500", "indirect")]),
    ("The IMF cut its growth forecast for Britain to 1.2 percent.",
     [("The IMF", "cut", "its growth forecast for Britain to 1.2 percent", "indirect")]),
    # --- the second half of a split quote joined by a conjunction
    ("\u201cThe levee held for now,\u201d the engineer said, but \u201cif the rain keeps up through Sunday, we will "
     "lose the lower town.\u201d",
     [("the engineer", "said", "we will lose the lower town", "direct")]),
    # --- wire datelines, and a name the parser leaves without its cue
    ("BELGRADE, April 24 (BWS) - Some 12,000 people have been displaced by floods in western Serbia, Serbia's "
     "National Emergency Directorate (NED) said on Friday, as the river broke through an embankment.",
     [("National Emergency Directorate", "said", "Some 12,000 people have been displaced by floods", "indirect")]),
    ("WASHINGTON (AP) — The Senate will vote on the bill next week, Majority Leader Tom Hale said on Tuesday.",
     [("Tom Hale", "said", "The Senate will vote on the bill next week", "indirect")]),
    ("The Sava fell by about 40 centimetres, according to the national weather service, though it said the "
     "river would stay high until Thursday.",
     [("national weather service", "according to", "The Sava fell by about 40 centimetres", "indirect"),
      ("national weather service", "said", "the river would stay high until Thursday", "indirect")]),
    ("At least two people have died, most of them in villages along the river, after three days of rain, the "
     "National Emergency Directorate (NED) said on Monday.",
     [("National Emergency Directorate", "said", "At least two people have died", "indirect")]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_attribution_patterns(text, expected):
    led = ledger(text)
    got = summary(led)
    for speaker, cue, part, kind in expected:
        match = [g for g in got if part in g[2]]
        assert match, f"{part!r} not in any content: {got}"
        who, gcue, content, gkind = match[0]
        if speaker is None:
            assert who is None, got
        else:
            assert who is not None and (speaker in who or who in speaker), got
        assert gcue == cue, got
        assert gkind == kind, got


# Where a content starts and stops: (text, cue, speaker name, the whole content).
BOUNDARIES = [
    # A second speech verb with its own complement is a second claim of the same speaker.
    ("The ministry said the dam would hold and warned residents to stay away from the river.",
     "said", "The ministry", "the dam would hold"),
    ("The ministry said the dam would hold and warned residents to stay away from the river.",
     "warned", "The ministry", "to stay away from the river"),
    ("The ministry said it was safe and warned residents to stay away from the river.",
     "warned", "The ministry", "to stay away from the river"),
    # A plain verb of saying after a claim with a named subject is that subject's claim.
    ("The aide says the mayor promised to stay in the race and said she would fight on.",
     "said", "the mayor", "she would fight on"),
    # Any other verb shares the clause's subject and stays in the claim.
    ("The directorate said engineers had inspected some 3,100 homes and declared about 260 of them unsafe.",
     "said", "The directorate", "engineers had inspected some 3,100 homes and declared about 260 of them unsafe"),
    ("The mayor said the school would reopen in May and suggested that classes could resume sooner.",
     "suggested", "The mayor", "classes could resume sooner"),
    ("The company said sales had doubled, although it declined to give figures for the quarter.",
     "said", "The company", "sales had doubled"),
    ("The company said sales had doubled, although it declined to give figures for the quarter.",
     "declined", "it", "to give figures for the quarter"),
    # ... but a verb of the claim's own subject stays in the claim.
    ("The officials said the rebels had attacked the base and claimed two villages.",
     "said", "The officials", "the rebels had attacked the base and claimed two villages"),
    # A list the parser splits at its comma into two complements is one claim.
    ("The auditor told the committee it is plain from the published accounts that spending on the new hospital, "
     "the regional rail line and the ports in Hull and Grimsby can be traced to one contractor.",
     "told", "The auditor", "it is plain from the published accounts that spending on the new hospital, the regional "
     "rail line and the ports in Hull and Grimsby can be traced to one contractor"),
    # A name closing a fronted phrase with no comma is the speaker; "that" after a time phrase.
    ("In an interview with the Guardian Maria Lopez said the plant would close.",
     "said", "Maria Lopez", "the plant would close"),
    ("The council reported at the time that the school had been sold.",
     "reported", "The council", "the school had been sold"),
    ("The mayor tweeted early on Sunday that the bridge was \u201cunsafe\u201d and \u201ca disgrace\u201d.",
     "tweeted", "The mayor", "the bridge was \u201cunsafe\u201d and \u201ca disgrace\u201d"),
    # Parentheticals after an adverbial opener claim what follows; "as X pointed out".
    ("And perhaps, she said, the new bridge could bring shoppers back to the old town.",
     "said", "she", "the new bridge could bring shoppers back to the old town"),
    ("Too often, the inspector said, the checks on the older dams are skipped.",
     "said", "the inspector", "the checks on the older dams are skipped"),
    # A relative clause the parser hangs on the main verb still has its antecedent as speaker.
    ("To settle the question, they turned to the Leeds fire service which reported \u201c312 house fires\u201d in "
     "the old town.",
     "reported", "the Leeds fire service", "\u201c312 house fires\u201d in the old town"),
    # A relative pronoun object: the claim is what the thing is called.
    ("The fire started in a warehouse that the fire chief described as a death trap.",
     "described", "the fire chief", "a death trap"),
    # Objects: a pronoun object with a predicate; frame prepositions; dates are not objects.
    ("The coach called it a setback.", "called", "The coach", "it a setback"),
    ("The governor blasted the council as reckless on Tuesday.", "blasted", "The governor", "the council as reckless"),
    ("The union criticized the minister for firing a 52-year-old nurse.",
     "criticized", "The union", "the minister for firing a 52-year-old nurse"),
    ("The senator praised the volunteers at a rally in Leeds.", "praised", "The senator", "the volunteers"),
]


def test_relative_that_is_not_a_complement():
    led = ledger("He responded then the same way that we must respond now.")
    assert not [a for a in led.attributions if "we must respond" in a.content.text], summary(led)


@pytest.mark.parametrize("text,cue,speaker,content", BOUNDARIES, ids=[f"{b[1]}:{b[0][:36]}" for b in BOUNDARIES])
def test_content_boundaries(text, cue, speaker, content):
    got = [a for a in ledger(text).attributions if a.cue.text == cue]
    assert got, summary(ledger(text))
    a = got[0]
    assert a.content.text == content, summary(ledger(text))
    assert a.speaker is not None and a.speaker.text == speaker, summary(ledger(text))


NOT_CLAIMS = [
    # Scare quotes and names in quotes are not claims.
    "Russia and North Korea signed a so-called \u201ccomprehensive strategic partnership\u201d last year.",
    "The film \u201cThe Long Road Home\u201d opens on Friday.",
    # Verbs of speech used for naming, meetings and actions.
    "The United Nations called an emergency meeting.",
    "The school is called Riverside Academy.",
    "He spoke for about five minutes.",
    # Reported speech inside someone else's quote stays part of that quote.
    "\u201cMy mother always said we would come back,\u201d the old man recalled.",
]


@pytest.mark.parametrize("text", NOT_CLAIMS[:5], ids=[t[:40] for t in NOT_CLAIMS[:5]])
def test_not_claims(text):
    assert ledger(text).attributions == ()


@pytest.mark.parametrize("text", [
    # Raising or cutting what is not a count is not stating a figure.
    "The company raised prices by 5 percent in May.",
    "Officials raised the alarm at 3 a.m. on Sunday.",
    "The council set the meeting at 9 a.m.",
])
def test_changing_what_is_not_a_count_is_no_claim(text):
    assert ledger(text).attributions == ()


def test_speech_inside_a_quote_is_not_a_separate_claim():
    led = ledger(NOT_CLAIMS[5])
    assert len(led.attributions) == 1
    a = led.attributions[0]
    assert a.cue.text == "recalled" and "we would come back" in a.content.text


VIA = [
    ("The army has withdrawn from the town, according to Reuters.", None),  # according to alone is the speaker
    ("The ministry said the border was closed, according to Yonhap.", "Yonhap"),
    ("He warned that prices would rise, The Associated Press reported.", "The Associated Press"),
    ("Ten people were arrested, police said, according to the BBC.", "BBC"),
]


@pytest.mark.parametrize("text,via", VIA, ids=[v[0][:40] for v in VIA])
def test_reporting_chains(text, via):
    led = ledger(text)
    assert len(led.attributions) == 1, summary(led)
    a = led.attributions[0]
    if via is None:
        assert a.via == () and a.cue.text == "according to"
    else:
        assert [v.name for v in a.via] == [via]
        assert "according to" not in a.content.text and "reported" not in a.content.text


HEDGES = [
    ("The agency reportedly said the plant was damaged.", "reportedly"),
    ("The agency believes the plant was damaged.", "believes"),
    ("The plant is said to be damaged.", "said to"),
    ("Officials said an estimated 300 homes were damaged.", "estimated"),
    ("Rebels allegedly said the road was mined.", "allegedly"),
]


@pytest.mark.parametrize("text,hedge", HEDGES, ids=[h[0][:40] for h in HEDGES])
def test_hedges(text, hedge):
    led = ledger(text)
    assert any(hedge in a.hedges for a in led.attributions), summary(led)


NEGATIONS = [
    ("NATO said allies \u201chave no evidence that the troops are involved in the fight.\u201d", True),
    ("The ministry denied that soldiers had crossed the border.", True),
    ("The spokesman dismissed the reports as fake.", True),
    ("The company said the claims were false.", True),
    ("The company said the claims were accurate.", False),
    ("\u201cWe don't have the full picture yet,\u201d he added.", False),
]


@pytest.mark.parametrize("text,negated", NEGATIONS, ids=[n[0][:40] for n in NEGATIONS])
def test_denials(text, negated):
    led = ledger(text)
    assert led.attributions, text
    assert led.attributions[0].negated is negated, summary(led)


def test_quote_running_over_paragraphs():
    text = (
        "The mayor spoke at the town hall.\n\n"
        "\u201cWe will rebuild the school, and we will rebuild the clinic,\u201d she said. "
        "\u201cThe money is already in the budget.\n\n"
        "\u201cNobody should have to wait until next winter.\u201d\n\n"
        "The council meets again on Monday."
    )
    led = ledger(text)
    assert len(led.attributions) == 1, summary(led)
    a = led.attributions[0]
    assert a.type == "direct"
    assert "money is already in the budget" in a.content.text
    assert "Nobody should have to wait" in a.content.text
    assert len(a.content.fragments) >= 2
    for s, e in a.content.fragments:
        assert "she said" not in text[s:e]


def test_pronoun_and_description_speakers_resolve():
    text = (
        "Lieutenant General Kyrylo Budanov of Ukraine's Defense Intelligence Directorate told reporters on "
        "Thursday that the battalions were ready.\n\n"
        "He said the troops would use Russian equipment.\n\n"
        "South Korea's spy agency, the National Intelligence Service (NIS), said the deployment had begun.\n\n"
        "The agency said 1,500 troops had been moved. It believes more will follow."
    )
    led = ledger(text, "2024-10-18")
    names = [a.speaker.name for a in led.attributions]
    assert names == [
        "Kyrylo Budanov",
        "Kyrylo Budanov",
        "National Intelligence Service",
        "National Intelligence Service",
        "National Intelligence Service",
    ], summary(led)
    nis = led.entity(led.attributions[-1].speaker.entity)
    assert {"NIS", "South Korea's spy agency"} <= set(nis.aliases)


def test_said_time_is_the_time_of_the_statement():
    led = ledger("Chen told reporters on Thursday that the port would reopen by November 1.", "2024-10-18")
    a = led.attributions[0]
    said = next(t for t in led.times if t.id == a.said_time)
    assert said.text == "Thursday" and said.start_date == "2024-10-17"
    inside = [t for t in led.times if t.id in a.times]
    assert [t.text for t in inside] == ["November 1"]


def test_quantities_link_to_their_claim():
    led = ledger("Officials said about 10,000 troops were preparing to fight.")
    a = led.attributions[0]
    q = led.quantities[0]
    assert q.attribution == a.id and q.id in a.quantities
