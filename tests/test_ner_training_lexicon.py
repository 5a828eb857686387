"""training/ner/train_fast.py: cross-fitted lexicon of training-set names (``--lexicon train``)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from policytext.components.entities import fasttagger as ft

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "ner"))
import train_fast as tf  # noqa: E402

DOCS = [
    ("国家数据局局长刘烈宏在北京介绍", [(0, 5, "ORG"), (7, 10, "PER"), (11, 13, "LOC")], ()),
    ("新华社北京电", [(0, 3, "ORG"), (3, 5, "GPE")], ()),
    ("王五说", [(0, 1, "PER")], ()),  # one character: below the lexicon's minimum length
]


def test_training_names_by_label_group():
    names = tf.training_names(DOCS)
    assert names[0] == {"国家数据局": 1 << 12, "刘烈宏": 1 << 11, "北京": 1 << 13}
    assert names[1] == {"新华社": 1 << 12, "北京": 1 << 13}  # GPE is LOC for the tagger
    assert names[2] == {}
    assert tf.merge_names(names)["北京"] == 1 << 13


def test_folds_keep_consecutive_sentences_together():
    folds = tf.lex_folds(2000, 3, chunk=500)
    assert folds[:500].tolist() == [0] * 500 and folds[500] == 1 and folds[1500] == 0
    assert set(folds.tolist()) == {0, 1, 2}


def test_a_sentence_sees_only_names_of_other_folds():
    names = tf.training_names(DOCS)
    folds = np.array([0, 1, 1])
    full, templates = tf.lexicon_tables(set(), tf.merge_names(names))
    assert templates == [("x", g) for g in range(14)]  # groups 11-13 get templates
    other, t2 = tf.lexicon_tables(set(), tf.merge_names(names[i] for i in np.flatnonzero(folds != 0)),
                                  n_groups=len(templates))
    assert t2 == templates
    cps = ft.fold_codepoints(DOCS[0][0])
    seen = ft.lexicon_codes(cps, full["lex_keys"], full["lex_groups"].astype(np.int64), 14)
    held = ft.lexicon_codes(cps, other["lex_keys"], other["lex_groups"].astype(np.int64), 14)
    assert seen[12, 0] > 0 and held[12, 0] == 0  # 国家数据局: only in sentence 0's own fold
    assert seen[11, 7] > 0 and held[11, 7] == 0  # 刘烈宏
    assert held[13, 11] > 0  # 北京 is also a name of sentence 1 (another fold)
