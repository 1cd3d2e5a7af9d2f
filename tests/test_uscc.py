"""The unified social credit code (GB 32100-2015): what is valid, what is not, and why."""

import random

import pytest

from zhizao import uscc

# The worked example printed in GB 32100-2015, and codes built from parts.
VALID = ["91350100M000100Y43", uscc.make("500105", "MA5U1234"), uscc.make("500000", "20286638", "5", "1")]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert uscc.is_valid(code)
    assert uscc.problem(code) is None


def test_the_standards_example_has_check_character_3():
    assert uscc.check_char("91350100M000100Y4") == "3"


def test_weights_are_powers_of_three_mod_31():
    assert uscc.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(
    "code, reason",
    [
        ("91350100M000100Y44", "check character is '4', expected '3'"),
        ("91350100M000100Y4", "must have 18 characters, has 17"),
        ("91350100M000100Y4I", "character 'I' is not allowed"),
        ("91350100M000100Y4O", "character 'O' is not allowed"),
        ("Z1350100M000100Y43", "character 'Z' is not allowed"),
        ("H1350100M000100Y43", "unknown registration authority 'H'"),
        ("9535010000000100Y4", None),  # type 5 is not issued by authority 9 (checked before the check char)
        ("91ABCDEFM000100Y43", "positions 3-8 must be a six-digit administrative-division code"),
    ],
)
def test_invalid_codes_say_why(code, reason):
    why = uscc.problem(code)
    assert why is not None
    if reason:
        assert reason in why


def test_every_single_character_change_is_caught():
    code = VALID[1]
    rng = random.Random(1)
    for pos in range(18):
        for _ in range(5):
            c = rng.choice(uscc.ALPHABET)
            if c == code[pos]:
                continue
            bad = code[:pos] + c + code[pos + 1 :]
            assert not uscc.is_valid(bad), bad


def test_validate_normalises_case_and_space_or_raises():
    assert uscc.validate(" 91350100m000100y43 ") == "91350100M000100Y43"
    with pytest.raises(uscc.USCCError) as e:
        uscc.validate("91350100M000100Y44")
    assert "expected '3'" in str(e.value)


def test_organisation_code_check_is_optional():
    made = uscc.make("500105", "MA5U1234")
    assert uscc.is_valid(made, check_org=True)
    first17 = made[:16] + ("0" if made[16] != "0" else "1")  # break the org-code check character only
    broken = first17 + uscc.check_char(first17)
    assert uscc.is_valid(broken)
    assert not uscc.is_valid(broken, check_org=True)


def test_non_text_is_not_a_code():
    assert uscc.problem(91350100) == "not text"
