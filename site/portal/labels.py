"""How a row seeded by a migration shows its name: the one rule for vocabularies that ship with
the site (duty areas, enforcement measures, hours categories …) and that an administrator may
rename. Imports no app, so every app may use it."""
from django.conf import settings
from django.utils import translation

#: id(seeded label) → (the label, the site's language, its text there); the label is kept so
#: that its id is not reused while remembered.
_SITE_TEXT = {}


def seeded_name(name, seeded):
    """The name to show for a row whose stored ``name`` was seeded as ``seeded`` (a translatable
    label; None for a row that was not seeded): the label in the reader's language while the stored
    name is still the seeded one (as written in the site's own language); a name an administrator
    changed is shown as entered."""
    if seeded is None:
        return name
    return str(seeded) if name == _site_text(seeded) else name


def _site_text(seeded):
    """The label in the site's own language (settings.LANGUAGE_CODE), remembered per label: the
    hours rules name a category for every officer they evaluate."""
    hit = _SITE_TEXT.get(id(seeded))
    if hit is None or hit[0] is not seeded or hit[1] != settings.LANGUAGE_CODE:
        if len(_SITE_TEXT) >= 1024:
            _SITE_TEXT.clear()
        with translation.override(settings.LANGUAGE_CODE):
            hit = _SITE_TEXT[id(seeded)] = (seeded, settings.LANGUAGE_CODE, str(seeded))
    return hit[2]
