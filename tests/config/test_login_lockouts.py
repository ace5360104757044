"""Lockouts that hold (issue 20): an account from any addresses, an address
for any accounts, IPv6 counted by /64; on top of axes' lockout of one
account from one address (tests/config/test_accounts.py)."""

import datetime

import pytest
from axes.models import AccessFailureLog
from django.utils import timezone

from config.login_lockouts import address_bucket
from config.models import LockoutKind, LoginLockout
from workflows.models import Notification
from workflows.notifications.services import render_event


def login(client, username, password, ip):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/inbox/"


def test_twenty_wrong_passwords_over_five_addresses_lock_the_account_and_tell_its_holder_and_the_administrator(
        tree, client):
    addresses = [f"203.0.113.{n}" for n in range(1, 6)]
    # 4 per address: under axes' per-address limit (5) everywhere.
    for attempt in range(19):
        response = login(client, "reviewer_a", "wrong", addresses[attempt % 5])
        assert response.status_code == 200, attempt
    assert not LoginLockout.objects.exists()
    response = login(client, "reviewer_a", "wrong", addresses[19 % 5])
    assert response.status_code == 429 and "账户已被锁定" in response.content.decode()

    lockout = LoginLockout.objects.get()
    assert (lockout.kind, lockout.key, lockout.failures, lockout.spread) == (LockoutKind.ACCOUNT, "reviewer_a", 20, 5)
    assert lockout.until - lockout.locked_at == datetime.timedelta(minutes=60)

    # The right password, from an address never seen before, is refused with the lockout page.
    response = login(client, "reviewer_a", "pw", "198.51.100.200")
    page = response.content.decode()
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "账户已被锁定" in page and "5 个地址" in page and "20 次" in page
    assert timezone.localtime(lockout.until).strftime("%Y-%m-%d %H:%M") in page
    # Another account from the same addresses is not affected.
    assert logged_in(login(client, "reviewer_b", "pw", addresses[0]))

    told = Notification.objects.filter(event="workflows.event.account_locked")
    assert sorted(told.values_list("user__username", flat=True)) == ["admin_d", "reviewer_a"]
    title, body = render_event("workflows.event.account_locked", told.first().data)
    assert "reviewer_a" in title and "20" in title and "5 个地址" in body
    # Told once, not again at every refused try.
    login(client, "reviewer_a", "wrong", "198.51.100.201")
    assert told.count() == 2
    assert LoginLockout.objects.count() == 1


def test_the_account_lockout_ends_after_its_time(tree, client):
    for attempt in range(20):
        login(client, "reviewer_a", "wrong", f"203.0.113.{attempt % 5 + 1}")
    assert login(client, "reviewer_a", "pw", "198.51.100.1").status_code == 429
    an_hour_ago = timezone.now() - datetime.timedelta(minutes=61)
    LoginLockout.objects.update(until=timezone.now() - datetime.timedelta(seconds=1))
    AccessFailureLog.objects.update(attempt_time=an_hour_ago)
    assert logged_in(login(client, "reviewer_a", "pw", "198.51.100.1"))


def test_failures_older_than_the_window_do_not_count(tree, client):
    for attempt in range(19):
        login(client, "reviewer_a", "wrong", f"203.0.113.{attempt % 5 + 1}")
    AccessFailureLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=61))
    assert login(client, "reviewer_a", "wrong", "203.0.113.9").status_code == 200
    assert not LoginLockout.objects.exists()


def test_one_address_trying_ten_accounts_is_locked(tree, client):
    names = ["submitter_a1", "chair_a1", "reviewer_a", "reviewer_a_2", "reviewer_d",
             "submitter_b1", "chair_b1", "reviewer_b", "nobody-1", "nobody-2"]
    for name in names[:9]:
        assert login(client, name, "wrong", "192.0.2.50").status_code == 200, name
    response = login(client, names[9], "wrong", "192.0.2.50")
    assert response.status_code == 429 and "来自该网络的登录已被锁定" in response.content.decode()
    lockout = LoginLockout.objects.get()
    assert (lockout.kind, lockout.key, lockout.spread) == (LockoutKind.ADDRESS, "192.0.2.50", 10)

    # From that address even a right password, for an account it never tried, is refused ...
    response = login(client, "outsider", "pw", "192.0.2.50")
    assert response.status_code == 429 and "10 个不同账户" in response.content.decode()
    # ... while the accounts themselves are not locked elsewhere.
    assert logged_in(login(client, "reviewer_a", "pw", "192.0.2.51"))
    assert not Notification.objects.filter(event="workflows.event.account_locked").exists()


def test_nine_accounts_from_one_address_are_not_locked(tree, client):
    for name in ["submitter_a1", "chair_a1", "reviewer_a", "reviewer_a_2", "reviewer_d",
                 "submitter_b1", "chair_b1", "reviewer_b", "nobody-1"]:
        login(client, name, "wrong", "192.0.2.50")
        login(client, name, "wrong", "192.0.2.50")  # a second try of the same account adds no account
    assert logged_in(login(client, "outsider", "pw", "192.0.2.50"))


@pytest.mark.parametrize("address,bucket", [
    ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
    ("2001:db8:1:2::1", "2001:db8:1:2::"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("192.0.2.7", "192.0.2.7"),
    (None, None),
])
def test_addresses_are_counted_ipv4_alone_and_ipv6_by_64(address, bucket):
    assert address_bucket(address) == bucket


def test_ipv6_addresses_of_one_64_share_the_per_address_lockout(tree, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(1, 6):
        login(client, "reviewer_a", "wrong", f"2001:db8:1:2::{n:x}")
    # Axes' own lockout (account + address): the /64 counts as one address.
    response = login(client, "reviewer_a", "pw", "2001:db8:1:2:ffff::99")
    assert response.status_code == 429 and "在这台电脑上已被暂时锁定" in response.content.decode()
    assert logged_in(login(client, "reviewer_a", "pw", "2001:db8:1:3::1"))


def test_ipv6_addresses_of_one_64_trying_ten_accounts_are_locked(tree, client):
    for n in range(10):
        login(client, f"guess-{n}", "wrong", f"2001:db8:9:9::{n + 1:x}")
    assert LoginLockout.objects.get().key == "2001:db8:9:9::"
    assert login(client, "outsider", "pw", "2001:db8:9:9:1234::1").status_code == 429
    assert logged_in(login(client, "outsider", "pw", "2001:db8:9:a::1"))
