"""People switch between Vietnamese and English from any admin page, the login page included."""

from django.contrib.auth import get_user_model


def test_the_login_page_offers_the_language_switch_in_vietnamese_by_default(client, db):
    page = client.get("/admin/login/").content.decode()
    assert 'id="language-switch"' in page
    assert "Hồ sơ luân chuyển cán bộ" in page


def test_choosing_english_turns_the_admin_to_english_and_back(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-Secure-123")
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert response.status_code == 302
    assert "Cadre rotation records" in client.get("/admin/").content.decode()

    client.post("/i18n/setlang/", {"language": "vi", "next": "/admin/"})
    assert "Hồ sơ luân chuyển cán bộ" in client.get("/admin/").content.decode()
