"""The email channel with a real dovecot and aiosmtpd: polling by UID, MIME and Chinese mail, threading
that does not mix customers, replies over SMTP read back with imaplib, a UIDVALIDITY change."""
import email
import email.header
import email.policy
import imaplib
import sqlite3
import time

import pytest
import requests

from conftest import AGENT, ROOT, Hub, wait_for
from console_pages import browser  # noqa: F401 (a fixture)
from mail_servers import MailServers


@pytest.fixture(scope="module")
def mail():
    servers = MailServers()
    yield servers
    servers.stop()


@pytest.fixture(scope="module")
def hub(tmp_path_factory, mail):
    workdir = tmp_path_factory.mktemp("email")
    manifest = workdir / "hub.yaml"
    manifest.write_text(f"""
server: {{ listen: 127.0.0.1:0, public_url: https://hub.test }}
agents:
  - {{ name: ada, token: "${{TRIBUTARY_DEMO_TOKEN:-demo-token}}" }}
identity: {{ default_region: CN }}
channels:
  - id: mail
    kind: email
    settings:
      imap_url: imap://127.0.0.1:{mail.imap_port}/INBOX
      smtp_url: smtp://127.0.0.1:{mail.smtp_port}/hub.example.com
      username: support
      password: ${{MAIL_PASSWORD}}
      from: 客服中心 <support@hub.example.com>
      reply_to: support+{{conversation}}@hub.example.com
      poll_interval: 1s
  - id: secure
    kind: email
    settings:
      imap_url: imaps://127.0.0.1:{mail.imaps_port}
      smtp_url: smtp://127.0.0.1:{mail.smtp_port}
      username: customer
      password: ${{CUSTOMER_PASSWORD}}
      from: support@hub.example.com
      ca_file: {mail.certificate}
      poll_interval: 1s
  - id: locked
    kind: email
    settings:
      imap_url: imap://127.0.0.1:{mail.imap_port}
      smtp_url: smtp://127.0.0.1:{mail.smtp_port}
      username: support
      password: ${{WRONG_PASSWORD}}
      from: support@hub.example.com
      poll_interval: 1s
""")
    running = Hub(workdir, manifest=manifest, environment={"MAIL_PASSWORD": "support-pass", "WRONG_PASSWORD": "not-it",
                                                                   "CUSTOMER_PASSWORD": "customer-pass"}).start()
    yield running
    running.stop()


def rows(hub, sql, *args):
    with sqlite3.connect(hub.database) as connection:
        return connection.execute(sql, args).fetchall()




def conversation_of(hub, message_id):
    found = rows(hub, "SELECT conversation_id FROM message WHERE channel_id = 'mail' AND provider_message_id = ?", message_id)
    return found[0][0] if found else None


def plain(sender, subject, body, message_id, in_reply_to=None, extra=""):
    headers = f"From: {sender}\r\nTo: support@hub.example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n"
    headers += f"Date: Tue, 14 Nov 2023 22:00:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
    if in_reply_to:
        headers += f"In-Reply-To: <{in_reply_to}>\r\nReferences: <{in_reply_to}>\r\n"
    return (headers + extra + "\r\n" + body + "\r\n").encode()


def customer_inbox():
    client = imaplib.IMAP4("127.0.0.1", pytest.mail_imap_port)
    client.login("customer", "customer-pass")
    client.select("INBOX")
    _, data = client.uid("SEARCH", None, "ALL")
    messages = []
    for uid in data[0].split():
        _, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
        messages.append(email.message_from_bytes(fetched[0][1], policy=email.policy.default))
    client.logout()
    return messages


def test_a_gbk_mail_is_polled_parsed_and_answered_in_its_thread(hub, mail):
    pytest.mail_imap_port = mail.imap_port
    mail.deliver("support", (ROOT / "samples" / "payloads" / "email_inbound_gbk_reply.eml").read_bytes())
    conversation = wait_for(lambda: conversation_of(hub, "20231114221320.7f3a@mail.example.cn"))
    text, author = rows(hub, "SELECT parts, author_name FROM message WHERE provider_message_id = ?", "20231114221320.7f3a@mail.example.cn")[0]
    assert author == "张三"
    assert "您好，包裹还没有收到，请帮忙查一下。" in text and "原始" not in text and "写道" not in text
    # The subject is on the message and the conversation, not only inside /original.
    detail = requests.get(hub.url(f"/api/v1/conversations/{conversation}"), headers=AGENT, timeout=10).json()
    assert detail["conversation"]["subject"] == "回复：订单 #1001 物流查询"
    assert detail["messages"][0]["subject"] == "回复：订单 #1001 物流查询"
    reply = requests.post(hub.url(f"/api/v1/conversations/{conversation}/messages"), json={"text": "您好，已为您查询：包裹正在派送。"},
                          headers=AGENT, timeout=10)
    assert reply.status_code == 201
    sent = wait_for(lambda: [m for m in customer_inbox() if "派送" in m.get_body(("plain",)).get_content()])
    message = sent[0]
    assert str(message["Subject"]) == "Re: 订单 #1001 物流查询"
    assert message["In-Reply-To"] == "<20231114221320.7f3a@mail.example.cn>"
    assert "<20231113090000.1111@mail.example.cn>" in message["References"]
    assert message["Message-ID"].startswith(f"<conv-{conversation}.msg-")
    assert str(message["Reply-To"]).endswith(f"support+c{conversation}@hub.example.com>")
    assert "客服中心" in str(message["From"]) and message["Date"]
    assert message.get_body(("html",)) is not None
    assert "Bcc" not in message


def test_replies_join_their_conversation_but_never_a_strangers(hub, mail):
    mail.deliver("support", plain("Li Lei <li.lei@example.com>", "Where is order #2002?", "Still waiting.", "first-2002@example.com"))
    conversation = wait_for(lambda: conversation_of(hub, "first-2002@example.com"))
    requests.post(hub.url(f"/api/v1/conversations/{conversation}/messages"), json={"text": "Shipped today."}, headers=AGENT, timeout=10)
    hub_id = wait_for(lambda: rows(hub, "SELECT provider_message_id FROM message WHERE conversation_id = ? AND direction = 'out' "
                                        "AND provider_message_id IS NOT NULL", conversation))[0][0]
    # The customer answers the hub's mail: the same conversation.
    mail.deliver("support", plain("li.lei@example.com", "Re: Where is order #2002?", "Thanks!", "second-2002@example.com", hub_id))
    assert wait_for(lambda: conversation_of(hub, "second-2002@example.com")) == conversation
    # An Outlook reply without In-Reply-To, same sender and subject: still the same conversation.
    mail.deliver("support", plain("li.lei@example.com", "RE: Where is order #2002?", "One more thing", "third-2002@example.com"))
    assert wait_for(lambda: conversation_of(hub, "third-2002@example.com")) == conversation
    # Someone else answers the same hub mail (a forwarded thread, a newsletter): a conversation of their own.
    mail.deliver("support", plain("han.meimei@example.com", "Re: Where is order #2002?", "Me too?", "other-2002@example.com", hub_id))
    stranger = wait_for(lambda: conversation_of(hub, "other-2002@example.com"))
    assert stranger != conversation


def test_a_uidvalidity_change_resyncs_without_doubling(hub, mail):
    before = rows(hub, "SELECT COUNT(*) FROM message WHERE channel_id = 'mail' AND direction = 'in'")[0][0]
    mail.reset_uidvalidity("support")
    mail.deliver("support", plain("zhou@example.com", "New after the reset", "hello", "after-reset@example.com"))
    wait_for(lambda: conversation_of(hub, "after-reset@example.com"))
    time.sleep(2)
    after = rows(hub, "SELECT COUNT(*) FROM message WHERE channel_id = 'mail' AND direction = 'in'")[0][0]
    assert after == before + 1, "every earlier mail came back with new UIDs and was recognised by Message-ID"


def test_auto_replies_and_broken_mime_are_kept(hub, mail):
    mail.deliver("support", plain("ooo@example.com", "Out of office", "I am away", "ooo-1@example.com", extra="Auto-Submitted: auto-replied\r\n"))
    broken = (b"From: x@example.com\r\nSubject: broken\r\nMessage-ID: <broken-1@example.com>\r\n"
              b"Content-Type: multipart/mixed; boundary=\"nope\"\r\n\r\n--other\r\nhello\r\n")
    mail.deliver("support", broken)
    wait_for(lambda: conversation_of(hub, "broken-1@example.com"))
    parts = rows(hub, "SELECT parts FROM message WHERE provider_message_id = 'broken-1@example.com'")[0][0]
    assert "could not be read completely" in parts and "hello" in parts
    automated = wait_for(lambda: rows(hub, "SELECT automated FROM mail_envelope WHERE rfc_message_id = 'ooo-1@example.com'"))
    assert automated[0][0] == 1


def test_mail_sent_with_smtplib_is_read_and_its_attachment_and_original_are_served(hub, mail):
    import smtplib
    from email.message import EmailMessage
    message = EmailMessage()
    message["From"] = "Wang Fang <wang.fang@example.com>"
    message["To"] = "support@hub.example.com"
    message["Cc"] = "li.ming@example.com"
    message["Subject"] = "发票请求"
    message["Message-ID"] = "<invoice-1@example.com>"
    message.set_content("请开发票，谢谢。")
    message.add_attachment(b"%PDF-1.4 " + b"x" * 10 * 1024 * 1024, maintype="application", subtype="pdf", filename="订单.pdf")
    with smtplib.SMTP("127.0.0.1", mail.inbound_smtp_port) as client:
        client.send_message(message)
    conversation = wait_for(lambda: conversation_of(hub, "invoice-1@example.com"), timeout=40)
    message_id, parts = rows(hub, "SELECT id, parts FROM message WHERE provider_message_id = 'invoice-1@example.com'")[0]
    import json
    text_part, file_part = json.loads(parts)
    assert text_part["text"] == "请开发票，谢谢。"
    assert (file_part["name"], file_part["mime_type"], file_part["size"]) == ("订单.pdf", "application/pdf", 9 + 10 * 1024 * 1024)
    attachment = requests.get(hub.url(f"/api/v1/messages/{message_id}/attachments/0"), headers=AGENT, timeout=30)
    assert attachment.status_code == 200 and attachment.headers["Content-Type"] == "application/pdf"
    assert len(attachment.content) == 9 + 10 * 1024 * 1024
    original = requests.get(hub.url(f"/api/v1/messages/{message_id}/original"), headers=AGENT, timeout=30)
    assert original.status_code == 200 and b"invoice-1@example.com" in original.content
    # The colleague in Cc answers: a participant, so the same conversation.
    mail.deliver("support", plain("li.ming@example.com", "Re: 发票请求", "我来补充地址", "invoice-2@example.com", "invoice-1@example.com"))
    assert wait_for(lambda: conversation_of(hub, "invoice-2@example.com")) == conversation


def test_a_mailbox_refusing_the_login_is_reported_and_the_hub_keeps_running(hub):
    status = wait_for(lambda: (lambda s: s if s.get("last_error") else None)(
        requests.get(hub.url("/api/v1/channels/locked/status"), headers=AGENT, timeout=10).json()))
    assert "LOGIN_DENIED" in status["last_error"] or "Login denied" in status["last_error"]
    assert requests.get(hub.url("/healthz"), timeout=10).status_code == 200


def test_a_mailbox_over_imaps_with_a_private_ca(hub, mail):
    mail.deliver("customer", plain("tls@example.com", "Over TLS", "secure hello", "tls-1@example.com"))
    found = wait_for(lambda: rows(hub, "SELECT channel_id FROM message WHERE provider_message_id = 'tls-1@example.com'"))
    assert found[0][0] == "secure"
    status = requests.get(hub.url("/api/v1/channels/secure/status"), headers=AGENT, timeout=10).json()
    assert status["last_poll_succeeded_at"]


def test_a_mail_reply_copies_others_from_the_console(hub, mail, browser):
    """The console's composer on a mail conversation: the thread's subject, a Cc field, and the copy delivered."""
    from console_pages import log_in, until
    from selenium.webdriver.common.by import By

    pytest.mail_imap_port = mail.imap_port
    mail.deliver("support", plain("meng@example.cn", "退货申请", "这个台灯我想退货。", "cc-1@example.cn"))
    conversation = wait_for(lambda: conversation_of(hub, "cc-1@example.cn"))
    # Over the API: copying is for mail only, and each copy must be an address.
    web_like = requests.post(hub.url(f"/api/v1/conversations/{conversation}/messages"), json={"text": "x", "cc": ["not an address"]},
                             headers=AGENT, timeout=10)
    assert web_like.status_code == 400 and web_like.json()["error"] == "invalid_cc"
    created = requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10,
                            json={"name": "Meng", "email": "meng.agent@example.cn", "password": "mail-console-pass-26", "role": "admin"})
    assert created.status_code == 201, created.text

    log_in(browser, hub, "meng.agent@example.cn", password="mail-console-pass-26")
    browser.execute_script("window.tributaryConsole.open(arguments[0])", conversation)
    until(browser, lambda d: "Subject: Re: 退货申请" in d.find_element(By.ID, "composer-constraints").text)
    browser.find_element(By.ID, "composer-cc").send_keys("warehouse@example.cn, not-an-address")
    browser.find_element(By.ID, "composer-text").send_keys("已为您登记退货，仓库同事在抄送中。")
    until(browser, lambda d: "not an e-mail address" in d.find_element(By.ID, "composer-problem").text)
    cc = browser.find_element(By.ID, "composer-cc")
    cc.clear()
    cc.send_keys("warehouse@example.cn")
    until(browser, lambda d: d.find_element(By.ID, "send").get_attribute("disabled") is None)
    browser.find_element(By.ID, "send").click()
    sent = wait_for(lambda: [m for m in customer_inbox() if "仓库同事" in m.get_body(("plain",)).get_content()])[0]
    assert sent["Cc"] == "warehouse@example.cn" and str(sent["Subject"]) == "Re: 退货申请"
    assert "warehouse@example.cn" in sent["X-RcptTo"] and "meng@example.cn" in sent["X-RcptTo"]
