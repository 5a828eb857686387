#!/usr/bin/env bash
# Reproduce the earlier v1 model (8 MB, two phases; replaced by v2, see train.sh): prepare the corpus, train on CPU (niced) in two phases, ship the result.
#   phase 1: training/ner/config.cfg from scratch, 4,000 steps (batch 200->2000 words), -> $TRAIN_DIR
#   phase 2: training/ner/config_continue.cfg, sources tok2vec+ner from phase 1's model-best and
#            trains on with batch 2,000 words (fresh Adam state), -> $TRAIN_DIR2
# The shipped model is phase 2's model-best (best dev F1 at an eval every 500 steps).
# Usage: bash training/ner/train_v1.sh [extra spacy train overrides for phase 2]
# Env: PYTHON (interpreter), TRAIN_DIR (default tmp/ner_train), TRAIN_DIR2 (default tmp/ner_train2),
#      OUT (default models/ner), PHASE2_STEPS (default: see below).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
TRAIN_DIR=${TRAIN_DIR:-tmp/ner_train}
TRAIN_DIR2=${TRAIN_DIR2:-tmp/ner_train2}
OUT=${OUT:-models/ner}
PHASE2_STEPS=${PHASE2_STEPS:-3500}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
nice "$PY" training/ner/prepare.py
nice "$PY" -m spacy train training/ner/config.cfg --code training/ner/code.py --output "$TRAIN_DIR"
nice "$PY" -m spacy train training/ner/config_continue.cfg --code training/ner/code.py \
    --output "$TRAIN_DIR2" --paths.source "$TRAIN_DIR/model-best" \
    --training.max_steps "$PHASE2_STEPS" "$@"
nice "$PY" training/ner/ship_model.py "$TRAIN_DIR2/model-best" "$OUT"
