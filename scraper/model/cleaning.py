"""Text any database accepts: the one cleaning step every site parser applies to its postings.

PostgreSQL refuses a NUL character in `text` (psycopg2 will not even send it), and a lone UTF-16
surrogate (which a Python str may hold after a careless decode) cannot be encoded for either
backend. SQLite takes both, so the two backends would store different data, and one such posting
used to cost the whole batch on PostgreSQL. `clean_posting` drops the C0 control characters
(tab, line feed and carriage return are kept: they are ordinary whitespace) and DEL, and replaces
lone surrogates with U+FFFD, in every text field of a posting. Pure.
"""

from __future__ import annotations

import dataclasses
import re

from scraper.model.postings import Posting

# C0 controls and DEL except \t \n \r: never meaningful in a listing, and NUL is unstorable.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_TEXT_FIELDS = (
    "city",
    "company",
    "company_full",
    "district",
    "work_year",
    "education",
    "company_size",
    "finance_stage",
    "industry",
    "position_id",
    "source_url",
)


def clean_text(text: str) -> str:
    """`text` without C0 control characters (but tab, LF, CR) and DEL, lone surrogates as U+FFFD."""
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))


def is_clean(text: str) -> bool:
    """Whether `clean_text` would leave `text` as it is."""
    return _CONTROLS.search(text) is None and _SURROGATES.search(text) is None


def clean_posting(posting: Posting) -> Posting | None:
    """`posting` with every text field cleaned (the same object when nothing needed it).

    The title is stripped again after cleaning; None when nothing of it is left (a posting
    without a title is no posting, as the parsers already decide).
    """
    texts = [posting.title, posting.salary.raw, *posting.skills]
    texts += [value for name in _TEXT_FIELDS if isinstance(value := getattr(posting, name), str)]
    if all(is_clean(text) for text in texts):
        return posting
    title = clean_text(posting.title).strip()
    if not title:
        return None
    changes: dict[str, object] = {
        name: clean_text(value) for name in _TEXT_FIELDS if isinstance(value := getattr(posting, name), str)
    }
    return dataclasses.replace(
        posting,
        title=title,
        salary=dataclasses.replace(posting.salary, raw=clean_text(posting.salary.raw)),
        skills=tuple(clean_text(skill) for skill in posting.skills),
        **changes,  # type: ignore[arg-type]  # str fields only, by _TEXT_FIELDS
    )
