"""What a provider sends, signed with its own SDK: a Twilio inbound SMS (twilio's RequestValidator)
and a WeChat text message (encrypted and signed with wechatpy). Shared by the tests that play a
customer on those channels."""
import time
import uuid

import requests
import xmltodict
from twilio.request_validator import RequestValidator
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

# The credentials the tests' manifests declare for their SMS and WeChat channels.
TWILIO_TOKEN = "12345678901234567890123456789012"
WX_TOKEN = "hubtoken123"
WX_AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WX_APPID = "wx1234567890abcdef"
PUBLIC = "https://hub.test"


def twilio_sms(hub, sender, body, token, public="https://hub.test", path="/hooks/sms"):
    """POSTs an inbound SMS from `sender` as Twilio signs it for `{public}{path}`; asserts the 200."""
    params = {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": "AC33333333333333333333333333333333", "From": sender,
              "To": "+14155550100", "Body": body, "NumMedia": "0", "SmsStatus": "received", "ApiVersion": "2010-04-01"}
    signature = RequestValidator(token).compute_signature(f"{public}{path}", params)
    response = requests.post(hub.url(path), data=params, headers={"X-Twilio-Signature": signature}, timeout=10)
    assert response.status_code == 200, response.text


def wechat_text(hub, openid, text, msg_id, token, aes_key, app_id, create_time=None, path="/hooks/wx"):
    """POSTs a follower's text message in WeChat's safe mode (AES, msg_signature); asserts the `success`."""
    crypto = WeChatCrypto(token, aes_key, app_id)
    plain = (f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
             f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
             f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>")
    nonce, timestamp = str(uuid.uuid4().int % 10**9), str(int(time.time()))
    envelope = xmltodict.parse(crypto.encrypt_message(plain, nonce, timestamp))["xml"]
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    query = {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce, "openid": openid, "encrypt_type": "aes",
             "msg_signature": envelope["MsgSignature"]}
    body = f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
    response = requests.post(hub.url(path), params=query, data=body.encode(), headers={"Content-Type": "text/xml"}, timeout=10)
    assert response.status_code == 200 and response.text == "success"
