#!/usr/bin/env bash
# Reproduce models/ner (v2): prepare MSRA train + People's Daily 1998-01 POS, train one phase from
# scratch on CPU (niced, one thread) with training/ner/config_v2.cfg, ship spaCy's model-best.
#   max_steps in the config is 14,000 (eval every 1,000 steps, ~2 h on one shared core); the shipped
#   model is spaCy's model-best of that run (step 12,000, dev F1 0.789; training/ner/train_log.txt).
# Usage: bash training/ner/train.sh [extra spacy train overrides]
# Env: PYTHON (interpreter), TRAIN_DIR (default tmp/ner_train_v2), OUT (default models/ner).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
TRAIN_DIR=${TRAIN_DIR:-tmp/ner_train_v2}
OUT=${OUT:-models/ner}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
nice "$PY" training/ner/prepare.py --pd-pos --out tmp/ner_corpus_v2
nice "$PY" -m spacy train training/ner/config_v2.cfg --code training/ner/code.py --output "$TRAIN_DIR" "$@"
nice "$PY" training/ner/ship_model.py "$TRAIN_DIR/model-best" "$OUT"
