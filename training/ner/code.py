"""Loaded by ``spacy train --code``: registers policytext's feature tokenizer."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import policytext.components.entities.features  # noqa: E402,F401
