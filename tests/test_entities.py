"""Entities within one article: one source under many names, and who "he", "it", "the agency" are."""

from __future__ import annotations

import pytest

import claimscope


def ledger(text: str):
    return claimscope.extract(text, published="2024-10-18", clean=False)


def entity(led, name: str):
    hits = [e for e in led.entities if e.name == name]
    assert hits, [(e.name, e.type) for e in led.entities]
    return hits[0]


def speakers(led) -> list[str | None]:
    return [a.speaker.name if a.speaker else None for a in led.attributions]


def test_possessive_variants_are_one_directorate():
    led = ledger(
        "Kyiv's Defense Intelligence Directorate said the troops were training in Russia.\n\n"
        "A general of Ukraine's Defense Intelligence Directorate said they would be ready soon."
    )
    did = entity(led, "Defense Intelligence Directorate")
    assert did.type == "ORG"
    assert "Kyiv's Defense Intelligence Directorate" in did.aliases
    assert len(did.mentions) == 2


def test_title_affiliation_and_surname():
    led = ledger(
        "Lieutenant General Kyrylo Budanov of Ukraine's Defense Intelligence Directorate told reporters the "
        "battalions were ready.\n\nBudanov said the first group had 2,600 soldiers."
    )
    budanov = entity(led, "Kyrylo Budanov")
    assert budanov.type == "PERSON"
    assert "Budanov" in budanov.aliases
    assert led.entity(budanov.affiliation).name == "Defense Intelligence Directorate"
    assert speakers(led) == ["Kyrylo Budanov", "Kyrylo Budanov"]


def test_acronym_and_appositive_description():
    led = ledger(
        "South Korea's spy agency, the National Intelligence Service (NIS), said the deployment had begun.\n\n"
        "The NIS said 1,500 troops had been moved."
    )
    nis = entity(led, "National Intelligence Service")
    assert {"NIS", "South Korea's spy agency"} <= set(nis.aliases)
    assert speakers(led) == ["National Intelligence Service", "National Intelligence Service"]


def test_acronym_the_model_runs_into():
    led = ledger("A wildfire forced 6,000 people from their homes, according to the Southwest Interagency "
                 "Fire Command (SIFC). SIFC said the fire was 12 percent contained.")
    sifc = entity(led, "Southwest Interagency Fire Command")
    assert "SIFC" in sifc.aliases
    assert set(speakers(led)) == {"Southwest Interagency Fire Command"}


@pytest.mark.parametrize(
    "text,expected",
    [
        # "He" after a man who spoke; "she" skips him for the woman.
        ("President Volodymyr Zelensky told reporters the war would go on.\n\nHe said more aid was needed.",
         ["Volodymyr Zelensky", "Volodymyr Zelensky"]),
        ("Mark Rutte met Ursula Meyer in Brussels. Meyer said the plan was ready. She added that it would cost "
         "billions.", ["Ursula Meyer", "Ursula Meyer"]),
        ("Tom Hale said the bridge was closed. Hale added that repairs would take a week.",
         ["Tom Hale", "Tom Hale"]),
        # "It" is an organisation, never a person.
        ("Maria Lopez said the agency was wrong. The Bureau of Statistics disagreed. It said the data were sound.",
         ["Maria Lopez", "Bureau of Statistics"]),
    ],
)
def test_pronoun_speakers(text, expected):
    got = [s for s in speakers(ledger(text)) if s]
    assert got == expected


def test_descriptions_refer_back():
    led = ledger(
        "The Mesa Valley Electric Cooperative dismissed the reports as premature. "
        "The cooperative said its lines were inspected in April.\n\n"
        "The Southwest Interagency Fire Command said the fire had grown. The agency said 40 homes were lost.\n\n"
        "Residents said the smoke was thick. The agency added that evacuations would continue."
    )
    assert speakers(led) == [
        "Mesa Valley Electric Cooperative",
        "Mesa Valley Electric Cooperative",
        "Southwest Interagency Fire Command",
        "Southwest Interagency Fire Command",
        None,
        "Southwest Interagency Fire Command",
    ]


def test_pact_as_speaker():
    led = ledger(
        "The two leaders signed a so-called \u201ccomprehensive strategic partnership pact\u201d in June.\n\n"
        "\u201cEach side shall provide assistance to the other,\u201d states the pact."
    )
    assert speakers(led) == ["comprehensive strategic partnership pact"]
    assert entity(led, "comprehensive strategic partnership pact").type == "DOCUMENT"


def test_media_outlets():
    led = ledger(
        "The army withdrew, The Associated Press reported. Yonhap, a major South Korean news agency, said the "
        "talks had failed. The Santa Fe Chronicle said the fire was arson."
    )
    for name in ("The Associated Press", "Yonhap", "Santa Fe Chronicle"):
        assert entity(led, name).type == "MEDIA"


def test_never_merges_a_person_with_an_organisation():
    led = ledger("Washington said the talks were over. George Washington University said its campus was closed.")
    types = {e.name: e.type for e in led.entities}
    assert types.get("George Washington University") == "ORG"
    assert all(not (e.type == "PERSON" and "University" in " ".join(e.aliases)) for e in led.entities)


def test_surnames_shared_by_two_people_go_to_the_nearest():
    led = ledger(
        "North Korean leader Kim Jong Un visited Moscow. South Korea's Defense Minister Kim Yong-hyun said the "
        "visit was a threat."
    )
    names = {e.name for e in led.entities if e.type == "PERSON"}
    assert {"Kim Jong Un", "Kim Yong-hyun"} <= names
    assert speakers(led) == ["Kim Yong-hyun"]


def test_citing_makes_the_paper_the_channel():
    led = ledger("Investigators are examining a power line, the Santa Fe Chronicle reported, citing two people "
                 "familiar with the inquiry.")
    (a,) = led.attributions
    assert a.speaker.text == "two people familiar with the inquiry"
    assert [v.name for v in a.via] == ["Santa Fe Chronicle"]
    assert a.content.text == "Investigators are examining a power line"


def test_said_she_believed_is_hedged():
    led = ledger("The minister said she believed the dam would hold.")
    (a,) = led.attributions
    assert "believed" in a.hedges


@pytest.mark.parametrize(
    "text,expected",
    [
        # A description whose words name no entity seen is not the last speaker ...
        ("The National Emergency Directorate said 40 schools had closed. Up to 120 millimetres of rain fell, "
         "according to the national weather service. It said the rain would continue.",
         ["National Emergency Directorate", "national weather service", "national weather service"]),
        # ... but one whose words do, is.
        ("The National Emergency Directorate said 40 schools had closed. The emergency directorate said more "
         "rain was due.", ["National Emergency Directorate", "National Emergency Directorate"]),
        ("The Regional Water Authority said the dam was safe. The water authority said levels were falling.",
         ["Regional Water Authority", "Regional Water Authority"]),
        # A vague description is not a new source.
        ("Officials met on Monday. The agency said the talks had failed.", [None]),
    ],
)
def test_specific_descriptions_are_sources_of_their_own(text, expected):
    assert speakers(ledger(text)) == expected


def test_described_source_is_an_organisation_entity():
    led = ledger("Rain will continue until Friday, the national weather service said.")
    e = entity(led, "national weather service")
    assert e.type == "ORG" and e.descriptions == ("the national weather service",)


def test_the_word_before_a_lone_name_makes_it_a_place():
    led = ledger("The villages along the Kolubara river were flooded. Markovic said the Sava was expected to "
                 "peak later in the week, and the Obama administration said it would send aid.")
    types = {e.name: e.type for e in led.entities}
    assert types.get("Kolubara") != "PERSON" and types.get("Sava") != "PERSON"
    assert types.get("Obama") == "PERSON"


def test_the_speaker_is_the_subject_next_to_a_tail_cue():
    led = ledger("At least two people have died and about 1,500 residents have been evacuated, most of them in "
                 "villages along the river, after three days of rain, the National Emergency Directorate (NED) "
                 "said on Monday.")
    (a,) = led.attributions
    assert a.speaker.name == "National Emergency Directorate"
    assert a.content.text.startswith("At least two people have died")


def test_a_person_the_model_calls_an_organisation():
    led = ledger("The last breach was closed on Monday, said Bojan Markovi\u0107, the directorate's spokesman.")
    assert entity(led, "Bojan Markovi\u0107").type == "PERSON"


def test_capitals_compounded_onto_a_name_are_part_of_it():
    led = ledger("TV Kolubara, a local broadcaster, reported that engineers had found cracks in the dam.")
    e = entity(led, "TV Kolubara")
    assert e.type == "MEDIA" and speakers(led) == ["TV Kolubara"]
