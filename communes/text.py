"""Text folding so that people can type Vietnamese names without diacritics.

"Lê Hồ" and "le ho", "Đinh Hồng Kiên" and "dinh hong kien" fold to the same key. The key
is stored beside the name (see ``FoldedCharField``) so that search works the same way on
SQLite and PostgreSQL and can use an index.
"""

import unicodedata

# Letters that Unicode does not decompose into a base letter and a combining mark.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Lower-case ``text``, strip its diacritics and collapse its whitespace."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def nfc(text: str) -> str:
    """Vietnamese typed on different keyboards arrives composed or decomposed; store NFC."""
    return unicodedata.normalize("NFC", text or "").strip()
