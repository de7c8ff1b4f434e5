"""Where an org-set provider URL may point (issue 12 item 2): the address classifier, the operator's
allow-list, the save-time check, and the connect-time check over real HTTP on 127.0.0.x."""

from __future__ import annotations

import ipaddress

import httpx2
import pytest

from config.settings import ConfigError, load_settings
from services.llm import egress
from services.llm.egress import AddressNotAllowed, AllowList, check_base_url, classify_address, parse_address
from tests.unit.llm.raw_server import RawServer

LOOPBACK = "private network (loopback)"
RFC1918 = "private network (RFC 1918)"
METADATA = "cloud metadata service"


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("127.0.0.1", LOOPBACK),
        ("127.8.9.10", LOOPBACK),
        ("10.0.0.5", RFC1918),
        ("172.16.0.1", RFC1918),
        ("172.31.255.254", RFC1918),
        ("192.168.1.1", RFC1918),
        ("100.64.0.1", "private network (shared address space 100.64.0.0/10)"),
        ("100.127.255.254", "private network (shared address space 100.64.0.0/10)"),
        ("169.254.1.1", "private network (link-local)"),
        ("169.254.169.254", METADATA),
        ("100.100.100.200", METADATA),
        ("0.0.0.0", "unspecified address"),
        ("0.1.2.3", "unspecified address"),
        ("224.0.0.1", "multicast address"),
        ("239.255.255.250", "multicast address"),
        ("240.0.0.1", "reserved address"),
        ("255.255.255.255", "reserved address"),
        ("192.0.2.10", "reserved address"),
        ("198.18.0.1", "reserved address"),
        # IPv6
        ("::1", LOOPBACK),
        ("::", "unspecified address"),
        ("fe80::1", "private network (link-local)"),
        ("fe80::1%eth0", "private network (link-local)"),
        ("fc00::1", "private network (unique local fc00::/7)"),
        ("fd12:3456::1", "private network (unique local fc00::/7)"),
        ("fd00:ec2::254", METADATA),
        ("fec0::1", "private network (site-local)"),
        ("ff02::1", "multicast address"),
        ("2001:db8::1", "reserved address"),
        # IPv6 forms that carry an IPv4 address: the IPv4 one is what is reached
        ("::ffff:127.0.0.1", LOOPBACK),
        ("::ffff:7f00:1", LOOPBACK),
        ("::ffff:10.1.2.3", RFC1918),
        ("::ffff:169.254.169.254", METADATA),
        ("64:ff9b::a9fe:a9fe", METADATA),
        ("2002:c0a8:0101::1", RFC1918),
        ("::127.0.0.1", LOOPBACK),
        # legacy IPv4 spellings that resolvers (inet_aton) accept
        ("2130706433", LOOPBACK),
        ("0177.0.0.1", LOOPBACK),
        ("0x7f.0.0.1", LOOPBACK),
        ("0x7f000001", LOOPBACK),
        ("127.1", LOOPBACK),
        ("017700000001", LOOPBACK),
        ("2852039166", METADATA),  # 169.254.169.254
        ("0xa9.0xfe.0xa9.0xfe", METADATA),
        ("[::1]", LOOPBACK),
    ],
)
def test_internal_addresses_are_classified(host: str, reason: str) -> None:
    address = parse_address(host)
    assert address is not None, host
    assert classify_address(address) == reason


@pytest.mark.parametrize(
    "host", ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(host: str) -> None:
    address = parse_address(host)
    assert address is not None and classify_address(address) is None


@pytest.mark.parametrize("host", ["example.com", "deadbeef.cafe", "1.2.3.4.5", "api.openai.com", "0xg.1"])
def test_names_are_not_addresses(host: str) -> None:
    assert parse_address(host) is None


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("metadata.google.internal", METADATA),
        ("METADATA.google.internal.", METADATA),
        ("metadata", METADATA),
        ("metadata.goog", METADATA),
        ("instance-data.ec2.internal", METADATA),
        ("localhost", LOOPBACK),
        ("LocalHost.", LOOPBACK),
        ("anything.localhost", LOOPBACK),
    ],
)
def test_special_names_are_refused_without_a_lookup(host: str, reason: str, monkeypatch) -> None:
    def no_lookup(name: str, port: int) -> list[str]:
        raise AssertionError(f"looked up {name}")

    monkeypatch.setattr(egress, "resolve", no_lookup)
    with pytest.raises(AddressNotAllowed) as refused:
        check_base_url(f"http://{host}/v1", AllowList())
    assert refused.value.reason == reason
    assert str(refused.value) == f"the provider address is not allowed: {reason}"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:11434/v1",
        "http://[::1]:8080/v1",
        "http://[::ffff:127.0.0.1]/v1",
        "http://2130706433/v1",
        "http://0177.0.0.1/v1",
        "http://10.0.0.8/v1",
        "http://169.254.169.254/latest/meta-data",
        "http://[fd00:ec2::254]/latest",
        "http://100.64.1.1/v1",
        "http://0.0.0.0:8000/v1",
    ],
)
def test_save_time_check_refuses_internal_urls(url: str) -> None:
    with pytest.raises(AddressNotAllowed, match="^the provider address is not allowed: "):
        check_base_url(url, AllowList())


def test_the_allow_list_takes_names_addresses_and_networks() -> None:
    allow = AllowList.parse(["127.0.0.1", "::1", "localhost", "10.20.0.0/16", "ollama.lan", " "])
    check_base_url("http://127.0.0.1:11434/v1", allow)
    check_base_url("http://[::1]:11434/v1", allow)
    check_base_url("http://[::ffff:127.0.0.1]:11434/v1", allow)
    check_base_url("http://localhost:11434/v1", allow)
    check_base_url("http://10.20.3.4/v1", allow)
    with pytest.raises(AddressNotAllowed):
        check_base_url("http://127.0.0.2/v1", allow)
    with pytest.raises(AddressNotAllowed):
        check_base_url("http://10.21.0.1/v1", allow)
    assert allow.allows_name("OLLAMA.lan.")


def test_a_broad_network_never_opens_the_metadata_service() -> None:
    broad = AllowList.parse(["169.254.0.0/16", "100.64.0.0/10"])
    check_base_url("http://169.254.10.10/v1", broad)
    for url in ("http://169.254.169.254/", "http://100.100.100.200/"):
        with pytest.raises(AddressNotAllowed, match="cloud metadata service"):
            check_base_url(url, broad)
    check_base_url("http://169.254.169.254/", AllowList.parse(["169.254.169.254"]))


def test_a_name_that_does_not_resolve_now_can_be_saved() -> None:
    check_base_url("https://llm.invalid/v1", AllowList())  # checked again when connecting


def test_a_name_resolving_to_any_private_address_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(egress, "resolve", lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(AddressNotAllowed, match=RFC1918.replace("(", r"\(").replace(")", r"\)")):
        check_base_url("https://mixed.example/v1", AllowList())


# --- settings ------------------------------------------------------------------------------------


def test_the_setting_defaults_to_loopback_outside_production_and_nothing_in_it(tmp_path) -> None:
    test = load_settings(app_env="test", instance_path=tmp_path)
    assert test.llm_allowed_hosts_in_force == ["127.0.0.1", "::1", "localhost"]
    development = load_settings(app_env="development", instance_path=tmp_path)
    assert development.llm_allowed_hosts_in_force == ["127.0.0.1", "::1", "localhost"]
    production = load_settings(
        app_env="production",
        secret_key="x" * 40,
        database_url="postgresql://u@db/x",
        redis_url="redis://r",
        llm_provider="offline",
    )
    assert production.llm_allowed_hosts_in_force == []
    explicit = load_settings(
        app_env="test", instance_path=tmp_path, llm_allowed_hosts=" ollama.lan, 10.0.0.0/8 "
    )
    assert explicit.llm_allowed_hosts_in_force == ["ollama.lan", "10.0.0.0/8"]
    nothing = load_settings(app_env="test", instance_path=tmp_path, llm_allowed_hosts="")
    assert nothing.llm_allowed_hosts_in_force == []


def test_the_setting_refuses_what_is_not_a_host(tmp_path) -> None:
    with pytest.raises(ConfigError, match="LLM_ALLOWED_HOSTS"):
        load_settings(app_env="test", instance_path=tmp_path, llm_allowed_hosts="http://ollama.lan:11434")


# --- the connect-time check, real HTTP -----------------------------------------------------------


def _client(allowed: list[str]) -> httpx2.Client:
    return egress.guarded_http_client(AllowList.parse(allowed), timeout=5)


def test_the_transport_refuses_before_connecting() -> None:
    with RawServer(200, "db_password=hunter2") as internal, _client([]) as client:
        with pytest.raises(httpx2.ConnectError) as raised:
            client.get(f"{internal.url}/secret")
        assert internal.requests == 0
    assert egress.find_refusal(raised.value) is not None
    assert "hunter2" not in str(raised.value)


def test_the_transport_lets_allowed_hosts_through() -> None:
    with RawServer(200, "fine") as service, _client(["127.0.0.1"]) as client:
        assert client.get(f"{service.url}/v1").text == "fine"
        assert service.requests == 1


def test_a_redirect_to_an_internal_host_is_refused() -> None:
    """The allowed host answers 302 to another loopback address: the redirect is checked too."""
    with RawServer(200, "db_password=hunter2", host="127.0.0.2") as internal:
        with RawServer(302, "", headers={"Location": f"{internal.url}/secret"}) as front:
            with _client(["127.0.0.1"]) as client, pytest.raises(httpx2.ConnectError) as raised:
                client.get(f"{front.url}/v1")
            assert front.requests == 1
        assert internal.requests == 0
    assert egress.find_refusal(raised.value).reason == LOOPBACK


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch) -> None:
    """A name only our resolver knows: reaching the server proves the socket used the checked address,
    and the Host header still carries the name."""
    seen: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        seen.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(egress, "resolve", resolver)
    with RawServer(200, "fine") as service, _client(["127.0.0.1"]) as client:
        assert client.get(f"http://llm.internal.invalid:{service.port}/v1").text == "fine"
        assert service.host_headers == [f"llm.internal.invalid:{service.port}"]
    assert seen == ["llm.internal.invalid"]


def test_rebinding_to_a_private_address_at_connect_time_is_refused(monkeypatch) -> None:
    """DNS rebinding (what cannot run here for real): public when saved, loopback when connecting."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    monkeypatch.setattr(egress, "resolve", lambda host, port: next(answers))
    with RawServer(500, "db_password=hunter2") as internal:
        url = f"http://rebind.invalid:{internal.port}/v1"
        check_base_url(url, AllowList())  # saved: it resolved public then
        with _client([]) as client, pytest.raises(httpx2.ConnectError) as raised:
            client.get(url)
        assert internal.requests == 0
    assert egress.find_refusal(raised.value).reason == LOOPBACK


def test_unix_sockets_are_refused() -> None:
    with pytest.raises(AddressNotAllowed):
        egress.GuardedBackend(AllowList()).connect_unix_socket("/var/run/docker.sock")


def test_ipv6_literal_forms_are_parsed_like_the_resolver_would() -> None:
    assert parse_address("[::ffff:127.0.0.1]") == ipaddress.ip_address("::ffff:127.0.0.1")
