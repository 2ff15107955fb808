"""What newsdesk writes to disk: never through a link someone planted in the folder it writes
to (exports, OPML), and private where it should be (a new cache folder, the configs it
creates), an overwritten file keeping its mode; a config holding a password others can read
is told. Every command here is the real CLI, under umask 022."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.test_cli import run
from tests.test_saving import PNG
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View

CONFIG = '[[sources]]\nname = "Herald"\nurl = "https://herald.example/feed"\n'
NOTES = '[[sources]]\nname = "Notes"\npath = "notes"\n'
SYNC = '[sync]\nservice = "ttrss"\nurl = "https://rss.example/"\nuser = "me"\npassword = "pw"\n'


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    """The usual umask: files 0644 and folders 0755 unless newsdesk asks for less."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def saved(isolated_env: Path) -> int:
    """A saved article with a saved image in the cache; returns its id."""
    return save_article(isolated_env, "Harbour news.")


def save_article(isolated_env: Path, text: str) -> int:
    """A saved article whose full text is `text` under a saved image; returns its id."""
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    sid = store.ensure_source("Herald", SourceKind.WEB, "https://herald.example/feed")
    day = datetime(2026, 12, 4, 9, tzinfo=UTC)
    article = Article(title="Con", body="Harbour news.", guid="a", published=day)
    store.record_refresh(sid, [article], FetchOutcome(status=200))
    [row] = store.page(View())
    store.mark_saved([row.id])
    image = isolated_env / "cache" / "images" / str(row.id) / "abc.png"
    image.parent.mkdir(parents=True)
    image.write_bytes(PNG)
    link = ("https://herald.example/i.png",)
    store.store_full_text(
        row.id, f"[image: map] [1]\n\n{text}", link, [(link[0], f"images/{row.id}/abc.png")]
    )
    store.close()
    return row.id


def write_config(home: Path, text: str) -> Path:
    """The config the test's commands read (`NEWSDESK_CONFIG`), holding `text`."""
    config = home / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text(text)
    return config


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_markdown_export_replaces_a_link_planted_at_an_articles_name(
    saved: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, victim = tmp_path / "md", tmp_path / "victim.txt"
    victim.write_text("mine")
    out.mkdir()
    (out / "2026-12-04-con.md").symlink_to(victim)
    code, _, err = run(capsys, "export", "--format", "md", "--output", str(out))
    assert (code, err) == (0, "")
    assert victim.read_text() == "mine"
    assert (
        not (out / "2026-12-04-con.md").is_symlink()
        and "Harbour news." in (out / "2026-12-04-con.md").read_text()
    )
    assert (out / "images" / str(saved) / "abc.png").read_bytes() == PNG


def test_a_link_planted_as_the_images_folder_is_refused_in_one_line(
    saved: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, elsewhere = tmp_path / "md", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "images").mkdir(parents=True)
    (out / "images" / str(saved)).symlink_to(elsewhere)
    code, _, err = run(capsys, "export", "--format", "md", "--output", str(out))
    assert code == 2 and err.count("\n") == 1
    assert f"{out / 'images' / str(saved)} is a link; refusing to write through it" in err
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_a_file_export_writes_through_no_link_planted_beside_it(
    saved: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out, victim = tmp_path / f"out.{fmt}", tmp_path / "victim.txt"
    victim.write_text("mine")
    (tmp_path / f"out.{fmt}.part").symlink_to(victim)  # the name it once wrote to first
    assert run(capsys, "export", "--format", fmt, "--output", str(out))[0] == 0
    assert victim.read_text() == "mine"
    assert zipfile.is_zipfile(out) if fmt == "epub" else "Harbour news." in out.read_text()


def test_an_opml_export_writes_through_no_link_planted_beside_it_and_keeps_its_mode(
    isolated_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(isolated_env, CONFIG)
    out, victim = tmp_path / "subs.opml", tmp_path / "victim.txt"
    victim.write_text("mine")
    (tmp_path / "subs.opml.part").symlink_to(victim)
    out.write_text("old")
    out.chmod(0o600)
    assert run(capsys, "feeds", "export", str(out))[0] == 0
    assert victim.read_text() == "mine" and "herald.example" in out.read_text()
    assert mode(out) == 0o600


def test_a_new_opml_export_is_private_as_the_config(
    isolated_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It holds the feeds' passwords, as the config does, yet others could read it (0644).
    write_config(isolated_env, CONFIG.replace("https://", "https://me:pw@"))
    out = tmp_path / "subs.opml"
    assert run(capsys, "feeds", "export", str(out))[0] == 0
    assert "https://me:pw@herald.example/feed" in out.read_text()
    assert mode(out) == 0o600


def test_an_overwritten_export_keeps_its_mode_and_a_new_one_takes_the_umasks(
    saved: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept, new = tmp_path / "kept.html", tmp_path / "new.html"
    kept.write_text("old")
    kept.chmod(0o600)
    for out in (kept, new):
        assert run(capsys, "export", "--format", "html", "--output", str(out))[0] == 0
    assert (mode(kept), mode(new)) == (0o600, 0o644)


@pytest.fixture
def unsyncable(small_disk: Path, tmp_path: Path) -> Iterator[Path]:
    """A folder on a disk that takes writes but cannot keep them: a 16 MiB ext4 whose image
    lives on the 1 MiB tmpfs, so syncing a megabyte to it fails (ENOSPC), as a thin
    provisioned or network disk does. Root only (mount), with mkfs.ext4 and a loop device."""
    if shutil.which("mkfs.ext4") is None:
        pytest.skip("no mkfs.ext4")
    image, where = small_disk / "ext4.img", tmp_path / "ext4"
    image.touch()
    os.truncate(image, 16 << 20)  # sparse: the tmpfs holds only what is written
    where.mkdir()
    for command in (  # the inode tables zeroed neither now nor in the background once mounted
        ["mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-E", "lazy_itable_init=1", str(image)],
        ["mount", "-o", "loop,noinit_itable", str(image), str(where)],
    ):
        done = subprocess.run(command, capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"{command[0]}: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_an_export_the_disk_cannot_keep_leaves_the_old_file_and_says_so(
    isolated_env: Path, unsyncable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It said "exported" with the file still only in memory: a power loss left it empty.
    save_article(isolated_env, "Harbour news. " * 150_000)  # a 2 MB page for a 1 MiB disk
    out = unsyncable / "saved.html"
    with out.open("w") as old:
        old.write("the last export")
        os.fsync(old.fileno())
    code, _, err = run(capsys, "export", "--format", "html", "--output", str(out))
    assert (code, err) == (1, f"newsdesk: cannot write {out}: No space left on device\n")
    assert out.read_text() == "the last export"
    assert sorted(os.listdir(unsyncable)) == ["lost+found", "saved.html"]  # no part file


def test_a_cache_folder_newsdesk_makes_is_private_and_one_the_user_made_is_left_as_it_is(
    isolated_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(isolated_env, NOTES)
    (config.parent / "notes").mkdir()
    (config.parent / "notes" / "a.txt").write_text("A note\n\nIts text.\n")
    assert run(capsys, "refresh")[0] == 0
    assert mode(isolated_env / "cache") == 0o700
    assert run(capsys, "refresh")[0] == 0  # the config memo is kept once the cache is there
    assert mode(isolated_env / "cache" / "config.memo") == 0o600  # the config as last read
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    assert run(capsys, "refresh", "--cache", str(theirs))[0] == 0
    assert mode(theirs) == 0o755


def test_the_cache_database_is_private_in_a_folder_the_user_made(tmp_path: Path) -> None:
    # Feed URLs hold passwords: the database, its -wal and -shm are the user's alone.
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    store = Store.open(theirs / "newsdesk.db")
    store.ensure_source("Herald", SourceKind.WEB, "https://bob:secret@herald.example/feed")
    files = sorted(path.name for path in theirs.iterdir())
    assert {name: mode(theirs / name) for name in files} == dict.fromkeys(files, 0o600)
    assert files == ["newsdesk.db", "newsdesk.db-shm", "newsdesk.db-wal"]
    store.close()


def test_a_new_config_is_private(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = isolated_env / "config" / "feeds.toml"
    assert run(capsys, "feeds", "import", "--newsboat", str(_urls(isolated_env)))[0] == 0
    assert mode(config) == 0o600


def _urls(folder: Path) -> Path:
    urls = folder / "urls"
    urls.write_text("https://herald.example/feed\n")
    return urls


def test_a_config_with_a_password_others_can_read_is_told_once(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(isolated_env, SYNC)
    code, _, err = run(capsys, "paths")
    assert code == 0
    assert (
        err
        == f"newsdesk: note: {config}:5: sync.password: others can read this file: chmod 600 it\n"
    )
    config.chmod(0o600)
    assert run(capsys, "paths")[2] == ""
    config.write_text(SYNC.replace('password = "pw"', 'password_command = "pass rss"'))
    config.chmod(0o644)
    assert run(capsys, "paths")[2] == ""  # no secret in the file


@pytest.mark.parametrize(
    ("url", "told"),
    [
        ("http://rss.example/", True),
        ("http://192.168.1.20:8080/", True),  # a home network is a network too
        ("https://rss.example/", False),
        ("http://127.0.0.1:8280/", False),
        ("http://localhost/tt-rss/", False),
    ],
)
def test_a_sync_server_over_plain_http_is_told(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], url: str, told: bool
) -> None:
    # Tiny Tiny RSS takes the password as sent: over http, anyone on the way reads it.
    config = write_config(isolated_env, SYNC.replace("https://rss.example/", url))
    config.chmod(0o600)
    err = run(capsys, "paths")[2]
    note = "sync.url: plain http: the password crosses the network readable"
    assert err == (f"newsdesk: note: {config}:3: {note}\n" if told else "")


def test_a_config_with_a_feed_password_others_can_read_is_told_once(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = [("Herald", ""), ("Token", "TOKEN@"), ("Login", "bob:pw@")]
    config = write_config(
        isolated_env,
        "".join(
            f'[[sources]]\nname = "{name}"\nurl = "https://{secret}herald.example/{name}"\n'
            for name, secret in tables
        ),
    )
    code, _, err = run(capsys, "paths")
    assert code == 0
    assert err == (
        f"newsdesk: note: {config}:6: sources[2].url: others can read this file and the "
        "password in this URL: chmod 600 it\n"
    )
    config.chmod(0o600)
    assert run(capsys, "paths")[2] == ""
