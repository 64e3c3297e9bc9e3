"""Settings: the table that declares every setting (`spec`, rows shaped by `setting`), its checks
(`checks`), and the merge of defaults < `.env` < environment < command line into one frozen
`Settings` (`load`).

The rest of the product imports from here: `from scraper.settings import Settings, build_settings`.
"""

from __future__ import annotations

from scraper.settings.checks import DEFAULT_BASE_URL, LOG_LEVELS
from scraper.settings.load import FLAG_NAMES, Settings, build_settings, read_dotenv
from scraper.settings.setting import SettingSpec
from scraper.settings.spec import (
    DEFAULT_DATABASE_URL,
    ENV_VARS,
    MAX_LIMIT,
    SANDBOX_DEFAULT_DELAY,
    SANDBOX_MAX_DAY,
    SETTINGS,
    SPEC_BY_NAME,
    render_env_example,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_DATABASE_URL",
    "ENV_VARS",
    "FLAG_NAMES",
    "LOG_LEVELS",
    "MAX_LIMIT",
    "SANDBOX_DEFAULT_DELAY",
    "SANDBOX_MAX_DAY",
    "SETTINGS",
    "SPEC_BY_NAME",
    "SettingSpec",
    "Settings",
    "build_settings",
    "read_dotenv",
    "render_env_example",
]
