"""The one password masker: every message, log line and stored URL that may carry a password passes here.

`mask_secrets` replaces the password of each URL in a text (`scheme://user:password@host`, the same
without a scheme or with a mangled one, and `password=` query or connection-string parameters)
with `***`, keeping the user name and the host so a message still says what failed. The text is
split into URLs at whitespace and at a comma that starts the next URL of a list; within one, the
password runs from the first `:` after the user name to the last `@`. A password with an
unescaped `/`, `@`, `:`, `#` or `?` is thus masked whole; if the URL's path or query holds an `@`
too, more than the password is hidden, never less. Used by the log filter, the database layer
and the WebDriver endpoint parser; pure, no imports of ours. `without_credentials` drops the
user information of a URL altogether, for URLs that are stored (a site root, a listing URL).
"""

from __future__ import annotations

import re

MASK = "***"

# Whitespace, or a comma followed by `scheme://` (the WebDriver URL list is comma-separated).
_URL_BOUNDARY = re.compile(r"(\s+|,(?=[A-Za-z][\w+.-]*://))")
# Where the user name of a URL with a scheme starts; the scheme must come before any ":" of the
# word, so `u:x://y@h` is a scheme-less URL whose password happens to contain "://".
_SCHEME = re.compile(r"^[^:]*?[A-Za-z][\w+.-]*://")
_QUERY_PASSWORD = re.compile(r"((?:^|(?<=[?&;\s]))password=)[^&\s]*", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """`text` with every URL password (userinfo or `password=` parameter) replaced by `***`.

    Never raises; text without a password comes back unchanged.
    """
    words = _URL_BOUNDARY.split(text)
    # split() with a capturing group puts the boundaries at the odd indices: only words change.
    masked = "".join(word if index % 2 else _mask_userinfo(word) for index, word in enumerate(words))
    return _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", masked)


def _mask_userinfo(word: str) -> str:
    """One URL-like word with the part between `user:` and its last `@` masked."""
    at = word.rfind("@")
    if at < 0:
        return word
    scheme = _SCHEME.match(word, 0, at)
    start = scheme.end() if scheme else 0
    colon = word.find(":", start, at)
    if colon < 0:
        return word  # `bob@example.com`, `git@host:repo`: a name before the "@" but no password
    return f"{word[: colon + 1]}{MASK}{word[at:]}"


def without_credentials(url: str) -> str:
    """`url` with any `user:password@` part removed: the form a URL is stored, exported or shown in.

    Text that is not a URL with a network location comes back unchanged. Never raises.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, tail = rest.partition("/")
    host = authority.rpartition("@")[2]
    return f"{scheme}{sep}{host}{slash}{tail}"
