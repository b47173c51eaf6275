from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "baomi.imports"
    verbose_name = "台账导入"
