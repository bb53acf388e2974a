"""Paragraph-internal sentence alignment, checked against NLTK's Gale–Church where it applies."""

import random
from collections import Counter
from pathlib import Path

import pytest
from align_corpus import read_corpus
from nltk.translate.gale_church import LanguageIndependent, align_blocks, align_log_prob

from tqe.align import (
    BAND_MARGIN,
    BAND_THRESHOLD,
    BEAD_TYPES,
    NULL_COST,
    _span,
    _span_similarity,
    align_sentences,
    anchors,
    best_path,
    length_cost,
    link_type,
    search_bounds,
    sentence_features,
    similarity_cost,
)
from tqe.segment import split_sentences

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parent.parent / "references"
NBSP, NNBSP = "\u00a0", "\u202f"

REEFS_EN = [
    "Dr. Amara Singh has studied coral reefs in the Pacific for twenty years.",
    "Her latest survey covered 250 sites between 2019 and 2023.",
    "Nearly half of them showed signs of severe bleaching.",
    "Why are some reefs more resistant than others?",
    "According to Singh, water currents that bring cooler water play a decisive role.",
]
REEFS_FR = [
    "Le Dr Amara Singh étudie les récifs coralliens du Pacifique depuis vingt ans.",
    "Sa dernière étude a porté sur 250 sites entre 2019 et 2023.",
    "Près de la moitié d'entre eux présentaient des signes de blanchissement grave.",
    "Pourquoi certains récifs résistent-ils mieux que d'autres ?",
    "Selon Singh, les courants qui apportent une eau plus fraîche jouent un rôle décisif.",
]


def links(beads):
    """Beads as NLTK's align_blocks reports them: sorted (source, target) index pairs."""
    return sorted((i, j) for src, tgt in beads for i in src for j in tgt)


def gale_church(source, target):
    return sorted(align_blocks([len(s) for s in source], [len(s) for s in target]))


def one_to_one(n):
    return [((i,), (i,)) for i in range(n)]


def assert_partition(beads, n_source, n_target):
    """Beads cover every index of both sides exactly once, in order, with supported shapes."""
    assert [i for src, _ in beads for i in src] == list(range(n_source))
    assert [j for _, tgt in beads for j in tgt] == list(range(n_target))
    assert all((len(src), len(tgt)) in BEAD_TYPES for src, tgt in beads)
    assert all(list(side) == list(range(side[0], side[0] + len(side))) for bead in beads for side in bead if side)


def read_beads():
    """tests/data/align_beads.txt: paragraphs with their expected beads ("---" closes a bead)."""
    paragraphs = []
    current = {"en": [], "fr": [], "beads": []}
    bead = ([], [])
    for line in (DATA / "align_beads.txt").read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if line == "---" or not line.strip():
            if bead[0] or bead[1]:
                current["beads"].append((tuple(bead[0]), tuple(bead[1])))
            bead = ([], [])
            if not line.strip() and current["beads"]:
                paragraphs.append(current)
                current = {"en": [], "fr": [], "beads": []}
            continue
        lang, sentence = line.split(": ", 1)
        bead[0 if lang == "en" else 1].append(len(current[lang]))
        current[lang].append(sentence)
    return paragraphs


# --- shapes and edge cases -------------------------------------------------------------------


def test_link_type():
    assert link_type(((0,), (0,))) == "1-1"
    assert link_type(((1, 2), (1,))) == "2-1"
    assert link_type(((3,), ())) == "1-0"
    assert link_type(((), (4,))) == "0-1"
    assert link_type(((0, 1), (0, 1))) == "2-2"


def test_empty_sides():
    assert align_sentences([], []) == []
    assert align_sentences([], ["Un.", "Deux."]) == [((), (0,)), ((), (1,))]
    assert align_sentences(["One.", "Two.", "Three."], []) == [((0,), ()), ((1,), ()), ((2,), ())]


def test_empty_strings_as_sentences_do_not_break_the_length_model():
    beads = align_sentences(["", "The vote passed by 31 to 14."], ["", "Le vote a été adopté par 31 voix contre 14."])
    assert beads == one_to_one(2)


def test_faithful_paragraph_is_one_to_one():
    assert align_sentences(REEFS_EN, REEFS_FR) == one_to_one(5)


def test_result_is_deterministic():
    source, target = REEFS_EN, REEFS_FR[:3] + REEFS_FR[4:]
    assert align_sentences(source, target) == align_sentences(list(source), list(target))


# --- what the similarity term is for ---------------------------------------------------------


def test_dropped_sentence_is_a_1_0_where_gale_church_merges():
    """The question (source 3) is missing from the translation. Lengths alone make it a 2-1
    merge with the sentence before; what the sentences share puts the gap where it is."""
    target = REEFS_FR[:3] + REEFS_FR[4:]
    assert align_sentences(REEFS_EN, target) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ()), ((4,), (3,))]
    assert gale_church(REEFS_EN, target) == [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3)]


def test_dropped_first_sentence():
    beads = align_sentences(REEFS_EN, REEFS_FR[1:])
    assert beads == [((0,), ())] + [((i,), (i - 1,)) for i in range(1, 5)]


def test_added_sentence_is_a_0_1_between_its_neighbours():
    source = [
        "The meeting took place at the WTO headquarters in Geneva.",
        "Ministers failed to agree on fishing subsidies.",
        "Talks will resume in June.",
    ]
    target = [
        "La réunion s'est tenue au siège de l'OMC à Genève.",
        "L'OMC compte aujourd'hui 164 membres.",
        "Les ministres ne sont pas parvenus à s'entendre sur les subventions à la pêche.",
        "Les négociations reprendront en juin.",
    ]
    assert align_sentences(source, target) == [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,))]


def test_two_sentences_merged_into_one_is_2_1():
    source = [
        "The company reported a net profit of 2.1 billion dollars.",
        "This is its best result since 2015.",
        "Sales rose sharply in Asia.",
    ]
    target = [
        "L'entreprise a annoncé un bénéfice net de 2,1 milliards de dollars, son meilleur résultat depuis 2015.",
        "Les ventes ont fortement progressé en Asie.",
    ]
    assert align_sentences(source, target) == [((0, 1), (0,)), ((2,), (1,))]


def test_one_sentence_split_in_two_is_1_2():
    source = [
        "The factory, which opened in 1998, will close in March, the company announced on Monday.",
        "About 300 jobs are at stake.",
    ]
    target = [
        "L'usine fermera en mars.",
        "Elle avait ouvert ses portes en 1998, a annoncé l'entreprise lundi.",
        "Quelque 300 emplois sont menacés.",
    ]
    assert align_sentences(source, target) == [((0,), (0, 1)), ((1,), (2,))]


@pytest.mark.parametrize(
    "english, french",
    [
        ("It employs 50,000 people.", f"Elle emploie 50{NBSP}000 personnes."),
        ("It employs 50,000 people.", f"Elle emploie 50{NNBSP}000 personnes."),
        ("It employs 50,000 people.", "Elle emploie 50 000 personnes."),
        ("It employs 50,000 people.", "Elle emploie 50.000 personnes."),
        ("It costs $4.5 million.", "Il coûte 4,5 millions de dollars."),
        ("Prices rose 20%.", f"Les prix ont augmenté de 20{NNBSP}%."),
        ("It has 1,234,567.50 shares.", f"Elle a 1{NNBSP}234{NNBSP}567,5 actions."),
        ("He waited for three days.", "Il a attendu trois jours."),
        ("It opens on Thursday, 3 March.", "Il ouvre le jeudi 3 mars."),
    ],
)
def test_numbers_match_across_english_and_french_formats(english, french):
    en, fr = sentence_features(english, "en"), sentence_features(french, "fr")
    en_numbers = {value for kind, value in en if kind == "number"}
    assert en_numbers and en_numbers == {value for kind, value in fr if kind == "number"}


def test_numbers_are_not_glued_across_separate_figures():
    features = sentence_features("In 2019, 300 people came; in 2019 2 000 did.", "en")
    numbers = sorted(value for kind, value in features.elements() if kind == "number")
    assert numbers == ["2000", "2019", "2019", "300"]
    assert [v for k, v in sentence_features("Section 1.2.3 applies.", "en") if k == "number"] == ["1.2", "3"]
    # A comma not followed by exactly three digits is a decimal point even in English.
    assert [v for k, v in sentence_features("It weighs 3,5 kg.", "en") if k == "number"] == ["3.5"]


def test_shared_names_marks_and_cognates_make_spans_similar():
    english = sentence_features("Why did Claire Fontaine visit the European Parliament?", "en")
    good = sentence_features("Pourquoi Claire Fontaine a-t-elle visité le Parlement européen ?", "fr")
    unrelated = sentence_features("Les ventes ont fortement progressé en Asie.", "fr")
    assert similarity_cost(english, good) < 0 < similarity_cost(english, unrelated)
    assert similarity_cost(english, good) == pytest.approx(similarity_cost(good, english))


# --- measured on the fixture paragraphs -------------------------------------------------------


def perturbations(paragraphs):
    """From 1-1 paragraphs: every French sentence dropped, a foreign one added at every
    position, every adjacent French pair and English pair joined. Yields (source, target, gold)."""
    for number, paragraph in enumerate(paragraphs):
        en, fr = paragraph["en"], paragraph["fr"]
        n = len(en)
        yield "1-1", en, fr, one_to_one(n)
        for k in range(n):
            gold = [((i,), (i - (i > k),)) if i != k else ((i,), ()) for i in range(n)]
            yield "1-0", en, fr[:k] + fr[k + 1 :], gold
        foreign = paragraphs[(number + 3) % len(paragraphs)]["fr"]
        for k in range(n + 1):
            gold = [((i,), (i,)) for i in range(k)] + [((), (k,))] + [((i,), (i + 1,)) for i in range(k, n)]
            yield "0-1", en, fr[:k] + [foreign[k % len(foreign)]] + fr[k:], gold
        for k in range(n - 1):
            gold = [((i,), (i - (i > k),)) for i in range(n) if i != k + 1]
            gold[k] = ((k, k + 1), (k,))
            yield "2-1", en, fr[:k] + [fr[k] + " " + fr[k + 1]] + fr[k + 2 :], gold
            gold = [((j - (j > k),), (j,)) for j in range(n) if j != k + 1]
            gold[k] = ((k,), (k, k + 1))
            yield "1-2", en[:k] + [en[k] + " " + en[k + 1]] + en[k + 2 :], fr, gold


def test_perturbed_corpus_accuracy_against_gale_church():
    """Every derived case is aligned exactly; Gale–Church gets merges and splits but none of
    the dropped or added sentences (their length cost makes a merge always cheaper)."""
    correct = {}
    gc_correct = {}
    total = {}
    for kind, source, target, gold in perturbations(read_corpus()):
        beads = align_sentences(source, target)
        assert_partition(beads, len(source), len(target))
        total[kind] = total.get(kind, 0) + 1
        correct[kind] = correct.get(kind, 0) + (beads == gold)
        gc_correct[kind] = gc_correct.get(kind, 0) + (gale_church(source, target) == links(gold))
    assert total == {"1-1": 12, "1-0": 62, "0-1": 74, "2-1": 50, "1-2": 50}
    assert correct == total
    assert gc_correct["1-1"] == 12 and gc_correct["2-1"] == gc_correct["1-2"] == 50
    assert gc_correct["1-0"] + gc_correct["0-1"] < 10


BEAD_PARAGRAPHS = read_beads()
# A short dropped sentence sharing nothing countable with its neighbours ("Nobody was hurt.")
# is still taken for part of a 2-1 merge: the lengths decide, and they favour the merge. It
# holds no number or name either, so no anchor or merge rule can say it was left out.
_NO_EVIDENCE = {0}


@pytest.mark.parametrize(
    "index",
    [
        pytest.param(i, marks=pytest.mark.xfail(strict=True, reason="no shared evidence to locate the drop"))
        if i in _NO_EVIDENCE
        else i
        for i in range(len(BEAD_PARAGRAPHS))
    ],
)
def test_freely_translated_paragraphs(index):
    paragraph = BEAD_PARAGRAPHS[index]
    assert align_sentences(paragraph["en"], paragraph["fr"]) == paragraph["beads"]


def test_freely_translated_paragraphs_beat_gale_church():
    ours = sum(align_sentences(p["en"], p["fr"]) == p["beads"] for p in BEAD_PARAGRAPHS)
    theirs = sum(gale_church(p["en"], p["fr"]) == links(p["beads"]) for p in BEAD_PARAGRAPHS)
    assert len(BEAD_PARAGRAPHS) == 15
    assert ours == 14 and theirs <= 6


def test_sample_documents_align_as_their_readme_says():
    """references/README.md: the reference splits 11.2 (1-2) and merges 12.2-3 (2-1); draft v1
    merges 3.1-2 (2-1) and drops 9.2 (1-0); every other sentence is 1-1."""
    expected = {
        "reference.fr.txt": {11: [((1,), (1, 2))], 12: [((1, 2), (1,))]},
        "translation.v1.fr.txt": {3: [((0, 1), (0,))], 9: [((1,), ())]},
    }
    source = (SAMPLE / "source.en.txt").read_text(encoding="utf-8").splitlines()
    for name, unusual in expected.items():
        target = (SAMPLE / name).read_text(encoding="utf-8").splitlines()
        for number, (en, fr) in enumerate(zip(source, target), start=1):
            beads = align_sentences(split_sentences(en, "en"), split_sentences(fr, "fr"))
            assert [b for b in beads if link_type(b) != "1-1"] == unusual.get(number, []), (name, number)


# --- anchors: numbers and names found once on each side ----------------------------------------

STEP_EN = """
the water pump valve check open close slowly before after left right cable panel screw turn press
hold wait until light green red filter clean remove insert replace tighten gently
""".split()
STEP_FR = """
le la eau pompe vanne vérifier ouvrir fermer lentement avant après gauche droite câble panneau vis
tourner appuyer maintenir attendre jusqu lumière verte rouge filtre nettoyer retirer insérer
remplacer serrer doucement
""".split()


def numbered_paragraph(count, seed):
    """``count`` numbered steps on each side ("Step 57: ..." / "Étape 57 : ..."), each side's
    length drawn independently (1 to 40 words), so lengths say nothing about the pairing."""
    rng = random.Random(seed)

    def words(vocabulary):
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 40)))

    en = [f"Step {k}: {words(STEP_EN)}." for k in range(1, count + 1)]
    fr = [f"Étape {k} : {words(STEP_FR)}." for k in range(1, count + 1)]
    return en, fr


def test_anchors_are_numbers_and_names_found_once_on_each_side():
    en = [
        "Founded in 1952, it grew fast.",
        "Sales reached 40 million in 2019.",
        "It hired Anna Berg in 2019.",
        "Its rival is based in Oslo.",
    ]
    fr = [
        "Fondée en 1952, près d'Oslo, elle a vite grandi.",
        "Ses ventes ont atteint 40 millions en 2019.",
        "Elle a embauché Anna Berg.",
        "Son concurrent est installé en Norvège.",
    ]
    features_en = [sentence_features(s, "en") for s in en]
    features_fr = [sentence_features(s, "fr") for s in fr]
    # 1952, 40, million, Anna and Berg anchor; 2019 occurs twice in English; Oslo (3, 0)
    # crosses the others and is dropped.
    assert anchors(features_en, features_fr) == [(0, 0), (1, 1), (2, 2)]


@pytest.mark.parametrize("seed", range(10))
def test_numbered_paragraph_with_unrelated_lengths_is_one_to_one(seed):
    """60 numbered steps whose lengths are unrelated: the numbers hold every 1-1 link (lengths
    alone read step 57 as omitted next to a 1-2)."""
    en, fr = numbered_paragraph(60, seed)
    assert align_sentences(en, fr) == one_to_one(60)


def test_very_long_numbered_paragraph_is_one_to_one():
    en, fr = numbered_paragraph(5000, 1)
    beads = align_sentences(en, fr)
    assert Counter(link_type(b) for b in beads) == {"1-1": 5000}
    assert beads == one_to_one(5000)


def test_anchors_leave_real_omissions_and_merges():
    en, fr = numbered_paragraph(60, 3)
    dropped = fr[:56] + fr[57:]  # step 57 is missing
    assert [b for b in align_sentences(en, dropped) if link_type(b) != "1-1"] == [((56,), ())]
    merged = fr[:19] + ["Étape 20 et 21 : " + fr[19].split(" : ", 1)[1] + " " + fr[20].split(" : ", 1)[1]] + fr[21:]
    assert [b for b in align_sentences(en, merged) if link_type(b) != "1-1"] == [((19, 20), (19,))]


def test_two_by_two_only_where_content_crosses_the_cut():
    """Lopsided lengths whose sums match made a 2-2 of two sentences that each pair 1-1; a 2-2
    stays where a sentence's content moved into the other one."""
    en = [
        "The plan was approved.",
        "It will cost about twelve million euros over five years and will mostly pay for new trams on the eastern lines.",
    ]
    fr = [
        "Le plan a finalement été approuvé par le conseil municipal de la ville après de longs débats.",
        "Coût : douze millions d’euros en cinq ans, surtout pour des trams.",
    ]
    assert align_sentences(en, fr) == one_to_one(2)
    en = ["The museum, which opened in 1952, closed on Monday for renovation work.", "The work will cost 4 million euros and last until 2026."]
    fr = ["Le musée a fermé lundi.", "Ouvert en 1952, il sera rénové au cours de travaux de 4 millions d'euros qui dureront jusqu'en 2026."]
    assert align_sentences(en, fr) == [((0, 1), (0, 1))]


def test_long_paragraphs_are_searched_in_a_band_only():
    """Work (and the stored table) grows with the paragraph's length, not its area."""
    calls = 0

    def cost(i, j, s, t):
        nonlocal calls
        calls += 1
        return 0.0 if (s, t) == (1, 1) else 1.0

    n = 5000
    assert best_path(n, n, cost) == one_to_one(n)
    assert calls <= (n + 1) * (2 * BAND_MARGIN + 3) * len(BEAD_TYPES)


# --- the dynamic programme ---------------------------------------------------------------------


def test_dynamic_programme_reproduces_nltk_gale_church():
    """With NLTK's cost for every bead type and its tie order, best_path is align_blocks."""
    rng = random.Random(7)
    nltk_order = list(LanguageIndependent.PRIORS)
    for _ in range(300):
        src = [rng.randint(1, 120) for _ in range(rng.randint(1, 7))]
        tgt = [rng.randint(1, 120) for _ in range(rng.randint(1, 7))]

        def cost(i, j, s, t, src=src, tgt=tgt):
            return align_log_prob(i, j, src, tgt, (s, t), LanguageIndependent)

        assert links(best_path(len(src), len(tgt), cost, nltk_order)) == sorted(align_blocks(src, tgt))


WORDS = "the council vote budget 2019 3.5 Paris Singh reef water why ? ! « » growth le conseil eau budget récif".split()


def random_sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12))) + rng.choice([".", "?", "!", ""])


def test_beads_cover_every_index_once_in_order_for_random_input():
    rng = random.Random(2024)
    for _ in range(400):
        source = [random_sentence(rng) for _ in range(rng.randint(0, 9))]
        target = [random_sentence(rng) for _ in range(rng.randint(0, 9))]
        beads = align_sentences(source, target)
        assert_partition(beads, len(source), len(target))


def test_long_paragraphs_use_a_band_and_still_align():
    paragraphs = read_corpus()
    en = [s for p in paragraphs for s in p["en"]] * 4
    fr = [s for p in paragraphs for s in p["fr"]] * 4
    assert len(en) * len(fr) > BAND_THRESHOLD
    assert align_sentences(en, fr) == one_to_one(len(en))
    dropped = fr[:100] + fr[101:]
    beads = align_sentences(en, dropped)
    assert_partition(beads, len(en), len(dropped))
    assert ((100,), ()) in beads


# --- the fast path against the plain definitions -----------------------------------------------


def reference_alignment(source, target, src_lang="en", tgt_lang="fr"):
    """align_sentences written directly from length_cost, similarity_cost and its rules
    (anchored pairs share a bead; a 2-2 bead only where shared items cross it; no 2-1 or 1-2
    absorbing a sentence whose numbers or names the other side lacks), unoptimised."""
    if not source or not target:
        return [((i,), ()) for i in range(len(source))] + [((), (j,)) for j in range(len(target))]
    src_lengths = [len(s) for s in source]
    tgt_lengths = [len(s) for s in target]
    src_features = [sentence_features(s, src_lang) for s in source]
    tgt_features = [sentence_features(s, tgt_lang) for s in target]
    # Anchors no beads can keep together (a sentence anchored to three) fall back to at most
    # one per sentence, then to none.
    for anchored in (anchors(src_features, tgt_features), anchors(src_features, tgt_features, strict=True), []):
        try:
            return _reference_path(src_lengths, tgt_lengths, src_features, tgt_features, anchored)
        except ValueError:
            continue
    raise AssertionError("no path even without anchors")


def _reference_path(src_lengths, tgt_lengths, src_features, tgt_features, anchored):
    def span(features, end, size):
        return sum((features[k] for k in range(end - size, end)), Counter())

    def shared(a, b):
        return sum((a & b).values())

    def cost(i, j, s, t):
        source_side, target_side = range(i - s, i), range(j - t, j)
        if any((a in source_side) != (b in target_side) for a, b in anchored):
            return float("inf")
        if s == 0 or t == 0:
            return NULL_COST
        if s == t == 2:
            whole = shared(span(src_features, i, 2), span(tgt_features, j, 2))
            straight = shared(src_features[i - 2], tgt_features[j - 2]) + shared(src_features[i - 1], tgt_features[j - 1])
            anchored_straight = {(i - 2, j - 2), (i - 1, j - 1)} & set(anchored)
            anchored_across = {(i - 2, j - 1), (i - 1, j - 2)} & set(anchored)
            if whole == straight or (anchored_straight and not anchored_across):
                return float("inf")
        if s + t == 3:
            if s == 2:
                pair, other = (src_features[i - 2], src_features[i - 1]), tgt_features[j - 1]
            else:
                pair, other = (tgt_features[j - 2], tgt_features[j - 1]), src_features[i - 1]
            whole = shared(pair[0] + pair[1], other)
            for sentence, rest in (pair, pair[::-1]):
                if any(kind in ("number", "name") for kind, _ in sentence) and whole == shared(rest, other):
                    return float("inf")
        similarity = similarity_cost(span(src_features, i, s), span(tgt_features, j, t))
        return length_cost(i, j, src_lengths, tgt_lengths, (s, t)) + similarity

    # The costs above enforce the anchors; in a long paragraph they also steer the band.
    n_source, n_target = len(src_lengths), len(tgt_lengths)
    banded = n_source * n_target > BAND_THRESHOLD
    return best_path(n_source, n_target, cost, bounds=search_bounds(n_source, n_target, anchored if banded else ()))


def test_span_similarity_equals_similarity_cost_exactly():
    rng = random.Random(11)
    for _ in range(2000):
        source = sentence_features(random_sentence(rng) + " " + random_sentence(rng), "en")
        target = sentence_features(random_sentence(rng), rng.choice(["fr", "en", "de"]))
        cache = {}
        assert _span_similarity(_span(source), _span(target), cache) == similarity_cost(source, target)


def test_align_sentences_equals_the_unoptimised_definition():
    rng = random.Random(12)
    pool_en = [s for p in read_corpus() for s in p["en"]] + [s for p in BEAD_PARAGRAPHS for s in p["en"]]
    pool_fr = [s for p in read_corpus() for s in p["fr"]] + [s for p in BEAD_PARAGRAPHS for s in p["fr"]]

    def pick(pool):
        return rng.choice(pool) if rng.random() < 0.7 else random_sentence(rng)

    for _ in range(300):
        source = [pick(pool_en) for _ in range(rng.randint(0, 10))]
        target = [pick(pool_fr) for _ in range(rng.randint(0, 10))]
        assert align_sentences(source, target) == reference_alignment(source, target)
    en = [s for p in read_corpus() for s in p["en"]] * 4
    fr = [s for p in read_corpus() for s in p["fr"]] * 4
    rng.shuffle(fr)
    assert len(en) * len(fr) > BAND_THRESHOLD
    assert align_sentences(en, fr) == reference_alignment(en, fr)
