"""Setting indicators up without /admin/: the hospital office and the 科主任 create, edit and
retire them; a rate may be allowed over 100% (加床)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keshi.indicators import services
from keshi.indicators.models import Indicator

pytestmark = pytest.mark.django_db
NEW = reverse("indicators:new")


def form(group, **extra):
    data = {
        "group": group.pk, "name": "出院患者满意度", "unit": "%", "kind": "rate", "factor": 100,
        "numerator_label": "满意人数", "denominator_label": "调查人数", "direction": "higher",
        "comparator": ">=", "target": "90", "period": "month",
    }  # fmt: skip
    return {**data, **extra}


@pytest.mark.parametrize("who", ["office", "head"])
def test_office_and_head_create_an_indicator(client, hospital, who):
    client.force_login(getattr(hospital, who))
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, form(hospital.neuro))
    indicator = Indicator.objects.get(name="出院患者满意度")
    assert response.status_code == 302 and response.url == reverse(
        "indicators:detail", args=[indicator.pk]
    )
    assert (indicator.org, indicator.target, indicator.comparator) == (
        hospital.org,
        Decimal(90),
        ">=",
    )
    assert indicator.history.first().history_user == getattr(hospital, who)


def test_a_head_sets_up_only_their_own_department(client, hospital):
    client.force_login(hospital.head)
    groups = client.get(NEW).context["form"].fields["group"].queryset
    assert list(groups) == [hospital.neuro]
    response = client.post(NEW, form(hospital.cardio))
    assert response.status_code == 200 and not Indicator.objects.filter(name="出院患者满意度")
    edit = reverse("indicators:edit", args=[hospital.occupancy.pk])
    client.force_login(hospital.cardio_head)
    assert client.get(edit).status_code in (403, 404)
    client.force_login(hospital.staff)
    assert client.get(NEW).status_code == 403
    assert client.get(edit).status_code == 403


def test_others_cannot_set_indicators_up(client, cast, hospital):
    for user in (cast.teacher, cast.district, cast.leader):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, form(hospital.neuro)).status_code == 403
    client.force_login(cast.office)  # a school's office: its own groups, not the hospital's
    response = client.post(NEW, form(hospital.neuro))
    assert response.status_code == 200 and response.context["form"].errors["group"]
    assert not Indicator.objects.filter(name="出院患者满意度").exists()


def test_a_duplicate_name_is_a_field_error(client, hospital):
    client.force_login(hospital.office)
    response = client.post(NEW, form(hospital.neuro, name="床位使用率"))
    assert response.status_code == 200 and response.context["form"].errors["name"]


def test_edit_then_retire_and_restore(client, hospital):
    client.force_login(hospital.office)
    pk = hospital.stay.pk
    data = form(hospital.neuro, name="平均住院日", kind="value", unit="天", direction="lower",
                comparator="<=", target="8.5")  # fmt: skip
    assert client.post(reverse("indicators:edit", args=[pk]), data).status_code == 302
    hospital.stay.refresh_from_db()
    assert hospital.stay.target == Decimal("8.5") and hospital.stay.comparator == "<="
    client.post(reverse("indicators:retire", args=[pk]))
    hospital.stay.refresh_from_db()
    assert not hospital.stay.active
    page = client.get(reverse("indicators:detail", args=[pk])).content.decode()
    assert "该指标已停用" in page and "重新启用" in page
    client.post(reverse("indicators:retire", args=[pk]), {"active": "1"})
    hospital.stay.refresh_from_db()
    assert hospital.stay.active


def test_bed_occupancy_over_100_percent_is_accepted_once_allowed(hospital):
    over = services.Figures(numerator=Decimal(110), denominator=Decimal(100))
    assert "numerator" in services.check_figures(hospital.occupancy, over)
    services.update_indicator(indicator=hospital.occupancy, by=hospital.office, may_exceed_100=True)
    assert services.check_figures(hospital.occupancy, over) == {}
