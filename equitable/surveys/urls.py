"""Survey URLs: results pages (views.py) and the import and question-bank pages
(import_views.py)."""

from equitable.surveys import import_views, views

app_name = "surveys"

urlpatterns = [*views.urlpatterns, *import_views.urlpatterns]
