from django.urls import path

from baomi.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("verify/", views.verify_chain, name="verify"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export"),
    path("export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("checkpoints/", views.checkpoints, name="checkpoints"),
    path("checkpoints/new/", views.create_checkpoint, name="checkpoint_create"),
    path("checkpoints/<int:pk>.txt", views.download_checkpoint, name="checkpoint_download"),
    path("proofs/", views.proof, name="proof"),
]
