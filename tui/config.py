"""feeds.toml -> frozen dataclasses. Every error names the file, the line and the key.

Which file is read, and where the cache is, is `tui.paths`' business.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from tui.config_limits import RANGES, deep_value, list_name, number_text, shown, type_name
from tui.config_lines import ConfigError as ConfigError  # its home is config_lines: read here
from tui.config_lines import ConfigLines, key_line, toml_error_line
from tui.config_secrets import note_readable_feed_secret, note_sync_secret
from tui.config_sources import note_unknown_sources
from tui.models import RULE_ACTIONS, Rule
from tui.settings import IMAGE_MODES, KEYS
from tui.settings import Settings as Settings  # its home until the table grew: still read here
from tui.text import strip_unsafe, unsafe_at
from tui.weburl import bad_port, is_web_url, parses, url_key, without_password


@dataclass(frozen=True)
class SourceConfig:
    """One `[[sources]]` table."""

    name: str
    """Unique display name; also the key that ties cached articles to the source."""
    url: str | None = None
    """A web feed (http/https). Exactly one of `url` and `path` is set."""
    path: Path | None = None
    """A local file or folder (absolute; relative paths were resolved against the config)."""
    tags: tuple[str, ...] = ()
    """Tags shown in the sources pane and usable as `tag:NAME` in searches."""
    enabled: bool = True
    """Disabled sources keep their cached articles but are not refreshed."""
    refresh_minutes: int | None = None
    """Per-source auto-refresh interval; None uses `settings.refresh_minutes`."""
    full_text: bool = False
    """Save the full web page of every new article (for teaser-only feeds)."""

    @property
    def location(self) -> str:
        """The URL or path as text."""
        return self.url if self.url is not None else str(self.path)


@dataclass(frozen=True)
class SearchConfig:
    """One `[[searches]]` table: a saved search shown as a virtual source."""

    name: str
    query: str


SYNC_SERVICES = ("ttrss", "fever")


@dataclass(frozen=True)
class SyncConfig:
    """The `[sync]` table: a server that keeps subscriptions and read state."""

    service: str
    """"ttrss" (Tiny Tiny RSS JSON API) or "fever" (Fever API)."""
    url: str
    """ttrss: the server's base URL (the API path is added); fever: the Fever endpoint."""
    user: str
    password: str | None = field(default=None, repr=False)
    """The password itself; exactly one of `password` and `password_command` is set."""
    password_command: str | None = field(default=None, repr=False)
    """A command printing the password (run without a shell, e.g. `pass show rss`)."""
    line: int | None = None
    """Line of the `[sync]` header, for messages about the password."""


@dataclass(frozen=True)
class Config:
    """The whole configuration file."""

    path: Path
    sources: tuple[SourceConfig, ...] = ()
    searches: tuple[SearchConfig, ...] = ()
    settings: Settings = field(default_factory=Settings)
    keys: Mapping[str, str] = field(default_factory=dict)
    """Binding id -> comma-separated keys, applied with Textual's `App.set_keymap`."""
    rules: tuple[Rule, ...] = ()
    rule_errors: tuple[str, ...] = ()
    """Broken rules, one line each; they are skipped and the others still run."""
    search_errors: tuple[str, ...] = ()
    """Broken saved searches, one line each; they are skipped and the others still listed."""
    left_out: tuple[str, ...] = ()
    """Sources and saved searches named as an earlier one but for case or spacing, one line
    each; they are left out and the rest of the config applies."""
    notes: tuple[str, ...] = ()
    """What is read other than as written, one `note:` line each: an empty tag dropped, a
    number past its maximum read as the maximum."""
    sync: SyncConfig | None = None
    """The `[sync]` server, if one is configured."""

    def source(self, name: str) -> SourceConfig | None:
        """The source called `name`, if configured."""
        return next((s for s in self.sources if s.name == name), None)

    @property
    def skipped(self) -> tuple[str, ...]:
        """The mistakes that leave an entry out but stop nothing else, one line each."""
        return (*self.left_out, *self.rule_errors, *self.search_errors)


def load_config(path: Path) -> Config:
    """Read and validate a config file; a missing file is an empty config."""
    if not path.exists():
        return Config(path=path)
    import tomllib  # here: a start that finds its config memoized parses no TOML

    try:
        raw_text = path.read_bytes().decode("utf-8-sig")
        data = tomllib.loads(raw_text)
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(exc, raw_text)
        raise ConfigError(path, f"invalid TOML: {exc}", line=line) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        key, line = deep_value(raw_text)
        raise ConfigError(path, "nested too deeply", key=key, line=line) from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from None
    return _Parser(path, raw_text).config(data)


_SOURCE_KEYS = {"name", "url", "path", "tags", "enabled", "refresh_minutes", "full_text"}
_SEARCH_KEYS = {"name", "query"}
_RULE_KEYS = {"query", "action", "tag", "sources"}
_SYNC_KEYS = {"service", "url", "user", "password", "password_command"}
_TOP_KEYS = {"sources", "searches", "settings", "keys", "rules", "sync"}
_VERBATIM = {"url", "path"}
"""Keys whose strings are used as written: control characters in them are refused, not
removed, since a cleaned URL or path would name something else."""
_MULTILINE = {"query"}
"""Keys whose strings keep their lines (escape sequences are still removed)."""


class _Parser(ConfigLines):
    """Validates the parsed TOML, locating each bad key's line in the original text."""

    def config(self, data: dict[str, Any]) -> Config:
        for key in data:
            if key not in _TOP_KEYS:
                self.fail(key, "unknown key", table=None)
        sources = [self.source(i, t) for i, t in enumerate(self.tables(data, "sources"))]
        note_readable_feed_secret(self, [source.url for source in sources])
        searches, search_errors = self.skipping(
            "saved search", self.search, self.tables(data, "searches")
        )
        named = self.one_per_feed(sources, self.distinct("sources", sources))
        sync = self.sync(data)
        rules, rule_errors = self.skipping("rule", self.rule, self.tables(data, "rules"))
        if sync is None:  # a server's feeds are sources the config does not name
            tables = {array: self.tables(data, array) for array in ("rules", "searches")}
            note_unknown_sources(self, tables, [source.name for source in named])
        return Config(
            path=self.path,
            sources=named,
            searches=self.distinct("searches", searches),
            settings=self.settings(self.table(data, "settings")),
            keys=self.keys(self.table(data, "keys")),
            sync=sync,
            rules=tuple(rule for rule in rules if rule is not None),
            rule_errors=rule_errors,
            search_errors=search_errors,
            left_out=tuple(self.left_out),
            notes=tuple(self.notes),
        )

    def rule(self, index: int, table: dict[str, Any]) -> Rule:
        where = ("rules", index)
        self.reject_unknown(table, _RULE_KEYS, where)
        query = self.query(table, where)
        tag = self.value(table, "tag", str, where, default=None)
        action = self.value(table, "action", str, where, default="tag" if tag else None)
        choices = ", ".join(RULE_ACTIONS)
        if action is None:  # nor a tag to imply "tag": "missing", as any absent key is
            self.fail("action", f"missing (one of {choices})", where)
        if action not in RULE_ACTIONS:
            self.fail("action", f"must be one of {choices}, not {action!r}", where)
        if action == "tag" and not tag:
            self.fail("tag", 'action "tag" needs tag = "NAME"', where)
        line = key_line(self.lines, where, "query")
        label = f"rules[{index + 1}]"
        return Rule(
            query=query,
            action=action,
            tag=tag,
            sources=tuple(self.value(table, "sources", list, where, default=[], item=str)),
            position=f"{self.path}:{line}: {label}" if line else f"{self.path}: {label}",
        )

    def source(self, index: int, table: dict[str, Any]) -> SourceConfig:
        where = ("sources", index)
        self.reject_unknown(table, _SOURCE_KEYS, where)
        name = self.value(table, "name", str, where, required=True)
        url, path = table.get("url"), table.get("path")
        if (url is None) == (path is None):
            self.fail("url", f"source {name!r} needs exactly one of url or path", where)
        return SourceConfig(
            name=name,
            url=self.url(table, where) if url is not None else None,
            path=self.local_path(table, where) if path is not None else None,
            tags=tuple(self.value(table, "tags", list, where, default=[], item=str)),
            enabled=self.value(table, "enabled", bool, where, default=True),
            refresh_minutes=self.number(table, "refresh_minutes", int, where, default=None),
            full_text=self.value(table, "full_text", bool, where, default=False),
        )

    def one_per_feed(
        self, sources: list[SourceConfig], named: tuple[SourceConfig, ...]
    ) -> tuple[SourceConfig, ...]:
        """The `named` sources (those `distinct` kept), each feed once: a source repeating
        an earlier one's URL (also but for `http`/`https`, the host's case or a trailing
        `/`, as `feeds import` compares them) is left out with a line, or each of its
        articles would be fetched, stored and listed twice."""
        kept = {id(source) for source in named}
        first: dict[str, tuple[SourceConfig, int]] = {}
        for index, source in enumerate(sources):
            if id(source) not in kept or source.url is None:
                continue
            earlier, at = first.setdefault(url_key(source.url), (source, index))
            if earlier is not source:
                line = key_line(self.lines, ("sources", at), "url")
                why = f"{source.name!r} repeats {earlier.name!r} (line {line}): the same feed, "
                why += "fetched once; this source is left out, its cached articles kept"
                self.left_out.append(str(self.error("url", why, ("sources", index))))
                kept.discard(id(source))
        return tuple(source for source in named if id(source) in kept)

    def search(self, index: int, table: dict[str, Any]) -> SearchConfig:
        where = ("searches", index)
        self.reject_unknown(table, _SEARCH_KEYS, where)
        name = self.value(table, "name", str, where, required=True)
        return SearchConfig(name=name, query=self.query(table, where))

    def query(self, table: dict[str, Any], where: tuple[str, int | None]) -> str:
        """A rule's or saved search's query: one with nothing to search for or filter by
        would act on, or list, every article."""
        query: str = self.value(table, "query", str, where, required=True)
        from tui.store.query import nothing_to_find  # the search's own reading of a query

        if unfit := nothing_to_find(query):
            self.fail("query", unfit, where)
        return query

    def settings(self, table: dict[str, Any]) -> Settings:
        defaults = Settings()
        where = ("settings", None)
        self.reject_unknown(table, set(KEYS), where)
        values: dict[str, Any] = {}
        for key in table:
            default = getattr(defaults, key)
            kind: type = float if isinstance(default, float) else type(default)
            values[key] = self.number(table, key, kind, where, default=None)
        if values.get("images", "auto") not in IMAGE_MODES:
            self.fail("images", f"must be one of {', '.join(IMAGE_MODES)}", where)
        line = key_line(self.lines, where, "theme") if "theme" in table else None
        return Settings(**values, theme_line=line)

    def sync(self, data: dict[str, Any]) -> SyncConfig | None:
        """The `[sync]` table, if present: a known service, a web URL, exactly one password."""
        if "sync" not in data:
            return None
        table, where = self.table(data, "sync"), ("sync", None)
        self.reject_unknown(table, _SYNC_KEYS, where)
        service = self.value(table, "service", str, where, required=True)
        if service not in SYNC_SERVICES:
            self.fail(
                "service", f"must be one of {', '.join(SYNC_SERVICES)}, not {service!r}", where
            )
        if ("password" in table) == ("password_command" in table):
            self.fail("password", "needs exactly one of password or password_command", where)
        note_sync_secret(self, url := self.url(table, where), "password" in table)
        return SyncConfig(
            service=service,
            url=url,
            user=self.value(table, "user", str, where, required=True),
            password=self.secret(table, "password", where),
            password_command=self.secret(table, "password_command", where),
            line=key_line(
                self.lines, where, "password_command" if "password_command" in table else "password"
            ),
        )

    def secret(self, table: dict[str, Any], key: str, where: tuple[str, int | None]) -> str | None:
        """A string that is never echoed back in a message, even when it is wrong."""
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            self.fail(key, "must be a non-empty string (value not shown)", where)
        return value

    def number(
        self, table: dict[str, Any], key: str, kind: type, where: tuple[str, int | None], **kw: Any
    ) -> Any:
        """`value`, and a number must be finite and inside its range in `RANGES`."""
        value = self.value(table, key, kind, where, **kw)
        if key not in RANGES or value is None:
            return value
        low, high = RANGES[key]
        above = f"more than {low:g}" if isinstance(low, float) else f"at least {low}"
        if not math.isfinite(value):
            self.fail(key, f"must be a finite number, not {value}", where)
        most, written = number_text(high), number_text(value)
        if not (low < value or (value == low and isinstance(low, int))):
            self.fail(key, f"must be {above} and at most {most}, not {written}", where)
        if value > high:  # "as much as can be": older versions took it as written
            self.note(key, f"{written} is past the most, {most}: read as {most}", where)
            return kind(high)
        return value

    def keys(self, table: dict[str, Any]) -> dict[str, str]:
        where = ("keys", None)
        flat: dict[str, Any] = {}
        for key, value in table.items():
            # `article.next = "n"` without quotes is a dotted key, which TOML nests
            pairs = value.items() if isinstance(value, dict) else [("", value)]
            flat.update({f"{key}.{sub}" if sub else key: keys for sub, keys in pairs})
        # An empty value is the UI's to report with the other unusable entries (`keys.py`).
        return {
            key: "" if isinstance(value, str) and not value.strip()
            else self.value(flat, key, str, where, required=True)
            for key, value in flat.items()
        }  # fmt: skip

    def url(self, table: dict[str, Any], where: tuple[str, int | None]) -> str:
        url: str = self.value(table, "url", str, where, required=True)
        if is_web_url(url):
            return url
        if (why := bad_port(url)) and where[0] == "sources":
            # Older versions took it: one source fails (and says why), the others refresh.
            self.note("url", f"{why}: this source fails until its URL is mended", where)
            return url
        shown = without_password(url)
        if not parses(url):
            self.fail("url", f"not a valid URL: {shown!r}", where)
        why = why or "only http and https URLs can be fetched"
        self.fail("url", f"{why}, not {shown!r}", where)

    def local_path(self, table: dict[str, Any], where: tuple[str, int | None]) -> Path:
        raw = self.value(table, "path", str, where, required=True)
        return (self.path.parent / Path(raw).expanduser()).resolve()

    # -- helpers -------------------------------------------------------------------------

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            self.fail(key, f"must be an array of tables ([[{key}]])", table=None)
        return cast(list[dict[str, Any]], value)

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"must be a table ([{key}])", table=None)
        return cast(dict[str, Any], value)

    def value(
        self,
        table: dict[str, Any],
        key: str,
        kind: type,
        where: tuple[str, int | None],
        *,
        required: bool = False,
        default: Any = None,
        item: type | None = None,
    ) -> Any:
        if key not in table:
            if required:
                self.fail(key, "missing", where)
            return default
        value = table[key]
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if ok and item is not None:
            ok = all(isinstance(v, item) for v in value)
        if not ok:
            expected = list_name(item) if item else type_name(kind)
            self.fail(key, f"must be {expected}, not {shown(value)}", where)
        if kind is str:
            return self.text(key, value, where)
        if item is str:
            return self.texts(key, value, where)
        return value

    def texts(self, key: str, values: list[str], where: tuple[str, int | None]) -> list[str]:
        """A list of strings; an empty tag (`tags = [""]`, which older versions took) is
        dropped with a note, where an empty name in a rule's `sources` is a mistake."""
        if key != "tags":
            return [self.text(key, text, where) for text in values]
        tags = [self.cleaned(key, text, where) for text in values]
        if not all(tag.strip() for tag in tags):
            self.note(key, "an empty tag is dropped", where)
        return [tag for tag in tags if tag.strip()]

    def text(self, key: str, value: str, where: tuple[str, int | None]) -> str:
        """`cleaned`, and not empty."""
        value = self.cleaned(key, value, where)
        if not value.strip():
            self.fail(key, "must not be empty", where)
        return value

    def cleaned(self, key: str, value: str, where: tuple[str, int | None]) -> str:
        """A string as it may be shown: escape sequences and control characters would reach
        the terminal, so they are removed (`tui.text`); names and tags stay on one line."""
        if key in _VERBATIM:
            if place := unsafe_at(value):
                self.fail(key, f"must not hold control characters: {value!r} ({place})", where)
            return value
        value = strip_unsafe(value)
        return value if key in _MULTILINE else value.replace("\n", " ")

    def reject_unknown(
        self, table: dict[str, Any], allowed: set[str], where: tuple[str, int | None]
    ) -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.fail(key, f"unknown key (known keys: {known})", where)
