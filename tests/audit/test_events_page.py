from jiandu.audit.log import log


def test_supervisor_browses_and_filters_the_audit_trail(personas, units, client_for):
    log("ledger.problem.created", actor=personas["clerk_a"], unit=units["a"], object_repr="问题甲")
    log("orgs.login", actor=personas["clerk_b"], unit=units["b"], object_repr="clerk_b")
    client = client_for(personas["supervisor"])
    page = client.get("/audit/").content.decode()
    assert "问题甲" in page and "登记问题" in page
    filtered = client.get(f"/audit/?unit={units['b'].pk}").content.decode()
    assert "问题甲" not in filtered and "clerk_b" in filtered
    by_action = client.get("/audit/?action=ledger.problem.created").content.decode()
    assert "问题甲" in by_action and "clerk_b" not in by_action


def test_unit_users_and_discipline_cannot_open_the_audit_trail(personas, client_for):
    assert client_for(personas["clerk_a"]).get("/audit/").status_code == 403
    assert client_for(personas["discipline"]).get("/audit/").status_code == 403
    assert client_for(None).get("/audit/").status_code == 302


def test_export_is_exactly_the_filtered_rows_and_is_audited(personas, units, client_for):
    import io

    from openpyxl import load_workbook

    from jiandu.audit.models import AuditEvent

    log("ledger.problem.created", actor=personas["clerk_a"], unit=units["a"], object_repr="问题甲")
    log("ledger.problem.created", actor=personas["clerk_b"], unit=units["b"], object_repr="问题乙")
    response = client_for(personas["supervisor"]).get(f"/audit/export/?unit={units['a'].pk}")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "审计记录" and ws["A2"].value == "时间"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [(r[1], r[3], r[4]) for r in rows] == [("clerk_a", "登记问题", "问题甲")]
    assert AuditEvent.objects.filter(action="audit.export").count() == 1
    assert client_for(personas["clerk_a"]).get("/audit/export/").status_code == 403


def test_malformed_filters_are_named_and_ignored_not_a_500(personas, units, client_for):
    log("orgs.login", actor=personas["clerk_b"], unit=units["b"], object_repr="clerk_b")
    client = client_for(personas["supervisor"])
    for params, message in (
        ({"unit": "abc"}, "单位参数无效"),
        ({"unit": "99999999999999999999"}, "单位参数无效"),
        ({"since": "2026-13-45"}, "起始日期格式应为"),
        ({"until": "abc"}, "截止日期格式应为"),
    ):
        response = client.get("/audit/", params)
        page = response.content.decode()
        assert response.status_code == 200 and message in page and "clerk_b" in page
        assert client.get("/audit/export/", params).status_code == 200
    page = client.get("/audit/", {"since": "2999-01-01"}).content.decode()
    assert "clerk_b" not in page and "日期格式应为" not in page
