"""The plugin's options, validated by MkDocs itself (a bad value is MkDocs' own config error).

In mkdocs.yml::

    plugins:
      - policypress:
          data_dir: policy_data
          languages: [en, sv]        # default: every language of the data (policy.yaml languages)
          locales_dir: locales       # the project's own locale files (fr.yaml ...); default: ours only
          nav: {section: Privacy}    # default: our pages go to the top level of the navigation
          consent: {merge: true, texts: site}   # texts: policy uses the policy's, per language
          scan: {enabled: true, strict: false, pages: []}
          lint: {fail_on: never}
          preview: false             # POLICYPRESS_PREVIEW=1 turns it on per build
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from policypress.build import CONSENT_TEXTS, FAIL_ON


class NavConfig(base.Config):
    # The title of the navigation section our pages join (created if missing); none: the top level.
    section = c.Optional(c.Type(str))


class ConsentConfig(base.Config):
    merge = c.Type(bool, default=True)
    # "site": the site's extra.consent title, description and buttons win where it gives them.
    texts = c.Choice(CONSENT_TEXTS, default="site")


class ScanConfig(base.Config):
    enabled = c.Type(bool, default=True)
    strict = c.Type(bool, default=False)
    # Folders of other sites' HTML (relative to mkdocs.yml) checked against the same cookie table.
    pages = c.ListOfItems(c.Type(str), default=[])


class LintConfig(base.Config):
    fail_on = c.Choice(FAIL_ON, default="never")


class PolicyPressConfig(base.Config):
    data_dir = c.Type(str, default="policy_data")
    # BCP 47 tags, a subset of the policy's languages (checked once the data is loaded).
    languages = c.ListOfItems(c.Type(str), default=[])
    # A folder (relative to mkdocs.yml) of <language>.yaml locale files beside ours: a language we do
    # not ship, or our wording changed key by key (see policypress.locales).
    locales_dir = c.Optional(c.Type(str))
    nav = c.SubConfig(NavConfig)
    consent = c.SubConfig(ConsentConfig)
    scan = c.SubConfig(ScanConfig)
    lint = c.SubConfig(LintConfig)
    preview = c.Type(bool, default=False)
