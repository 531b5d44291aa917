"""案例推荐: a squad's leadership recommends a local case; it goes to 法制审核 as a draft."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from officers import roles
from officers.roles import role_required
from officers.scoping import own_profile

from .. import recommend as rules
from ..casework_forms import RecommendationForm


@role_required(roles.OFFICER)
def recommend(request):
    """The recommendation form (the case template) and the squad's recommendations so far."""
    if not rules.may_recommend(request.user):
        raise PermissionDenied
    unit = own_profile(request.user).unit
    form = RecommendationForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            rules.recommend(request.user, data, reason=data.pop("reason", ""))
        except rules.RecommendationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已推荐“%(title)s”，案例已作为草稿送法制审核。") % {"title": data["title"]})
            return redirect("casebank:recommend")
    items = rules.with_states(rules.for_unit(unit)[:50])
    return render(request, "casebank/similar/recommend.html", {
        "form": form, "errors": errors, "items": items, "unit": unit, "limit": rules.DAILY_LIMIT,
    }, status=400 if (errors or form.errors) else 200)
