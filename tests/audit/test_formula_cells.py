"""The audit export holds names an administrator typed (a person, a unit) as text even
when they look like formulas."""

from tests.formula_cells import HYPERLINK, assert_neutralised_xlsx


def test_audit_export_holds_formula_like_names_as_text(personas, units, client_for):
    clerk = personas["clerk_a"]
    clerk.full_name = HYPERLINK
    clerk.save()
    units["a"].name = "-cmd"
    units["a"].save()
    assert client_for(clerk).get("/ledger/export/").status_code == 200  # audited
    response = client_for(personas["supervisor"]).get(f"/audit/export/?unit={units['a'].pk}")
    assert response.status_code == 200
    assert_neutralised_xlsx(response.content, [HYPERLINK, "-cmd"])
