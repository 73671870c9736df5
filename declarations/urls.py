from django.urls import path

from . import views

app_name = "declarations"
urlpatterns = [
    path("records/submit/<slug:form>/", views.submit, name="submit"),
    path("records/evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("staff/my-records/", views.my_records, name="mine"),
    path("staff/my-records/<str:reference>/", views.my_record, name="mine_detail"),
]
