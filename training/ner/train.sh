#!/usr/bin/env bash
# Reproduce models/ner: prepare the corpus, train on CPU (niced), ship the best checkpoint.
# Usage: bash training/ner/train.sh [extra spacy train overrides, e.g. --training.max_steps 8000]
# Env: PYTHON (interpreter), TRAIN_DIR (default tmp/ner_train), OUT (default models/ner).
# The shipped model is the step-4000 checkpoint (config max_steps = 4000; ~38 min on 2 shared cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
TRAIN_DIR=${TRAIN_DIR:-tmp/ner_train}
OUT=${OUT:-models/ner}
nice "$PY" training/ner/prepare.py
nice "$PY" -m spacy train training/ner/config.cfg --code training/ner/code.py --output "$TRAIN_DIR" "$@"
nice "$PY" training/ner/ship_model.py "$TRAIN_DIR/model-best" "$OUT"
