import Email
import HubCore
import Logistics
import Marketplace
import SMS
import WeChat
import WebChat
import Webhook

/// The channel kinds this build of the hub knows. A new compiled plug-in adds one line here.
public enum ChannelKinds {
    public static let registry = ChannelKindRegistry([
        WebChatKind.self,
        WeChatKind.self,
        SMSKind.self,
        WebhookKind.self,
        MarketplaceKind.self,
        LogisticsKind.self,
        EmailKind.self,
    ])
}
