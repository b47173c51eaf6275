from django.db import models


class Channel(models.TextChoices):
    """How a carrier leaves the unit (CR-9): only the first three for 秘密 and above."""

    EXCHANGE_STATION = "exchange_station", "机要交换站"
    COURIER = "courier", "专人送达"
    CONFIDENTIAL_MAIL = "confidential_mail", "机要通信"
    FAX = "fax", "传真"
    POST = "post", "普通邮寄"
    EMAIL = "email", "电子邮件"
    IM = "im", "即时通信"


SECURE_CHANNELS = (Channel.EXCHANGE_STATION, Channel.COURIER, Channel.CONFIDENTIAL_MAIL)


class RecallInterval(models.IntegerChoices):
    """清退周期 (CR-10): every half year or every year; 绝密 goes back at once regardless."""

    HALF_YEAR = 6, "每半年"
    YEAR = 12, "每年"
