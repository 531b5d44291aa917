"""The layer contract: dependencies point one way inside every app, apps meet only
through their documented interfaces, and no import cycle holds modules together.

Inside an app, from top to bottom:

    entry points   views, urls, wagtail_hooks, templatetags, management commands,
                   AppConfig and signal receivers, demo loaders
    pages          Wagtail page models (and ``models.py``, which re-exports everything)
    forms          admin forms, panels, choosers, blocks, importers, exports
    rules          the business rules and services
    data           plain models, choices, small pure helpers

A module may import its own layer and the layers below it, never a layer above.
Every module must be placed in a layer, so a new module is a decision, not an
accident. Between apps, a module may import only the interface modules listed in
``INTERFACES``, and only along the app dependencies in ``APP_DEPENDENCIES``.
An import inside a function states why with a ``# deferred: <reason>`` comment.
"""
import shutil

import pytest

from . import imports as graph_module
from .imports import ROOT, build, cycles, inner_imports, matches

ENTRY, PAGES, FORMS, RULES, DATA = "entry points", "pages", "forms", "rules", "data"
ORDER = [ENTRY, PAGES, FORMS, RULES, DATA]

#: app → {layer: module patterns (relative to the app)}. "" is the package itself.
LAYERS = {
    "casebank": {
        ENTRY: ["apps", "signal_handlers", "demo", "demo_references", "demo_casework", "management", "management.*",
                "templatetags", "templatetags.*", "urls", "views", "views.*", "wagtail_hooks", "data.*"],
        PAGES: ["pages", "models"],
        FORMS: ["admin_forms", "panels", "choosers", "importers", "regulations", "casework_forms"],
        RULES: ["citations", "references", "versions", "validation", "lawtext", "similar", "similar_reports",
                "recommend", "bookmarks", "case_feedback"],
        DATA: ["", "library", "cited", "domain", "numerals", "steps", "casework", "personal"],
    },
    "courses": {
        ENTRY: ["apps", "receivers", "demo", "staff_views", "study_views", "urls", "views", "wagtail_hooks"],
        PAGES: ["pages", "models"],
        FORMS: ["admin_forms", "forms", "choosers", "blocks", "uploads"],
        RULES: ["learning", "progress", "studytime", "citations", "markdown_render"],
        DATA: ["", "choices", "records"],
    },
    "exams": {
        ENTRY: ["apps", "demo", "management", "management.*", "templatetags", "templatetags.*", "urls", "views",
                "views.*", "wagtail_hooks", "access"],
        FORMS: ["forms", "importer", "importer_text", "importer_docx", "importer_formats"],
        RULES: ["engine", "grading", "paper", "review", "references", "services", "itemanalysis", "practice",
                "reports", "batchmarking", "integrity", "accommodations"],
        DATA: ["", "models", "questiontypes", "validation"],
    },
    "officers": {
        ENTRY: ["apps", "signal_handlers", "qualification_signals", "demo", "demo_records", "demo_notices", "management",
                "management.*", "templatetags", "templatetags.*", "urls", "views", "hr_views", "wagtail_hooks",
                "middleware", "verification", "notice_views", "notice_signals"],
        FORMS: ["forms", "forms_qualifications", "exports", "hr_lists", "feedback"],
        RULES: ["auth", "audit", "certificates", "certpdf", "exam_results", "hours", "hours_rules", "qualifications",
                "reason_text", "ratelimit", "scoping", "events", "roles", "notices", "sessions"],
        DATA: ["", "models", "lifecycle"],
    },
    "search": {
        ENTRY: ["apps", "checks", "signal_handlers", "demo", "urls", "views", "wagtail_hooks", "textform", "conformance",
                "conformance.*", "conformance_settings"],
        RULES: ["service", "conditions", "analysis", "backends.*"],
        DATA: ["", "backends", "models", "query"],
    },
    "portal": {
        ENTRY: ["apps", "admin_access", "context_processors", "middleware", "templatetags", "templatetags.*", "urls",
                "views", "wagtail_hooks"],
        FORMS: ["spreadsheets"],
        RULES: ["dashboard", "site_address", "desk", "translations"],
        DATA: ["", "models", "labels", "rows", "params"],
    },
    "config": {
        ENTRY: ["urls", "wsgi", "asgi", "gunicorn", "warmup", "settings", "settings.*"],
        RULES: ["public_url", "secret_key"],
        DATA: [""],
    },
}

#: What each app offers the others (the documented interfaces).
INTERFACES = {
    "officers": ["officers.models", "officers.roles", "officers.scoping", "officers.events", "officers.hours",
                 "officers.audit", "officers.forms", "officers.ratelimit"],
    "casebank": ["casebank.models", "casebank.domain", "casebank.citations", "casebank.references",
                 "casebank.numerals", "casebank.cited", "casebank.panels"],
    "courses": ["courses.models"],
    "exams": ["exams.models"],
    "portal": ["portal.dashboard", "portal.models", "portal.spreadsheets", "portal.labels", "portal.desk",
               "portal.rows", "portal.params"],
    "search": [],
    "config": ["config.public_url"],
}

#: Which apps each app may import (the project package config wires everything together).
APP_DEPENDENCIES = {
    "portal": {"officers", "config"},
    "officers": {"portal"},
    "casebank": {"officers", "portal"},
    "courses": {"casebank", "officers", "portal"},
    "exams": {"casebank", "courses", "officers", "portal"},
    "search": {"casebank", "officers", "portal"},
    "config": set(INTERFACES) | {"search"},
}
#: config may reach further than the interfaces: its URLconf includes every app's urls, and
#: the warm-up opens the search backend before the first request.
CONFIG_REACH = ["*.urls", "search.analysis", "search.service", "search.backends.whoosh"]

#: Imports inside functions: each states its reason; their number stays small.
MAX_INNER_IMPORTS = 30


def layer_of(module):
    app, _, rest = module.partition(".")
    for layer, patterns in LAYERS.get(app, {}).items():
        if matches(rest, patterns):
            return layer
    return None


def layer_violations(graph):
    problems = []
    for module in sorted(graph.modules):
        if layer_of(module) is None:
            problems.append(f"{module}: not placed in a layer of {module.split('.')[0]} (add it to LAYERS)")
    for imp in graph.imports:
        if not imp.target or imp.source.split(".")[0] != imp.target.split(".")[0]:
            continue
        source, target = layer_of(imp.source), layer_of(imp.target)
        if source and target and ORDER.index(target) < ORDER.index(source):
            problems.append(f"{imp.source}:{imp.line} ({source}) imports {imp.target} ({target}), a layer above it")
    return problems


def interface_violations(graph):
    problems = []
    for imp in graph.imports:
        if not imp.target:
            continue
        app, other = imp.source.split(".")[0], imp.target.split(".")[0]
        if app == other:
            continue
        if other not in APP_DEPENDENCIES.get(app, set()):
            problems.append(f"{imp.source}:{imp.line} imports {imp.target}: {app} does not depend on {other}")
        elif not (matches(imp.target, INTERFACES.get(other, []))
                  or app == "config" and matches(imp.target, CONFIG_REACH)):
            problems.append(f"{imp.source}:{imp.line} imports {imp.target}, which is not an interface of {other}")
    return problems


#: Modules every app builds on: they must not import any app themselves.
SHARED_BASE = ["portal.dashboard", "portal.spreadsheets", "portal.models", "portal.labels", "portal.desk",
               "portal.rows", "portal.params"]


def shared_base_violations(graph):
    return [f"{imp.source}:{imp.line} imports {imp.target}: a shared base module imports no app"
            for imp in graph.imports
            if imp.target and matches(imp.source, SHARED_BASE) and imp.target.split(".")[0] != imp.source.split(".")[0]]


def cycle_violations(graph):
    return [f"import cycle: {' ↔ '.join(c)}" for c in cycles(graph)]


def inner_import_violations(graph):
    inner = inner_imports(graph)
    problems = [f"{imp.source}:{imp.line} imports inside {imp.function}() without a '# deferred: <reason>'"
                for imp in inner if not imp.reason]
    if len(inner) > MAX_INNER_IMPORTS:
        problems.append(f"{len(inner)} imports inside functions (at most {MAX_INNER_IMPORTS})")
    return problems


def all_violations(graph):
    return cycle_violations(graph) + layer_violations(graph) + interface_violations(graph) + \
        shared_base_violations(graph) + inner_import_violations(graph)


@pytest.fixture(scope="module")
def graph():
    return build()


def test_the_contract_sees_every_app(graph):
    apps = {m.split(".")[0] for m in graph.modules}
    assert apps == set(LAYERS) == set(INTERFACES) == set(APP_DEPENDENCIES)
    assert len(graph.modules) > 100


def test_no_import_cycles(graph):
    assert cycle_violations(graph) == []


def test_imports_point_down_the_layers_of_each_app(graph):
    assert layer_violations(graph) == []


def test_apps_meet_only_through_their_interfaces(graph):
    assert interface_violations(graph) == []


def test_the_shared_base_imports_no_app(graph):
    assert shared_base_violations(graph) == []


def test_imports_inside_functions_are_few_and_state_why(graph):
    assert inner_import_violations(graph) == []


# --- the contract fails when a change breaks it -----------------------------------------------


@pytest.fixture
def planted(tmp_path):
    """A copy of the apps' source where a test may plant a bad import."""
    for folder in graph_module.PACKAGES.values():
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("migrations", "tests", "locale", "templates", "static",
                                                      "__pycache__", "*.json", "*.xz", "*.txt", "*.md"))

    def plant(relpath, line, top=True):
        path = tmp_path / relpath
        source = path.read_text(encoding="utf-8")
        path.write_text(line + "\n" + source if top else source + "\n" + line + "\n", encoding="utf-8")
        return build(tmp_path)

    return plant


def test_the_copy_without_a_plant_is_clean(planted):
    assert all_violations(planted("casebank/numerals.py", "")) == []


def test_an_upward_import_is_reported(planted):
    graph = planted("casebank/citations.py", "from casebank.views import statutes")
    assert any("casebank.citations:1 (rules) imports casebank.views.statutes (entry points)" in p
               for p in layer_violations(graph))
    assert any("import cycle" in p for p in cycle_violations(graph))


def test_a_cycle_between_modules_of_one_layer_is_reported(planted):
    graph = planted("courses/learning.py", "from courses import progress")
    planted_again = planted("courses/progress.py", "from courses import learning")
    assert not any("learning" in p for p in cycle_violations(graph))  # one direction alone is fine
    assert any("courses.learning" in p and "courses.progress" in p for p in cycle_violations(planted_again))


def test_a_private_module_of_another_app_is_reported(planted):
    graph = planted("courses/views.py", "from exams.engine import start_sitting")
    assert any("courses.views:1 imports exams.engine: courses does not depend on exams" in p
               for p in interface_violations(graph))
    graph = planted("exams/views/officer.py", "from casebank.importers import import_statutes")
    assert any("imports casebank.importers, which is not an interface of casebank" in p
               for p in interface_violations(graph))


def test_an_app_import_in_the_shared_base_is_reported(planted):
    graph = planted("site/portal/spreadsheets.py", "from officers import roles")
    assert any("portal.spreadsheets:1 imports officers.roles: a shared base module imports no app" in p
               for p in shared_base_violations(graph))


def test_an_import_inside_a_function_needs_a_reason(planted):
    graph = planted("casebank/numerals.py", "def later():\n    import json\n    return json", top=False)
    assert any("casebank.numerals" in p and "inside later()" in p for p in inner_import_violations(graph))
    graph = planted("casebank/domain.py",
                    "def later():\n    import json  # deferred: only the export needs it\n    return json", top=False)
    assert not any("casebank.domain" in p for p in inner_import_violations(graph))


def test_an_unplaced_module_is_reported(planted, tmp_path):
    (tmp_path / "casebank" / "helpers.py").write_text("X = 1\n", encoding="utf-8")
    graph = planted("casebank/numerals.py", "")
    assert "casebank.helpers: not placed in a layer of casebank (add it to LAYERS)" in layer_violations(graph)
