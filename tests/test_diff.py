"""Word diff: operations on word and punctuation tokens, and git's plain word-diff format."""

from __future__ import annotations

import difflib
import itertools

import pytest

from tqe.diff import DiffOp, format_word_diff, tokenize, word_diff


def test_identical_texts_are_one_equal_run():
    assert word_diff("Le chat est noir.", "Le chat est noir.") == [DiffOp("equal", "Le chat est noir.")]


def test_two_empty_texts_give_no_ops():
    assert word_diff("", "") == []
    assert format_word_diff([]) == ""


def test_empty_old_side_is_one_insert():
    assert word_diff("", "Bonjour le monde.") == [DiffOp("insert", "Bonjour le monde.")]
    assert format_word_diff(word_diff("", "Bonjour.")) == "{+Bonjour.+}"


def test_empty_new_side_is_one_delete():
    assert word_diff("Bonjour.", "   ") == [DiffOp("delete", "Bonjour.")]
    assert format_word_diff(word_diff("Bonjour.", "")) == "[-Bonjour.-]"


def test_insertion_in_the_middle():
    ops = word_diff("le chat noir", "le gros chat noir")
    assert ops == [
        DiffOp("equal", "le"),
        DiffOp("insert", "gros", space_before=True),
        DiffOp("equal", "chat noir", space_before=True),
    ]
    assert format_word_diff(ops) == "le {+gros+} chat noir"


def test_deletion_in_the_middle():
    assert format_word_diff(word_diff("le gros chat noir", "le chat noir")) == "le [-gros-] chat noir"


def test_replacement_is_delete_then_insert_sharing_one_space():
    ops = word_diff("Le chat est noir.", "Le chat était noir.")
    assert [op.kind for op in ops] == ["equal", "delete", "insert", "equal"]
    assert format_word_diff(ops) == "Le chat [-est-]{+était+} noir."


def test_punctuation_is_its_own_token():
    assert [t.text for t in tokenize("Bonjour, monde !")] == ["Bonjour", ",", "monde", "!"]
    assert format_word_diff(word_diff("Il pleut.", "Il pleut !")) == "Il pleut[-.-] {+!+}"
    assert format_word_diff(word_diff("oui, non", "oui; non")) == "oui[-,-]{+;+} non"


def test_multi_word_change_is_merged_into_one_delete_and_one_insert():
    ops = word_diff("a b c d e", "a x y e")
    assert format_word_diff(ops) == "a [-b c d-]{+x y+} e"
    kinds = [op.kind for op in ops]
    assert all(k1 != k2 for k1, k2 in itertools.pairwise(kinds)), "adjacent ops of one kind were not merged"


def test_whitespace_runs_and_accents_are_kept_as_single_spaces():
    ops = word_diff("l'été  est   chaud", "l'été est très chaud")
    assert format_word_diff(ops) == "l'été est {+très+} chaud"


@pytest.mark.parametrize(
    "old, new",
    [
        ("The quick brown fox.", "A quick red fox jumps."),
        ("un deux trois quatre", "quatre trois deux un"),
        ("", "x"),
        ("Le 3 mars, à 10 h.", "Le 4 mars à 10 h 30."),
    ],
)
def test_ops_rebuild_both_token_streams_like_difflib(old, new):
    ops = word_diff(old, new)
    old_tokens = [t for op in ops if op.kind != "insert" for t in (x.text for x in tokenize(op.text))]
    new_tokens = [t for op in ops if op.kind != "delete" for t in (x.text for x in tokenize(op.text))]
    assert old_tokens == [t.text for t in tokenize(old)]
    assert new_tokens == [t.text for t in tokenize(new)]
    matcher = difflib.SequenceMatcher(a=[t.text for t in tokenize(old)], b=[t.text for t in tokenize(new)], autojunk=False)
    equal_tokens = sum(len(tokenize(op.text)) for op in ops if op.kind == "equal")
    assert equal_tokens == sum(block.size for block in matcher.get_matching_blocks())


def test_long_texts_are_not_junked():
    # with difflib's autojunk, tokens frequent in a text over 200 tokens would never match
    old = " ".join(["le"] * 150 + ["chat"] + ["le"] * 150)
    new = " ".join(["le"] * 150 + ["chien"] + ["le"] * 150)
    assert format_word_diff(word_diff(old, new)).count("[-chat-]{+chien+}") == 1
    assert sum(op.kind != "equal" for op in word_diff(old, new)) == 2
