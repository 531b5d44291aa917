"""Models of the casebank app: the statute library (laws, articles), the power list,
discretion benchmarks, the case pages (案例), and officers' bookmarks and feedback (casebank.personal).

The classes live in two layers: the data (casebank.library), which the rules and services
import, and the pages with the models edited through the app's own forms and panels
(casebank.pages). This module re-exports both, so Django and the other apps keep using
``casebank.models``; modules of the case bank import the layer they need instead.

Other apps also find here the one rule naming a discretion level (``level_label``): one of the usual
level words (轻微, 一般, 严重 …) in the reader's language, any other name as entered."""
from .casework import (
    CaseRecommendation,
    ReportStatus,
    SimilarCaseAssignment,
    SimilarCaseComparison,
    SimilarCaseReport,
)
from .library import (
    CHINA_PREFIX,
    Article,
    ArticleReference,
    DutyArea,
    EnforcementMeasure,
    ImportRecord,
    Law,
    LawSuccession,
    PowerItem,
    PowerItemBasis,
)
from .pages import (
    CaseIndexPage,
    CaseLegalBasis,
    CasePage,
    CaseProcedureStep,
    CaseRelation,
    CaseTag,
    CitationReviewTask,
    DiscretionBenchmark,
    DiscretionBenchmarkBasis,
    DiscretionLevel,
    citation_problems,
    level_label,
)
from .personal import Bookmark, CaseFeedback, CaseFeedbackKind, CaseFeedbackStatus

__all__ = [
    "CHINA_PREFIX",
    "Article",
    "ArticleReference",
    "Bookmark",
    "CaseFeedback",
    "CaseFeedbackKind",
    "CaseFeedbackStatus",
    "CaseIndexPage",
    "CaseLegalBasis",
    "CasePage",
    "CaseProcedureStep",
    "CaseRecommendation",
    "CaseRelation",
    "CaseTag",
    "CitationReviewTask",
    "DiscretionBenchmark",
    "DiscretionBenchmarkBasis",
    "DiscretionLevel",
    "DutyArea",
    "EnforcementMeasure",
    "ImportRecord",
    "Law",
    "LawSuccession",
    "PowerItem",
    "PowerItemBasis",
    "ReportStatus",
    "SimilarCaseAssignment",
    "SimilarCaseComparison",
    "SimilarCaseReport",
    "citation_problems",
    "level_label",
]
