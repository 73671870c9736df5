from django.apps import AppConfig


class StockWagtailConfig(AppConfig):
    name = "bench.stock_wagtail"
    label = "stockpage"
    default_auto_field = "django.db.models.AutoField"
