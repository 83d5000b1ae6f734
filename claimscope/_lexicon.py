"""Word lists the attribution and entity stages share.

Kept in one place so a reviewer can see, and a test can pin, what counts as a reporting
verb, a hedge, a denial or a title. Lemmas are lower case.
"""

from __future__ import annotations

# Verbs of saying: the cue of a claim a speaker makes. ("X said that ...", "..., X added")
SPEECH_VERBS = frozenset("""
say tell add state claim announce report warn note argue insist explain write
acknowledge admit confirm declare assert contend maintain allege repeat reiterate
stress emphasize emphasise underline remark comment tweet post testify recount recall
reply respond answer ask question predict promise pledge vow threaten concede caution
suggest point indicate mention observe disclose reveal complain boast brag joke quip
continue conclude describe call urge deny dismiss reject refute dispute counter rebut
retort charge accuse blame praise criticize criticise condemn demand propose recommend
signal hint estimate forecast project calculate cite quote inform advise brief notify
assure reassure agree affirm aver posit speculate theorize theorise muse wonder lament
acknowledge concede proclaim pronounce trumpet tout characterize characterise label
insinuate imply highlight specify clarify elaborate counsel plead beg shout scream
yell whisper mutter write say speak talk discuss point
""".split())

# Verbs of thinking, knowing and showing: PolNeAR annotates these as attributions too
# ("polls show", "he believes", "a judge found"); a claim extractor reports them as
# hedged or evidential claims.
COGNITION_VERBS = frozenset("""
believe think know expect fear hope suspect assume reckon feel worry doubt understand
consider conclude figure guess imagine realize realise recognize recognise learn hear
find show demonstrate reveal suggest indicate want plan intend decide
""".split())

# Cue lemmas whose use hedges the claim ("It believes ...", "officials estimate ...").
HEDGING_CUES = frozenset("believe think suspect assume estimate expect guess reckon speculate feel hope fear".split())

# Verbs whose use denies the content ("dismissed the reports as fake").
DENIAL_VERBS = frozenset("deny dismiss reject refute dispute rebut disavow contradict debunk".split())

# Passive raising constructions: "are said to", "is believed to".
PASSIVE_REPORT_VERBS = frozenset(
    "say believe think report estimate expect know rumor rumour understand allege consider claim suspect fear".split()
)

# Adverbs that hedge a claim wherever they modify its cue or main verb.
HEDGE_ADVERBS = frozenset(
    "reportedly allegedly apparently purportedly supposedly reputedly ostensibly seemingly possibly probably likely".split()
)

# Nouns that make "no <noun>" a denial: "have no evidence that ...".
EVIDENCE_NOUNS = frozenset("evidence proof sign signs indication indications confirmation basis truth".split())
FALSITY_WORDS = frozenset("false untrue baseless fake groundless unfounded fabricated bogus nonsense".split())


# Honorifics and titles before a person's name. Multi-word titles are matched token-wise.
PERSON_TITLES = frozenset("""
mr mrs ms miss dr prof sir dame lady lord president vice prime minister secretary general
lieutenant lt major maj colonel col captain capt sergeant sgt admiral adm commander cmdr
gen chancellor premier governor gov senator sen representative rep congressman
congresswoman mayor judge justice chief deputy ambassador spokesman spokeswoman
spokesperson king queen prince princess pope bishop archbishop rev reverend father
sheikh emir leader chairman chairwoman chair director ceo head foreign defense defence
interior finance state attorney former acting secretary-general minister-president
commissioner inspector superintendent officer agent envoy diplomat official adviser
advisor aide analyst professor economist pastor rabbi imam cardinal marshal brigadier
speaker whip delegate
""".split())

MALE_TITLES = frozenset("mr sir lord king prince father brother emperor duke count baron sheikh emir pope".split())
FEMALE_TITLES = frozenset("mrs ms miss dame lady queen princess sister empress duchess countess".split())

# Common first names with a clear gender, English and international, to guess the gender of
# a person mention when the text has no pronoun or honorific for them yet.
MALE_NAMES = frozenset("""
aaron abdul abdullah adam ahmed alan albert alejandro alexander alexei alexey alex ali
andrew andrei andriy angus anthony antonio arnold arthur barack ben benjamin benny bernie
bill billy bob boris brad brandon brian bruce bryan carl carlos charles charlie chris
christopher chuck colin craig dan daniel danny dave david dennis denis dmitry dmitri donald
doug douglas dylan ed eddie edward elon emmanuel eric ernest evan frank franklin fred
frederick gary gavin george gerald gordon greg gregory hank harold harry hassan henry
hugh hunter ian igor isaac ivan jack jacob jake james jamie jared jason javier jean jeb
jeff jeffrey jeremy jerome jerry jim jimmy joe joel john johnny jon jonathan jordan jorge
jose joseph josh joshua juan justin keith ken kenneth kevin kim-jong kirk kurt kyle kyrylo
larry lee leon leonid lloyd louis luis luke marco marcus mark martin matt matthew max
michael mike miguel mikhail mitch mitt mohammed muhammad narendra nathan neil nicholas
nick nikolai olaf oleg oliver omar oscar patrick paul pedro peter phil philip pierre
ralph ray raymond reince richard rick rishi rob robert rodrigo roger ron ronald roy rudy
russell ryan sam samuel scott sean sergei sergey sergiy steve steven stuart ted terry
thomas tim timothy todd tom tony travis victor vince vincent vladimir volodymyr walter
wayne william xi yevgeny yuri zach
""".split())

FEMALE_NAMES = frozenset("""
abigail alexandra alice alicia allison amanda amy ana andrea angela angelina ann anna
anne annalena barbara betsy betty beth brenda carla carly carmen carol caroline catherine
cathy chelsea christina christine claire cynthia dana deborah debbie denise diana diane
donna dorothy elaine elena elizabeth ellen emily emma erin eva evelyn frances giorgia
gloria grace hannah heather helen hillary holly ivanka jacqueline jane janet janice jean
jennifer jessica jill joan joanna jodi judith judy julia julie karen kamala kate katherine
kathleen kathy katie kelly kellyanne kimberly kristen laura lauren linda lisa liz lori
louise lucy lynn margaret maria marie marine marsha martha mary megan melania melissa
michelle monica nancy natalie nicole nikki olena olga pamela patricia paula peggy rachel
rebecca rose ruth sandra sarah sharon shirley stephanie susan suzanne tamara teresa
theresa tina tulsi ursula valerie victoria virginia wendy yulia
""".split())

# Heads of descriptions that refer back to an organisation ("the agency said").
ORG_DESCRIPTION_NOUNS = frozenset("""
agency service ministry department directorate office organization organisation
government administration company firm group council committee commission bureau
army military command force forces police court party campaign union alliance bank
institute university newspaper paper broadcaster network outlet channel station
magazine site website daily tabloid publication wire embassy mission authority
regulator watchdog board foundation association federation coalition team club
intelligence spy body panel
""".split())

MEDIA_DESCRIPTION_NOUNS = frozenset("""
newspaper paper broadcaster network outlet channel station magazine website daily
tabloid publication wire agency broadcasting news television tv radio newsroom
""".split())

# Heads of descriptions that refer back to a document ("the pact states").
DOCUMENT_NOUNS = frozenset("""
pact treaty agreement accord deal memo memorandum report statement communique
communiqué resolution law bill act charter constitution document letter study survey
poll filing lawsuit complaint indictment ruling order decree declaration plan strategy
assessment estimate analysis review audit dossier cable transcript post tweet
article clause provision text
""".split())

# Heads of descriptions that refer back to a person ("the minister said").
PERSON_DESCRIPTION_NOUNS = frozenset("""
minister president secretary general official spokesman spokeswoman spokesperson
senator governor mayor leader chief director chairman chairwoman ambassador envoy
commander officer king queen prince premier chancellor judge justice lawyer attorney
candidate nominee congressman congresswoman representative lawmaker legislator
analyst expert adviser advisor aide professor researcher economist author writer
reporter journalist correspondent editor founder executive ceo man woman boy girl
father mother son daughter husband wife brother sister activist witness resident
source diplomat pastor priest bishop pope
""".split())

# News organisations: a MEDIA entity when a name matches (case-insensitive, without "the").
# Canonical names as the outlets write them.
MEDIA_OUTLETS = {
    "associated press": "The Associated Press",
    "ap": "The Associated Press",
    "reuters": "Reuters",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "agence france presse": "Agence France-Presse",
    "yonhap": "Yonhap",
    "yonhap news agency": "Yonhap",
    "kcna": "Korean Central News Agency",
    "korean central news agency": "Korean Central News Agency",
    "tass": "TASS",
    "ria novosti": "RIA Novosti",
    "interfax": "Interfax",
    "xinhua": "Xinhua",
    "kyodo": "Kyodo News",
    "kyodo news": "Kyodo News",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "bbc": "BBC",
    "bbc news": "BBC",
    "cnn": "CNN",
    "nbc": "NBC News",
    "nbc news": "NBC News",
    "cbs": "CBS News",
    "cbs news": "CBS News",
    "abc news": "ABC News",
    "fox news": "Fox News",
    "msnbc": "MSNBC",
    "npr": "NPR",
    "pbs": "PBS",
    "al jazeera": "Al Jazeera",
    "the new york times": "The New York Times",
    "new york times": "The New York Times",
    "the times": "The Times",
    "washington post": "The Washington Post",
    "the washington post": "The Washington Post",
    "wall street journal": "The Wall Street Journal",
    "the wall street journal": "The Wall Street Journal",
    "financial times": "Financial Times",
    "the guardian": "The Guardian",
    "guardian": "The Guardian",
    "the economist": "The Economist",
    "politico": "Politico",
    "axios": "Axios",
    "newsweek": "Newsweek",
    "usa today": "USA Today",
    "los angeles times": "Los Angeles Times",
    "new york post": "New York Post",
    "the new york post": "New York Post",
    "breitbart": "Breitbart News",
    "breitbart news": "Breitbart News",
    "huffpost": "HuffPost",
    "huffington post": "HuffPost",
    "the hill": "The Hill",
    "kyiv independent": "The Kyiv Independent",
    "the kyiv independent": "The Kyiv Independent",
    "kyiv post": "Kyiv Post",
    "ukrainska pravda": "Ukrainska Pravda",
    "suspilne": "Suspilne",
    "ukrinform": "Ukrinform",
    "meduza": "Meduza",
    "novaya gazeta": "Novaya Gazeta",
    "kommersant": "Kommersant",
    "izvestia": "Izvestia",
    "sputnik": "Sputnik",
    "der spiegel": "Der Spiegel",
    "spiegel": "Der Spiegel",
    "le monde": "Le Monde",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "nhk": "NHK",
    "korea herald": "The Korea Herald",
    "the korea herald": "The Korea Herald",
    "korea times": "The Korea Times",
    "the korea times": "The Korea Times",
    "chosun ilbo": "Chosun Ilbo",
    "joongang ilbo": "JoongAng Ilbo",
    "south china morning post": "South China Morning Post",
    "the war zone": "The War Zone",
    "war zone": "The War Zone",
    "the telegraph": "The Telegraph",
    "the independent": "The Independent",
    "sky news": "Sky News",
    "voice of america": "Voice of America",
    "voa": "Voice of America",
    "radio free europe": "Radio Free Europe/Radio Liberty",
    "rfe/rl": "Radio Free Europe/Radio Liberty",
    "deutsche welle": "Deutsche Welle",
    "france 24": "France 24",
    "euronews": "Euronews",
    "the atlantic": "The Atlantic",
    "the new yorker": "The New Yorker",
    "propublica": "ProPublica",
    "the intercept": "The Intercept",
    "daily mail": "Daily Mail",
    "the daily beast": "The Daily Beast",
    "business insider": "Business Insider",
    "cnbc": "CNBC",
    "forbes": "Forbes",
    "the daily telegraph": "The Telegraph",
    "nikkei": "Nikkei",
    "asahi shimbun": "Asahi Shimbun",
    "the asahi shimbun": "Asahi Shimbun",
    "haaretz": "Haaretz",
    "times of israel": "The Times of Israel",
    "the times of israel": "The Times of Israel",
    "anadolu": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency",
    "irna": "IRNA",
    "pti": "Press Trust of India",
    "press trust of india": "Press Trust of India",
    "the western journal": "The Western Journal",
    "western journal": "The Western Journal",
}

PRONOUNS_MALE = frozenset("he him his himself".split())
PRONOUNS_FEMALE = frozenset("she her hers herself".split())
PRONOUNS_NEUTER = frozenset("it its itself".split())
PRONOUNS_PLURAL = frozenset("they them their themselves".split())
PRONOUNS_FIRST = frozenset("i me my we us our".split())
SPEAKER_PRONOUNS = PRONOUNS_MALE | PRONOUNS_FEMALE | PRONOUNS_NEUTER | PRONOUNS_PLURAL | PRONOUNS_FIRST
