from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "keshi.demo"
    verbose_name = "演示数据"
