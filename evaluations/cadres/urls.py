from django.urls import path

from ballots.paper_page import batches_view, confirm_view
from workflows.cases.list_views import case_list
from workflows.coverage.moved import moved_to_the_coverage_page

from . import public_views, views, vote_views
from .paper import PAGE as PAPER_PAGE

app_name = "cadres"
urlpatterns = [
    path("cadres/", case_list, {"process_key": "cadres"}, name="evaluation_list"),
    path("cadres/new/", views.evaluation_create, name="evaluation_create"),
    # The coverage is a section of the one coverage page now.
    path("cadres/coverage/", moved_to_the_coverage_page, name="coverage"),
    path("cadres/<slug:code>/", views.evaluation_detail, name="evaluation_detail"),
    path("cadres/<slug:code>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("cadres/<slug:code>/submit/", views.evaluation_submit, name="evaluation_submit"),
    path("cadres/<slug:code>/decide/", views.evaluation_decide, name="evaluation_decide"),
    path("cadres/<slug:code>/voters/import/", views.voters_import, name="voters_import"),
    path("cadres/<slug:code>/voters/", views.voters_sign_in, name="voters_sign_in"),
    path("cadres/<slug:code>/codes/", views.codes_generate, name="codes_generate"),
    path("cadres/<slug:code>/slips.pdf", views.slips_print, name="slips_print"),
    path("cadres/<slug:code>/slips/replace/", views.slip_replace, name="slip_replace"),
    # The tellers' page of the paper ballots: the engine's (ballots).
    path("cadres/<slug:code>/paper/", batches_view, {"page": PAPER_PAGE}, name="paper_batches"),
    path("cadres/<slug:code>/paper/<int:number>/confirm/", confirm_view, {"page": PAPER_PAGE},
         name="paper_batch_confirm"),
    path("cadres/<slug:code>/results.<str:fmt>", views.result_sheet, name="result_sheet"),
    # Public: the voting page (a one-time code, no login) and the published results.
    path("vote/<slug:code>/", vote_views.vote, name="vote"),
    path("results/<slug:code>/", public_views.public_results, name="public_results"),
    path("results/<slug:code>/results.<str:fmt>", public_views.public_result_sheet, name="public_result_sheet"),
]
