"""The search page, the JSON API and suggestions: thin wrappers round search.pipeline."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from core import published
from core.text import normalise

from . import analytics, pipeline

MAX_QUERY_LENGTH = 2000
PAGE_SIZE = 10


def _query(request):
    return request.GET.get("q", "")[:MAX_QUERY_LENGTH]


@require_GET
def search_page(request):
    published.remember_site_root_paths(request)  # the links of the page read the sites from the snapshot
    raw = _query(request)
    found = pipeline.search(request, raw) if raw.strip() else None
    if found and found.query.normalised and request.GET.get("page") in (None, "", "1"):
        analytics.record_search(found.query.normalised, found.total)
    page = Paginator(found.results if found else [], PAGE_SIZE).get_page(request.GET.get("page"))
    groups, shown, answer = [], list(page.object_list), None
    if found and found.sureness == pipeline.SURE and page.number == 1 and shown:
        answer, shown = shown[0], shown[1:]  # the answer has its own card above the rest
    if found:
        for kind, label in (
            (pipeline.KIND_GUIDANCE, "Answers"),
            (pipeline.KIND_SECTION, "Policy sections"),
            (pipeline.KIND_POLICY, "Policies"),
            ("page", "Pages"),
        ):
            items = [r for r in shown if r.kind == kind]
            if items:
                groups.append((label, items))
    response = TemplateResponse(
        request,
        "sitesearch/search.html",
        {
            "query": raw,
            "found": found,
            "page_obj": page,
            "groups": groups,
            "answer": answer,
            "answer_sections": pipeline.sections_behind(request, answer),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def search_api(request):
    raw = _query(request)
    found = pipeline.search(request, raw)
    if found.query.normalised:
        analytics.record_search(found.query.normalised, found.total)
    try:
        limit = max(1, min(int(request.GET.get("limit", 20)), 50))
    except ValueError:
        limit = 20
    return JsonResponse(
        {
            "query": raw,
            "corrected_query": found.query.did_you_mean,
            "total": found.total,
            # sure: the first result is the answer; unsure: these might help; nothing: no answer (ask HR)
            "confidence": found.sureness,
            "nothing_found": found.nothing_found,
            "results": [
                {
                    "title": r.display_title,
                    "url": r.url,
                    "kind": r.kind,
                    "snippet": str(r.snippet),
                    "short_answer": r.short_answer,
                    "audience": r.audience,
                }
                for r in found.results[:limit]
            ],
        },
        headers={"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"},
    )


@require_GET
def suggest_api(request):
    raw = _query(request)
    return JsonResponse(
        {"query": raw, "suggestions": pipeline.suggestions(request, raw)},
        headers={"Cache-Control": "private, no-store"},
    )


@require_GET
def open_result(request):
    """Count that a search led somewhere, then go there. Only pages of this site or of the trust's other sites
    (a trust policy lives on the trust's own site): never an address elsewhere."""
    target = request.GET.get("to", "/")
    ours = {request.get_host()}
    for site in published.current().sites:
        ours |= {site.hostname, f"{site.hostname}:{site.port}"}
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=ours, require_https=request.is_secure()):
        target = "/"
    query = normalise(_query(request))
    if query:
        analytics.record_click(query)
    return redirect(target)
