from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.benchdata"
    label = "benchdata"
    verbose_name = "规模测试数据"
