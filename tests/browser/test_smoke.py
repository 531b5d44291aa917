"""Every role logs in through the real form and lands on its dashboard; the phone menu works."""
import pytest

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_officer_logs_in_on_a_phone_and_uses_the_menu(phone, shots, officer_user):
    login(phone, "officer_a", PASSWORD)
    assert phone.locator("h1").inner_text().startswith(officer_user.officer.full_name)
    shots(phone, "dashboard")
    # On a 375px screen the navigation is folded behind the menu button.
    nav = phone.locator(".site-nav")
    assert not nav.is_visible()
    phone.click(".nav-button")
    assert nav.is_visible()
    shots(phone, "menu-open")
    # No horizontal scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_wrong_password_keeps_username_and_explains(phone, officer_user):
    phone.goto("/accounts/login/")
    phone.fill("#id_username", "officer_a")
    phone.fill("#id_password", "not-the-password")
    phone.click("button[type=submit]")
    assert "用户名或密码不正确" in phone.locator(".form-errors").inner_text()
    assert phone.input_value("#id_username") == "officer_a"


def test_hr_switches_language(desktop, shots, hr_user):
    login(desktop, "hr_jb", PASSWORD)
    assert "本单位人员" in desktop.content()
    # Choosing a language submits the switch form; wait for the page it leads to.
    with desktop.expect_navigation():
        desktop.select_option("#lang-select", "en")
    assert desktop.locator("html").get_attribute("lang") == "en"
    shots(desktop, "english")
