from hypothesis import given
from hypothesis import strategies as st

from keshi.originality.normalize import normalize, normalize_with_offsets


def test_width_punctuation_space_and_case_do_not_matter():
    assert (
        normalize("Ａｂｃ，教学　反思！\n第１２周")
        == normalize("abc教学反思第12周")
        == "abc教学反思第周"
    )


def test_template_filler_and_what_fills_it_normalise_alike():
    template = "20xx年××学校某某老师在【学校名称】XX年级的反思"
    filled = "2025年学校老师在年级的反思"
    assert normalize(template) == normalize(filled) == "年学校老师在年级的反思"
    assert normalize("请填写____，***") == "请填写"


@given(st.text(alphabet=st.sampled_from("教学反思，。 ２０xX×某【】Ａa1\n_*○"), max_size=60))
def test_offsets_point_at_the_original_characters(text):
    norm, offsets = normalize_with_offsets(text)
    assert norm == normalize(text)
    assert len(offsets) == len(norm)
    assert offsets == sorted(offsets)
    for ch, i in zip(norm, offsets, strict=True):
        assert ch in normalize(text[i])
