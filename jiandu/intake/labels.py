AUDIT_LABELS = {
    "intake.batch.created": "开始导入",
    "intake.batch.imported": "导入数据",
    "intake.batch.interrupted": "导入中断",
    "intake.batch.resumed": "继续导入",
    "intake.batch.refused": "导入文件被拒绝",
    "intake.token.issued": "创建接口令牌",
    "intake.token.revoked": "停用接口令牌",
    "intake.report": "下载导入错误报告",
}
