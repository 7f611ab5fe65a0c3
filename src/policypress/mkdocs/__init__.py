"""The MkDocs side of policypress: the only package that imports MkDocs.

``plugin.PolicyPressPlugin`` is registered as the ``policypress`` plugin
(``plugins: [policypress]``); ``hooks.HookedPlugin`` is the same plugin for
``hooks:`` users; ``theme/`` holds the partials and stylesheets it adds.
"""
