"""Binds the installed policypress MkDocs plugin's events for this site (``hooks:`` in mkdocs.yml).

No logic here: the plugin is ``policypress.mkdocs`` (also usable as ``plugins: [policypress]``);
its options are read from ``extra.policypress``.
"""

from policypress.mkdocs.hooks import HookedPlugin

_plugin = HookedPlugin()

on_startup = _plugin.on_startup
on_config = _plugin.on_config
on_env = _plugin.on_env
on_serve = _plugin.on_serve
on_files = _plugin.on_files
on_nav = _plugin.on_nav
on_page_content = _plugin.on_page_content
on_page_context = _plugin.on_page_context
on_post_build = _plugin.on_post_build
