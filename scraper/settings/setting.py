"""Settings: the shape of one setting's declaration (`SettingSpec`), a row of the table in `spec`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One setting, declared once.

    `name` is its key in the CLI mapping given to `build_settings`; `attribute` its attribute on
    `Settings` (the name unless `attribute_name` says otherwise); `default` its default as text
    (empty = not set); `check(label, text)` turns text into the value or raises ConfigError.
    `option` is its scrape option (`--limit`); options of every command are listed in
    `scraper.cli.main`. `help` is one sentence or two, shown in `.env.example` and (lower-cased,
    with variable and default) in `--help`.
    """

    name: str
    env: str
    default: str
    check: Callable[[str, str], object]
    help: str
    option: str | None = None
    option_kwargs: Mapping[str, Any] = field(default_factory=dict)  # extra argparse keywords
    message_label: str | None = None  # how a message names it, when not by its option or variable
    attribute_name: str = ""

    @property
    def label(self) -> str:
        """How a message names the setting: its option if it has one, else its variable."""
        return self.message_label or self.option or self.env

    @property
    def attribute(self) -> str:
        """Its attribute on `Settings`."""
        return self.attribute_name or self.name

    def cli_help(self) -> str:
        """The argparse help: the help text, its variable and its default ('%' escaped for argparse)."""
        text = self.help.rstrip(".")
        if text[:1].isupper() and not text[1:2].isupper():
            text = text[0].lower() + text[1:]
        default = f"; default {self.default}" if self.default else ""
        return f"{text} (env {self.env}{default})".replace("%", "%%")
