"""Putting what a person wrote (a reason, a reply) into a message the platform composes.

A regulator writes "经查属实。" or "Confirmed" as they please; the message around it must end
each sentence exactly once, with the full stop of the language it is written in, never "。。".
"""

from django.utils.translation import gettext

# Marks that already end a sentence, in Chinese and in Western punctuation.
SENTENCE_ENDS = "。！？…!?."


def as_sentence(text: str) -> str:
    """`text` trimmed, ending with one sentence-ending mark: its own if it has one, otherwise
    the active language's full stop (。 in Chinese, . in English)."""
    text = (text or "").strip()
    if not text or text[-1] in SENTENCE_ENDS:
        return text
    # Translators: the mark that ends a sentence (。 in Chinese).
    return text + gettext(".")
