"""The words, in many languages, that mark a plain-text article's byline.

Data for `tui.sources.plaintext`, kept apart so that adding a language touches only this page.
Byline words are regular-expression alternatives, matched case-insensitively at the start of
the line as written.
"""

from __future__ import annotations

BY = r"""
    (?:written|text|words|reporting|story)\s+by | a\s+cura\s+di | by | di | von | par | por
  | door | av | af | przez | от | text | texto | testo | texte | tekst | autor(?:in|e|es|en|ka)?
  | auteure?s? | authors? | автор(?:ка)? | oleh | yazan | írta | tác\s+giả | מאת | بقلم
  | به\s+قلم
"""
"""Followed by a colon or a space, then the name: "By Jane Doe", "Авторка: Олена Коваленко",
"Oleh Budi Santoso", "מאת דנה לוי" (the Indonesian "oleh" is also "by" in "Oleh karena itu",
so the name must start with a capital, which plaintext checks)."""

WITH_COLON = r"текст | كتب | كتبت | نوشته | نویسنده | लेखक"
"""Nouns and verbs ("text", "wrote", "author") that make a byline only with a colon: with a
space they start sentences ("Текст Конституции ..."), and in scripts without capitals
nothing else tells a name from the rest of a sentence."""

CJK = r"作者 | 筆者 | 文"
"""Chinese and Japanese, before a colon, a middle dot or a slash: "作者：王晓明", "文/李华"."""

REPORTER = r"(?:本报|本報)?(?:记者|記者)"
""""Reporter", "our reporter": before a colon or a space, as in "本报记者　王晓明"."""

GENITIVE = r"του | της | γράφει\s+[οη]"
"""Greek: "Του Γιώργου Παπαδόπουλου" (by George, in the genitive), "Γράφει η Ελένη ...".
"Της χρονιάς ..." starts sentences too, so every word of the name must be capitalised."""

AFTER_NAME = r"기자 | 특파원 | 記者 | 记者 | 特派員"
"""Korean and Japanese put the title after the name: "홍길동 기자", "山田太郎 記者"."""
