from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "keshi.onboarding"
    verbose_name = "初始设置"
