"""Tests for direct quote extraction and speaker attribution."""

from pathlib import Path

import pytest

from storywire.services.summarizer.entities import EntityMention
from storywire.services.summarizer.quotes import QuoteFound, extract_quotes

SEEDS = Path(__file__).parents[2] / "seeds"


def test_a_scare_quote_is_not_reported_as_a_quote() -> None:
    text = "A government adviser dismissed the Russian move to hold talks as “propaganda”."
    assert extract_quotes(text) == []


def test_a_quote_followed_by_role_and_name_is_attributed_to_the_name() -> None:
    text = "“The delegation is ready for talks and we are waiting,” Kremlin spokesperson Dmitry Peskov said."
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Dmitry Peskov"]


def test_said_before_a_colon_attributes_the_following_quote() -> None:
    text = 'Jane Smith visited Leeds.\n\nJane Smith said: "We will keep working on this until it is finished."'
    assert [q.speaker for q in extract_quotes(text)] == ["Jane Smith"]


def test_a_pronoun_speaker_resolves_to_the_latest_person_subject() -> None:
    text = 'John Brown arrived in Paris on Monday.\n\n"This is a very important day for all of us," he said.'
    assert [q.speaker for q in extract_quotes(text)] == ["John Brown"]


def test_cnn_style_backtick_quotes_are_found() -> None:
    text = "``We have never seen anything like this storm before,'' said Mayor Tom Jones."
    quotes = extract_quotes(text)
    assert quotes and quotes[0].speaker == "Tom Jones"


def test_seed_quotes_are_attributed_to_peskov_zelensky_and_medinsky() -> None:
    speakers = set()
    for path in sorted(SEEDS.glob("*.txt")):
        speakers |= {q.speaker for q in extract_quotes(path.read_text(encoding="utf-8"))}
    assert {"Dmitry Peskov", "Volodymyr Zelensky", "Vladimir Medinsky"} <= speakers


def test_straight_single_quotes_survive_apostrophes_and_a_leading_space() -> None:
    text = "' We didn't expect the players' reaction to be this strong at all,' said Coach Tom Hardy."
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == ["We didn't expect the players' reaction to be this strong at all"]
    assert quotes[0].speaker == "Tom Hardy"


def test_a_long_subject_before_added_is_the_speaker() -> None:
    text = (
        "Jane Smith, the council's head of planning, who opposed the scheme for years, added: "
        '"We will not let this happen again in our town."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Jane Smith"]


def test_he_said_resolves_to_the_subject_not_the_object_of_the_last_sentence() -> None:
    text = (
        "Promoter Bob Arum said the deal was off.\n\n"
        "But Leonard Ellerbe disagreed with Bob Arum. He said: 'The bottom line is that he will not live "
        "with the agreement.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Leonard Ellerbe"]


def test_she_said_skips_a_man_named_more_recently() -> None:
    text = (
        "Mary Jones said she was angry about the delay. Mr Peter Brown arrived later, and his car was "
        'blocked.\n\n"I was waiting for a very long time and nobody came," she said.'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Mary Jones"]


def test_a_quote_right_after_an_attributed_one_continues_it() -> None:
    text = (
        '"We know where to look and we know how to look," NASA scientist Ellen Stofan said. '
        '"We are talking about little microbes, not little green men."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Ellen Stofan", "Ellen Stofan"]


def test_an_unnamed_spokesman_is_not_resolved_to_someone_else() -> None:
    text = (
        "Tony Adams manages a club abroad. A Sandown spokesman said: 'Tony wanted to do it but his side "
        "are playing on Friday night.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == [None]


def test_a_quote_over_several_paragraphs_is_one_quote_a_paragraph_by_the_same_speaker() -> None:
    text = (
        "The complaint was made by his opponent, Tigran Petrosian, 32. He said: 'He would reply to my moves and "
        "then run to the toilet. ' I noticed that he always used the same cubicle, which was strange. ' What "
        "they found was a mobile phone hidden behind the pan.' Organisers announced their decision on Sunday."
    )
    quotes = extract_quotes(text)
    assert [q.text[:12] for q in quotes] == ["He would rep", "I noticed th", "What they fo"]
    assert {q.speaker for q in quotes} == {"Tigran Petrosian"}  # the colon names him, not "Organisers announced"


def test_a_paragraph_left_open_does_not_swallow_the_next_quote() -> None:
    text = (
        'Judith Enck, a regional administrator, spoke on Monday. "You want to wash them really well. '
        '"This pesticide is being phased out because of its damage to the ozone layer," Enck added. '
        "Workers fell ill in 1990."
    )
    quotes = extract_quotes(text)
    assert any(q.text.startswith("This pesticide") and q.speaker == "Judith Enck" for q in quotes)
    assert not any("Workers fell ill" in q.text for q in quotes)


def test_an_organisation_speaks_through_a_spokesman_and_a_person_before_of_is_the_speaker() -> None:
    org = "'We are looking into this matter and cooperating with the authorities,' a spokesman for Terminix said."
    assert [q.speaker for q in extract_quotes(org)] == ["Terminix"]
    person = "'We want tangible reductions in ticket prices for every fan,' Roy Bentham of Spirit of Shankly said."
    assert [q.speaker for q in extract_quotes(person)] == ["Roy Bentham"]


def test_mixed_quote_marks_still_make_a_quote() -> None:
    text = "‘I was a little bit surprised to be substituted,' Eden Hazard said after the game."
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [
        ("I was a little bit surprised to be substituted", "Eden Hazard")
    ]


def test_the_subject_of_a_speech_verb_earlier_in_the_sentence_is_the_speaker() -> None:
    text = (
        'Elias Rodriguez, an EPA spokesman, said the preliminary test results "do show that there was a '
        'presence of methyl bromide in the unit."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Elias Rodriguez"]


def test_a_speaker_introduced_after_a_closing_quote_or_by_adding_is_found() -> None:
    after_quote = (
        "'It will be a place that residents and visitors can enjoy.' Simon Conibear, the Duchy's estate "
        "director at Poundbury, said: 'The Duchy is very pleased to be entering this venture.'"
    )
    assert [q.speaker for q in extract_quotes(after_quote)][-1] == "Simon Conibear"
    adding = (
        "Professor Stephen Glaister, director of the RAC Foundation, said the ruling was wrong, adding: "
        "'This decision could cost motorists millions.'"
    )
    assert [q.speaker for q in extract_quotes(adding)] == ["Stephen Glaister"]


def test_her_page_speaks_for_her_not_for_the_platform() -> None:
    text = (
        "Amy Lee, 24, posted a new video on Monday. Her Facebook page states: 'I am not a professional "
        "make-up artist and I never took lessons.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Amy Lee"]


def test_a_pronoun_is_left_unresolved_when_two_people_could_be_its_speaker() -> None:
    text = (
        "Mary Jones called the police while Anne Smith ran to the shop.\n\n"
        "'We never closed on a Sunday, not even once,' she said."
    )
    assert [q.speaker for q in extract_quotes(text)] == [None]


def test_they_and_we_are_not_resolved_to_one_person() -> None:
    text = "Tom Brown met the press on Monday.\n\n'We will win this case in the end, whatever it costs,' they said."
    assert [q.speaker for q in extract_quotes(text)] == [None]


def test_a_pronoun_skips_a_person_named_as_an_object_of_the_sentence_before() -> None:
    text = (
        "Pat Ingles, 69, lives in Edinburgh. Pat Ingles has been single for years. "
        "But now she has found happiness with Colin Hart, 66. She said: "
        "'We have a fantastic time together and we enjoy each other's company.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Pat Ingles"]


def test_an_attribution_ending_in_a_colon_belongs_to_the_quote_after_it() -> None:
    text = (
        "Kelvin Meadows called the prices extortionate. 'We put up with late changes and ridiculously high "
        "prices.' Roy Bentham said: 'We want tangible reductions in line with what people earn.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == [None, "Roy Bentham"]


def test_an_organisation_named_as_an_object_of_the_attribution_does_not_speak() -> None:
    text = (
        'The panel of experts monitoring sanctions against Al-Qaeda said the threat "is higher than it has '
        'ever been in the history of the group".'
    )
    entities = [EntityMention(name="Al-Qaeda", type="ORG", count=1, variants=("Al-Qaeda",))]
    assert [q.speaker for q in extract_quotes(text, entities)] == [None]
    voice = "'We are looking into this matter with the authorities,' a statement from Terminix said."
    terminix = [EntityMention(name="Terminix", type="ORG", count=1, variants=("Terminix",))]
    assert [q.speaker for q in extract_quotes(voice, terminix)] == ["Terminix"]


def test_one_capitalised_word_is_no_name_the_entities_missed() -> None:
    text = "'The response must be measured, effective and proportionate to the threat,' Officials said."
    assert [q.speaker for q in extract_quotes(text)] == [None]


def test_adding_after_a_quote_is_no_attribution() -> None:
    text = (
        "Promise Tamang posts videos.\n\n'I use make-up to transform myself into famous celebrities and characters.' "
        "Promise Tamang colours her lips before adding a lipstick on top."
    )
    assert [q.speaker for q in extract_quotes(text)] == [None]


def test_a_quote_after_a_sentence_whose_named_subject_speaks_is_theirs() -> None:
    text = (
        "After the verdict, CNN legal analyst Paul Callan said Clarke now faces an uphill battle. "
        '"Because he is almost functioning as an officer of a military organization attacking the country."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Paul Callan"]


def test_a_later_quote_of_the_same_sentence_shares_the_speaker() -> None:
    text = (
        'Elias Rodriguez, an EPA spokesman, wrote that the agency is "committed to performing all work safely" '
        'and is "looking into this matter internally, and cooperating with authorities."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Elias Rodriguez", "Elias Rodriguez"]


def test_a_curly_quote_does_not_run_over_the_next_opening_mark() -> None:
    text = (
        "‘I was a little bit surprised to be substituted,' Eden Hazard said. ‘I asked the coach for a reason "
        "and he told me that I was tired.’"
    )
    quotes = extract_quotes(text)
    assert [q.text[:14] for q in quotes] == ["I was a little", "I asked the co"]
    assert [q.speaker for q in quotes] == ["Eden Hazard", "Eden Hazard"]


def test_a_quote_in_curly_marks_over_several_paragraphs_is_still_found() -> None:
    text = (
        "‘I had a taste of it at Hearts and really enjoyed it. ‘But I’ve said all along, it’s not about me. "
        "It’s about the players and how they perform.’ Gary Locke was appointed on Friday."
    )
    assert [q.text[:12] for q in extract_quotes(text)] == ["I had a tast", "But I’ve sai"]


# Longer than the hundred characters over which a quote always went on with the speech before.
_CAPTION = (
    "The flooded high street on Sunday morning, closed to traffic and to shoppers, as the water rose by the hour. "
)


def test_a_quote_after_a_caption_naming_nobody_goes_on_with_the_speech_before() -> None:
    text = (
        "Jane Smith praised the volunteers. 'They worked through the night to clear the roads,' Jane Smith said. "
        + _CAPTION
        + "'We owe every one of them a great deal of thanks for that.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Jane Smith", "Jane Smith"]


@pytest.mark.parametrize(
    "between",
    ["Tom Brown watched from his shop. ", "A council spokesman said the road would open on Monday. "],
    ids=["someone else named", "an unnamed speech"],
)
def test_a_quote_after_text_naming_someone_else_or_another_speech_does_not_go_on_with_the_speech_before(
    between: str,
) -> None:
    text = (
        "Jane Smith praised the volunteers. 'They worked through the night to clear the roads,' Jane Smith said. "
        + _CAPTION
        + between
        + "'We owe every one of them a great deal of thanks for that.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Jane Smith", None]


def test_a_fragment_in_straight_single_marks_in_a_sentence_that_says_who_spoke_is_theirs() -> None:
    text = "Marie Ratcliffe said she felt 'it was important not to delay' proceedings any further."
    assert extract_quotes(text) == [QuoteFound(text="it was important not to delay", speaker="Marie Ratcliffe")]


def test_an_unattributed_fragment_in_straight_single_marks_is_no_quote() -> None:
    text = "The fans came early to the ground and stayed late 'cos they love the team and the old ground.'"
    assert extract_quotes(text) == []
