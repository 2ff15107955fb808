"""Plain-text articles in the reference shape, in many languages and their usual encodings.

Each fixture is: title, blank line, the language's byline, paragraphs, then a newsletter call,
a share line, a copyright line and the title again, none of which may stay in the body.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.models import Article
from tui.sources.files import load_file
from tui.sources.plaintext import parse_plain

FILES = Path(__file__).parent.parent / "fixtures" / "files"

ZWNJ = "\u200c"


def one(path: Path) -> Article:
    """The single article a file yields, asserting it imported without warnings."""
    articles, warning = load_file(path)
    assert warning is None
    (article,) = articles
    return article


@pytest.mark.parametrize(
    ("name", "title", "author", "first_words", "tail"),
    [
        ("ru_cp1251.txt", "Городской совет утвердил новый маршрут ночного трамвая",
         "Ольга Смирнова", "Городской совет в четверг",
         ("рассылк", "поделиться", "права защищены")),
        ("uk_koi8u.txt", "У Львові відкрили першу в країні бібліотеку просто неба",
         "Олена Коваленко", "У Львові на площі",
         ("розсилк", "поділитися", "права захищено")),
        ("ar_cp1256.txt", "افتتاح أكبر محطة لتحلية المياه بالطاقة الشمسية في المنطقة",
         "أحمد المصري", "افتتحت الحكومة يوم الأربعاء",
         ("اشترك", "شارك هذا", "الحقوق محفوظة")),
        ("fa_utf8.txt", "تهران میزبان نخستین نمایشگاه بین‌المللی خودروهای برقی شد",
         "مریم احمدی", "نخستین نمایشگاه بین‌المللی",
         ("خبرنامه", "به اشتراک بگذارید", "حقوق محفوظ")),
        ("he_cp1255.txt", "עיריית חיפה תשיק רכבל חדש לאוניברסיטה",
         "דנה לוי", "עיריית חיפה הודיעה",
         ("ניוזלטר", "שתפו", "הזכויות שמורות")),
        ("el_cp1253.txt", "Νέα γραμμή τραμ θα συνδέει τον Πειραιά με το κέντρο της Αθήνας",
         "Γιώργου Παπαδόπουλου", "Η νέα γραμμή του τραμ",
         ("εγγραφείτε", "μοιραστείτε", "δικαιώματα")),
        ("tr_cp1254.txt", "İstanbul'da yeni metro hattı hizmete açıldı",
         "Ayşe Yılmaz", "İstanbul'un Anadolu yakasında",
         ("bülten", "paylaşın", "hakları saklıdır")),
        ("zh_gb18030.txt", "北京新增十条夜间公交线路",
         "王晓明", "北京市交通委员会周二宣布",
         ("订阅", "分享", "版权所有")),
        ("ko_euckr.txt", "서울시, 한강에 수상 버스 노선 신설",
         "김민준", "서울시는 내년 봄부터",
         ("뉴스레터", "공유", "무단 전재")),
        ("hi_utf8.txt", "दिल्ली में पहली बार चलेगी बिना ड्राइवर वाली मेट्रो",
         "राहुल शर्मा", "दिल्ली मेट्रो रेल निगम ने",
         ("न्यूज़लेटर", "शेयर करें", "सर्वाधिकार")),
        ("vi_utf8_bom.txt", "Hà Nội thử nghiệm xe buýt điện quanh phố cổ",
         "Nguyễn Thu Hà", "Sở Giao thông Vận tải",
         ("bản tin", "chia sẻ", "bảo lưu")),
        ("id_cp1252.txt", "Jakarta Uji Coba Bus Listrik di Koridor Transjakarta",
         "Budi Santoso", "Pemerintah Provinsi DKI Jakarta",
         ("berlangganan", "bagikan", "hak cipta")),
        ("pl_cp1250.txt", "Kraków otwiera pierwszy w Polsce parking dla rowerów cargo",
         "Katarzyna Wiśniewska", "W czwartek przy Dworcu Głównym",
         ("newsletter", "udostępnij", "prawa zastrzeżone")),
        ("hu_latin2.txt", "Új gyorsvasút köti össze Budapestet és a repülőteret",
         "Kovács Péter", "A kormány kedden bejelentette",
         ("hírlevel", "megosztás", "minden jog")),
    ],
)  # fmt: skip
def test_language_fixture_imports_title_author_and_body(
    name: str, title: str, author: str, first_words: str, tail: tuple[str, ...]
) -> None:
    article = one(FILES / name)
    assert article.title == title
    assert article.author == author
    assert article.body.startswith(first_words)
    assert "\n\n" in article.body  # paragraphs stay apart
    assert "\r" not in article.body and "\ufeff" not in article.title
    lowered = article.body.lower()
    for boilerplate in (*tail, "©", "(c)", title.lower()):
        assert boilerplate not in lowered
    if ZWNJ in title:  # Persian: the sanitizer keeps the non-joiner, so must the parser
        assert article.body.count(ZWNJ) == 9
        for word in ("بین\u200cالمللی", "می\u200cگوید", "تازه\u200cترین", "باتری\u200cها"):
            assert word in article.body


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
        ("του Γιώργου Παπαδόπουλου", "Γιώργου Παπαδόπουλου"),
        ("της Μαρίας Κωνσταντίνου", "Μαρίας Κωνσταντίνου"),
        ("Του Νίκου Χατζή", "Νίκου Χατζή"),
        ("ΓΡΑΦΕΙ Ο ΓΙΩΡΓΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ", "ΓΙΩΡΓΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ"),  # capitals lose the accent
        (
            "Των Γιώργου Παπαδόπουλου και Μαρίας Κωνσταντίνου",
            "Γιώργου Παπαδόπουλου και Μαρίας Κωνσταντίνου",
        ),
        ("Του Νίκου Χατζή και της Ελένης Δημητρίου", "Νίκου Χατζή και της Ελένης Δημητρίου"),
        ("Γράφουν ο Νίκος Χατζής και η Ελένη Δημητρίου", "Νίκος Χατζής και η Ελένη Δημητρίου"),
        ("Yazan: Ayşe Yılmaz", "Ayşe Yılmaz"),
        ("记者：王晓明", "王晓明"),
        ("本报记者\u3000王晓明", "王晓明"),
        ("文/李华", "李华"),
        ("김민준 기자", "김민준"),
        ("김민준·이서연 기자", "김민준·이서연"),
        ("김민준 기자 kim@example.co.kr", "김민준"),
        ("김민준 특파원 (kim@example.co.kr)", "김민준"),
        ("山田太郎 記者", "山田太郎"),
        ("लेखक: राहुल शर्मा", "राहुल शर्मा"),
        ("Tác giả: Nguyễn Thu Hà", "Nguyễn Thu Hà"),
        ("Oleh Budi Santoso", "Budi Santoso"),
        ("Autorka: Katarzyna Wiśniewska", "Katarzyna Wiśniewska"),
        ("Írta: Kovács Péter", "Kovács Péter"),
        ("eftir Jón Þórsson", "Jón Þórsson"),
    ],
)
def test_bylines_in_more_languages(byline: str, author: str) -> None:
    parts = parse_plain(f"Title\n\n{byline}\n\nThe first paragraph.\n")
    assert (parts.author, parts.body) == (author, "The first paragraph.")


@pytest.mark.parametrize("closing", ["홍길동 기자", "홍길동 기자 hong@example.com", "홍길동 기자 =",
                                     "山田太郎 記者"])  # fmt: skip
def test_a_korean_byline_closing_the_article_names_its_author(closing: str) -> None:
    # Korean papers sign at the end: the name, the reporter's title, often the address.
    text = f"서울시, 야간 버스 노선 확대\n\n첫 문단이다.\n\n둘째 문단이다.\n\n{closing}\n"
    parts = parse_plain(text)
    assert (parts.author, parts.body) == (closing.split()[0], "첫 문단이다.\n\n둘째 문단이다.")


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
        "του χρόνου η έκθεση θα γίνει στη Θεσσαλονίκη",
        "Των ημερών οι ανακοινώσεις",
        "Του Νίκου και των φίλων του",  # "and" joins two names, not a name and a phrase
        "Γράφουν ιστορία οι Έλληνες αθλητές",
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


def test_a_greek_paragraph_opening_with_the_genitive_stays_text() -> None:
    # "Του Νίκου η πρόταση ..." (Nikos's proposal ...) opens a sentence, not a byline.
    first = "Του Νίκου Χατζή η πρόταση έγινε δεκτή από το δημοτικό συμβούλιο χθες."
    parts = parse_plain(f"Νέα πλατεία στο κέντρο\n\n{first}\n\nΔεύτερη παράγραφος.\n")
    assert (parts.title, parts.author) == ("Νέα πλατεία στο κέντρο", None)
    assert parts.body.startswith(first)


@pytest.mark.parametrize(
    "last",
    [
        "شارك أكثر من ألف شخص في المسيرة",
        "Paylaşılan videoda yangın açıkça görülüyor",
        "Chia sẻ với báo chí, ông An cho biết dự án sẽ hoàn thành vào năm sau",
        "Η κυβέρνηση εγγυάται όλα τα δικαιώματα των πολιτών",
        "정보를 공유하기 위해 두 기관이 협약을 맺었다",
        "A csatornának egymillió feliratkozója van",
    ],
)
def test_a_closing_sentence_that_shares_or_takes_part_is_kept(last: str) -> None:
    # Share words that are also plain verbs ("took part", "speaking to the press") and the
    # rights of citizens are article text, not a share button or a copyright line.
    body = parse_plain(f"Title\n\nFirst paragraph.\n\n{last}\n").body
    assert body.endswith(last)
