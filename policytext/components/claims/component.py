"""spaCy component ``policytext_claims``: fills ``doc._.claims`` with contract section-5 dicts."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from policytext.components.extensions import doc_text  # importing it registers the Doc._ extensions
from policytext.dates import find_document_date

from policytext.stats import doc_stats

from .extract import extract_claims

__all__ = ["ClaimsComponent", "make_claims"]


class ClaimsComponent:
    """Finds numeric claims in ``doc.text``.

    The document date (for 今年, 截至6月底 ...) is ``doc._.doc_date``. When it is None (a Doc made
    outside :func:`policytext.load`) and ``find_date`` is on, the dateline rule of
    :func:`policytext.dates.find_document_date` (the one the pipeline uses) resolves the times;
    ``doc._.doc_date`` is never written, so the record's date does not depend on this stage.
    ``ranges`` keeps the extra ``value_max`` key on range claims (3~5个).
    """

    def __init__(self, name: str = "claims", find_date: bool = True, ranges: bool = True):
        self.name = name
        self.find_date = find_date
        self.ranges = ranges

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        date = doc._.doc_date
        if not date and self.find_date:
            date = find_document_date(text)
        rejected: dict[str, int] = {}
        claims = extract_claims(text, date, rejected=rejected)
        doc_stats(doc)["claims_rejected"] = rejected
        if not self.ranges:
            for c in claims:
                c.pop("value_max", None)
        doc._.claims = claims
        return doc

    # no state to save: the rules live in the code
    def to_disk(self, path, exclude=tuple()) -> None:  # noqa: D102
        return None

    def from_disk(self, path, exclude=tuple()) -> "ClaimsComponent":  # noqa: D102
        return self


@Language.factory("policytext_claims", default_config={"find_date": True, "ranges": True})
def make_claims(nlp: Language, name: str, find_date: bool, ranges: bool) -> ClaimsComponent:
    return ClaimsComponent(name=name, find_date=find_date, ranges=ranges)
