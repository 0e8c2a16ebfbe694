"""The article's language: the text says it more reliably than the template's ``lang``."""

from __future__ import annotations

#: Below this many characters of body, trust the declared language over the classifier.
MIN_CHARS = 200


def detect_language(text: str, declared: str | None) -> str | None:
    """ISO 639-1 code of ``text``; the declared language wins on short texts or a near tie."""
    if len(text) < MIN_CHARS:
        return declared
    try:
        import py3langid
    except ImportError:  # pragma: no cover - a declared dependency
        return declared
    sample = text[:2000]
    lang, _ = py3langid.classify(sample)
    if declared and declared != lang:
        ranked = dict(py3langid.rank(sample)[:3])
        # log-probabilities: keep the declared one if the classifier barely prefers another
        if declared in ranked and ranked[lang] - ranked[declared] < 5:
            return declared
    return str(lang)
