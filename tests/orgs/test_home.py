import pytest

from tests.orgs.factories import make_user


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("supervisor", "/dashboard/"),
        ("discipline", "/ledger/leads/"),
        ("clerk_a", "/dashboard/todo/"),
        ("leader_b", "/dashboard/todo/"),
    ],
)
def test_each_role_starts_where_its_work_is(personas, client_for, who, target):
    response = client_for(personas[who]).get("/")
    assert response.status_code == 302 and response["Location"] == target


def test_an_account_without_unit_or_role_is_told_so(db, client_for):
    response = client_for(make_user("nobody", None)).get("/")
    assert response.status_code == 200
    assert "您的账号尚未分配单位或角色" in response.content.decode()


def test_the_navigation_shows_each_role_its_entries(personas, client_for):
    def nav(who):
        response = client_for(personas[who]).get("/notifications/")
        return {item["label"] for item in response.context["nav_items"]}

    assert {"审计记录", "预警规则", "数据导入"} <= nav("supervisor")
    assert "待办事项" not in nav("supervisor")
    clerk = nav("clerk_a")
    assert {"待办事项", "数据导入"} <= clerk
    assert not {"审计记录", "预警规则", "问题线索"} & clerk
    assert "问题线索" in nav("discipline") and "数据导入" not in nav("discipline")
