AUDIT_LABELS = {
    "intake.batch.imported": "导入数据",
    "intake.batch.refused": "导入文件被拒绝",
    "intake.token.issued": "创建接口令牌",
    "intake.token.revoked": "停用接口令牌",
    "intake.report": "下载导入错误报告",
}
