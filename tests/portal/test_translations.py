"""Each language's translation answers in one lookup, and answers what Django's chain of
fallback catalogues answered (portal.translations)."""
import pytest
from django.utils import translation
from django.utils.translation import trans_real

from portal.translations import flatten


def _chain_keys(trans):
    keys = set()
    fallback = trans._fallback
    while fallback is not None:
        catalogue = fallback._catalog
        keys.update(catalogue.keys())
        fallback = fallback._fallback
    keys.update(trans._catalog.keys())
    return keys


@pytest.mark.parametrize("code", ["zh-hans", "en"])
def test_flattened_catalogue_translates_every_message_as_the_chain_does(code):
    chained = trans_real.DjangoTranslation(code)
    flat = trans_real.DjangoTranslation(code)
    had_chain = chained._fallback is not None
    assert flatten(flat) is had_chain
    assert flat._fallback is None
    keys = _chain_keys(chained)
    singular = [k for k in keys if isinstance(k, str) and k]
    plural = {k[0] for k in keys if isinstance(k, tuple)}
    assert len(singular) > 1000
    for message in singular:
        assert flat.gettext(message) == chained.gettext(message), message
    for message in plural:
        for n in (0, 1, 2, 5):
            assert flat.ngettext(message, message + "s", n) == chained.ngettext(message, message + "s", n), message
    for missing in ("执法学堂从未翻译过的句子", "A sentence no catalogue holds"):
        assert flat.gettext(missing) == chained.gettext(missing) == missing


def test_zh_hans_chain_had_fallbacks_to_fold():
    """Wagtail's apps ship zh and zh_Hans catalogues, which Python's gettext chains: the case
    this module exists for (if this fails, the chain is gone and the module can go too)."""
    assert trans_real.DjangoTranslation("zh-hans")._fallback is not None


def test_site_languages_are_flattened_at_startup():
    for code in ("zh-hans", "en"):
        assert trans_real.translation(code)._fallback is None
    with translation.override("en"):
        assert translation.gettext("考试") != "考试"  # the project's own English catalogue
    with translation.override("zh-hans"):
        assert translation.gettext("Add") == trans_real.DjangoTranslation("zh-hans").gettext("Add") != "Add"
