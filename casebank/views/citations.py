"""Views (being built)."""
from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


law_index = law_detail = article_permalink = _missing
power_list = power_detail = benchmark_list = benchmark_detail = _missing
public_power_list = public_power_detail = public_benchmark_list = public_benchmark_detail = _missing
check_page = _missing


def case_index(request, index_page=None):
    raise Http404


def case_detail(request, page=None):
    raise Http404
