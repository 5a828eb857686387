#!/usr/bin/env bash
# Reproduce models/ner: prepare the corpus, train on CPU (niced), copy the best model.
# Usage: bash training/ner/train.sh [extra spacy train overrides, e.g. --training.max_steps 20000]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
nice "$PY" training/ner/prepare.py
nice "$PY" -m spacy train training/ner/config.cfg --code training/ner/code.py \
    --output tmp/ner_train --nlp.batch_size 256 "$@"
nice "$PY" training/ner/ship_model.py tmp/ner_train/model-best models/ner
