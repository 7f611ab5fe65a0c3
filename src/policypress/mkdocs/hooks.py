"""The plugin for sites that list it under ``hooks:`` rather than ``plugins:``.

Its options are read from ``extra.policypress`` of mkdocs.yml and checked by the
same ``PolicyPressConfig``; every event is the plugin's own.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError

from .plugin import PolicyPressPlugin

OPTIONS_KEY = "policypress"
log = logging.getLogger("mkdocs.plugins.policypress")


class HookedPlugin(PolicyPressPlugin):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        errors, warnings = self.load_config(config.extra.get(OPTIONS_KEY) or {}, config.config_file_path)
        if errors:
            # The message MkDocs gives for a bad plugin option, with the key as it is written here.
            lines = [f"Config value 'extra.{OPTIONS_KEY}.{key}': {error}" for key, error in errors]
            raise ConfigurationError("\n".join(lines))
        for key, warning in warnings:  # unknown keys, as MkDocs warns of them in plugins: (strict fails)
            log.warning("Config value 'extra.%s.%s': %s", OPTIONS_KEY, key, warning)
        return super().on_config(config)
