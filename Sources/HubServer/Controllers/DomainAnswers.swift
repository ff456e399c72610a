import HubCore
import HubStorage
import Hummingbird

// The domain's views are answers as they are: HubCore and HubStorage stay free of Hummingbird,
// so the conformance lives here, where they are served.
extension CustomerProfile: ResponseEncodable {}
extension TimelinePage: ResponseEncodable {}
extension ChannelSyncStatus: ResponseEncodable {}
extension MergeOutcome: ResponseEncodable {}
extension MergeView: ResponseEncodable {}
extension TicketView: ResponseEncodable {}
extension MergeProposalView: ResponseEncodable {}
extension WebhookDeliveryView: ResponseEncodable {}
extension AgentView: ResponseEncodable {}
extension WorkItemView: ResponseEncodable {}
extension NoteView: ResponseEncodable {}
extension CannedResponse: ResponseEncodable {}
