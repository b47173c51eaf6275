from django.db import models

from baomi.carriers.choices import CarrierKind


class DeviceKind(models.TextChoices):
    """设备类型 as the official ledgers name them (DEV-1, DEV-7)."""

    DESKTOP = "desktop", "台式计算机"
    LAPTOP = "laptop", "便携式计算机"
    SERVER = "server", "服务器"
    USB_DRIVE = "usb_drive", "U盘"
    HARD_DISK = "hard_disk", "移动硬盘"
    MEMORY_CARD = "memory_card", "存储卡"
    OPTICAL_DISC = "optical_disc", "光盘"
    PRINTER = "printer", "打印机"
    COPIER = "copier", "复印机"
    FAX = "fax", "传真机"
    SHREDDER = "shredder", "碎纸机"
    CRYPTO = "crypto", "密码设备"


COMPUTER_KINDS = (DeviceKind.DESKTOP, DeviceKind.LAPTOP, DeviceKind.SERVER)
MEDIA_KINDS = (
    DeviceKind.USB_DRIVE,
    DeviceKind.HARD_DISK,
    DeviceKind.MEMORY_CARD,
    DeviceKind.OPTICAL_DISC,
)
OFFICE_KINDS = (DeviceKind.PRINTER, DeviceKind.COPIER, DeviceKind.FAX, DeviceKind.SHREDDER)

# A classified device is a carrier of this kind (DEV-1: one numbering, one custody history).
CARRIER_KIND = {
    DeviceKind.DESKTOP: CarrierKind.COMPUTER,
    DeviceKind.LAPTOP: CarrierKind.COMPUTER,
    DeviceKind.SERVER: CarrierKind.COMPUTER,
    DeviceKind.USB_DRIVE: CarrierKind.USB_DRIVE,
    DeviceKind.HARD_DISK: CarrierKind.HARD_DISK,
    DeviceKind.MEMORY_CARD: CarrierKind.MEMORY_CARD,
    DeviceKind.OPTICAL_DISC: CarrierKind.OPTICAL_DISC,
}


class Ledger(models.TextChoices):
    """The device ledgers (台帐) of DEV-1 and DEV-7; the URL slug is the value."""

    CLASSIFIED_COMPUTERS = "classified-computers", "涉密计算机台帐"
    COMPUTERS = "computers", "非涉密计算机台帐"
    CLASSIFIED_MEDIA = "classified-media", "涉密移动存储介质台帐"
    MEDIA = "media", "非涉密移动存储介质台帐"
    OFFICE = "office-equipment", "办公自动化设备台帐"
    CRYPTO = "crypto", "密码设备台帐"


class Network(models.TextChoices):
    STANDALONE = "standalone", "单机"
    CLASSIFIED = "classified", "涉密网"
    INTRANET = "intranet", "非涉密内网"
    INTERNET = "internet", "互联网"


# DEV-2: 物理隔离 — a classified computer never sits on these.
ORDINARY_NETWORKS = (Network.INTRANET, Network.INTERNET)


class DeviceStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    SPARE = "spare", "备用"
    REPAIR = "repair", "维修中"
    RETIRED = "retired", "停用"
    SCRAPPING = "scrapping", "待报废"
    SCRAPPED = "scrapped", "已报废"


class CheckResult(models.TextChoices):
    CLEAN = "clean", "未发现涉密信息"
    FINDINGS = "findings", "发现涉密标志"
    INCOMPLETE = "incomplete", "部分文件无法检查"


class DiskHandling(models.TextChoices):
    REMOVED = "removed", "拆除硬盘后送修"
    KEPT = "kept", "保留硬盘，现场监修"


class RepairState(models.TextChoices):
    OPEN = "open", "维修中"
    DONE = "done", "已修复返回"


USE_KIND = "device_use"  # 他人使用涉密计算机 (DEV-2)
REPAIR_KIND = "device_repair"  # 维修 (DEV-4)
DISPOSAL_KIND = "device_disposal"  # 报废 / 改变用途 (DEV-4)
