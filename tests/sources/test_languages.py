"""Plain-text articles in many languages: bylines, and subtitles that are none."""

from __future__ import annotations

import pytest

from tui.sources.plaintext import parse_plain


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("Текст: Ольга Смирнова", "Ольга Смирнова"),
        ("Авторка: Олена Коваленко", "Олена Коваленко"),
        ("بقلم: أحمد المصري", "أحمد المصري"),
        ("بقلم أحمد المصري", "أحمد المصري"),
        ("كتب: محمد علي", "محمد علي"),
        ("نوشته: مریم احمدی", "مریم احمدی"),
        ("به قلم سارا رضایی", "سارا رضایی"),
        ("מאת דנה לוי", "דנה לוי"),
        ("Του Γιώργου Παπαδόπουλου", "Γιώργου Παπαδόπουλου"),
        ("Της Μαρίας Νικολάου", "Μαρίας Νικολάου"),
        ("Γράφει ο Νίκος Κωνσταντίνου", "Νίκος Κωνσταντίνου"),
        ("Γράφει η Ελένη Δημητρίου", "Ελένη Δημητρίου"),
        ("Yazan: Ayşe Yılmaz", "Ayşe Yılmaz"),
        ("记者：王晓明", "王晓明"),
        ("本报记者\u3000王晓明", "王晓明"),
        ("文/李华", "李华"),
        ("김민준 기자", "김민준"),
        ("김민준·이서연 기자", "김민준·이서연"),
        ("山田太郎 記者", "山田太郎"),
        ("लेखक: राहुल शर्मा", "राहुल शर्मा"),
        ("Tác giả: Nguyễn Thu Hà", "Nguyễn Thu Hà"),
        ("Oleh Budi Santoso", "Budi Santoso"),
        ("Autorka: Katarzyna Wiśniewska", "Katarzyna Wiśniewska"),
        ("Írta: Kovács Péter", "Kovács Péter"),
    ],
)
def test_bylines_in_more_languages(byline: str, author: str) -> None:
    parts = parse_plain(f"Title\n\n{byline}\n\nThe first paragraph.\n")
    assert (parts.author, parts.body) == (author, "The first paragraph.")


@pytest.mark.parametrize(
    "subtitle",
    [
        "Текст законопроекта опубликован на сайте правительства",
        "Авторка книжки розповідає про війну",
        "بقلم رصاص كتب الطفل رسالته الأولى إلى والده.",
        "نوشته‌های تازه از سفر به شمال",
        "نوشته شده در سال ۱۳۹۰ در تهران",
        "מאת משרד הבריאות נמסר כי המצב יציב.",
        "Της χρονιάς τα γεγονότα σε δέκα εικόνες",
        "Του χρόνου η έκθεση θα γίνει στη Θεσσαλονίκη",
        "Του Πάσχα οι τιμές ανέβηκαν",  # a capital after "Του" is not enough: all words
        "Γράφει η Καθημερινή ότι οι τιμές ανεβαίνουν",
        "Γράφει ιστορία η εθνική ομάδα",
        "Yazan kişi kitabında savaşı anlatıyor",
        "记者会上，部长表示将继续推进改革。",
        "记者：这是一个很长的句子而不是人名",
        "현장을 지킨 30년, 한 기자의 기록",
        "현장을 떠나는 기자",
        "लेखक और कवि एक साथ मंच पर आए।",
        "Tác giả cuốn sách kể về tuổi thơ",
        "Oleh karena itu, pemerintah menunda rencana tersebut",
        "Autorka książki opowiada o dzieciństwie",
        "Írta le a bizottság a jelentésében",
    ],
)
def test_a_subtitle_in_another_language_is_not_a_byline(subtitle: str) -> None:
    parts = parse_plain(f"Title\n\n{subtitle}\n\nThe first paragraph.\n")
    assert parts.author is None and parts.body.startswith(subtitle)
