"""The words, in many languages, that mark a plain-text article's byline and closing lines,
and the month names dates are written with.

Data for `tui.sources.plaintext` (the months for `tui.rfc822` too), kept apart so that adding a
language touches only this page. Byline words are regular-expression alternatives, matched
case-insensitively at the start of the line as written. Closing phrases are plain text,
matched on the line lower-cased and without accents (`plaintext.fold`); they are folded the
same way, so they are written here as a reader would type them, and they match anywhere in a
word: Hebrew and Arabic attach prefixes (ל-, و-), Turkish and Hungarian suffixes, Chinese and
Japanese have no spaces.
"""

from __future__ import annotations

_MONTH_NAMES = """
1 january jan gennaio gen januar janner janvier janv enero ene janeiro januari
2 february feb febbraio februar fevrier fevr febrero fevereiro fev februari
3 march mar marzo marz maerz mrz mars marco maart mrt
4 april apr aprile avril avr abril abr
5 may maggio mag mai mayo maio mei
6 june jun giugno giu juni juin junio junho
7 july jul luglio lug juli juillet juil julio julho
8 august aug agosto ago aout augustus
9 september sep sept settembre set septembre septiembre setiembre setembro
10 october oct ottobre ott oktober okt octobre octubre outubro out
11 november nov novembre noviembre novembro
12 december dec dicembre dic dezember dez decembre diciembre dezembro
"""
MONTHS = {
    name: int(row.split()[0])
    for row in _MONTH_NAMES.strip().splitlines()
    for name in row.split()[1:]
}
"""Month names and their abbreviations in English, Italian, German, French, Spanish,
Portuguese and Dutch, lower case and without accents (`févr.` is `fevr`), to their number."""

BY = r"""
    (?:written|text|words|reporting|story)\s+by | a\s+cura\s+di | by | di | von | par | por
  | door | av | af | eftir | przez | от | text | texto | testo | texte | tekst
  | autor(?:in|e|es|en|ka)? | auteure?s? | authors? | автор(?:ка)? | oleh | yazan | írta
  | tác\s+giả | מאת | بقلم | به\s+قلم
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

GENITIVE = r"του | της | των | γρ[άα]φει\s+[οη] | γρ[άα]φουν\s+[οη]"
"""Greek: "Του Γιώργου Παπαδόπουλου" (by George, in the genitive), "Γράφει η Ελένη ...",
and for two authors "Των Γιώργου ... και Μαρίας ...", "Γράφουν ο Νίκος ... και η Ελένη ..."
(capitals drop the accent: "ΓΡΑΦΕΙ"). "Της χρονιάς ..." starts sentences too, so every word
of the name must be capitalised, but for `GREEK_AND` between two names."""

GREEK_AND = r"\s+(?:και|κι)\s+(?:(?:ο|η|του|της)\s+)?"
""""And" with the article the second name may repeat ("... και της Μαρίας ...")."""

AFTER_NAME = r"기자 | 특파원 | 記者 | 记者 | 特派員"
"""Korean and Japanese put the title after the name: "홍길동 기자", "山田太郎 記者"."""

SHARE = (
    "поделиться", "поделитесь", "поділитися", "поширити", "udostępnij", "megosztás",
    "chia sẻ bài", "bagikan", "شارك هذا المقال", "شارك المقال", "שתפו", "שתף", "μοιραστείτε",
    "κοινοποιήστε", "分享", "关注我们", "關注我們", "공유하기",
)  # fmt: skip
"""Words that start a share or follow button's line. Some need their object: Arabic "شارك"
alone is also "took part", and Vietnamese "Chia sẻ với ..." ("speaking to ...") and Turkish
"Paylaşılan ..." ("the shared ...") open sentences."""

CALLS = (
    "рассылк", "подпишитесь", "розсилк", "підпишіться", "نشرتنا", "النشرة البريدية",
    "خبرنامه", "ניוזלטר", "הירשמו", "ενημερωτικό δελτίο", "εγγραφείτε", "bülten",
    "abone olun", "paylaşın", "订阅我们", "訂閱我們", "新闻简报", "扫码关注", "뉴스레터",
    "구독하세요", "기사 공유", "न्यूज़लेटर", "सदस्यता लें", "शेयर करें", "साझा करें",
    "به اشتراک بگذارید", "nhận bản tin", "đăng ký nhận", "berlangganan", "buletin",
    "zapisz się", "hírlevel", "iratkozzon fel", "iratkozz fel",
)  # fmt: skip
"""A newsletter's or a share call anywhere in a short line ("Bültenimize abone olun",
"이 기사 공유하기": where the verb comes last, the call does not start the line). Imperatives,
not the plain verb or noun: "paylaştı" (shared), "feliratkozói" (its subscribers) are prose."""

RESERVED = (
    "все права защищен", "усі права захищен", "всі права захищен", "الحقوق محفوظة",
    "حقوق محفوظ", "כל הזכויות שמורות", "δικαιώματα διατηρούνται", "παντός δικαιώματος",
    "hakları saklıdır", "版权所有", "版權所有", "무단 전재", "무단전재", "재배포 금지",
    "सर्वाधिकार सुरक्षित", "bảo lưu mọi quyền", "bản quyền thuộc về", "hak cipta dilindungi",
    "wszelkie prawa zastrzeżone", "minden jog fenntartva",
)  # fmt: skip
""""All rights reserved" and its kin, anywhere in a line (whole phrases: "όλα τα δικαιώματα",
all the rights, is prose)."""
