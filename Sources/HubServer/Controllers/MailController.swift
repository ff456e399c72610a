import Foundation
import HubCore
import HubMail
import HubStorage
import Hummingbird

/// `/api/v1/messages/{id}/original` and `/attachments/{n}`: a received mail as it came,
/// and the files it carried (listed as file parts `mail-attachment:n` on the message).
struct MailController: Sendable {
    let mailArchive: MailArchive

    /// `GET /api/v1/messages/{id}/original`: the mail as it was received.
    func original(_ request: Request, context: HubRequestContext) async throws -> Response {
        let raw = try await original(context)
        return Response(status: .ok, headers: [.contentType: "message/rfc822"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: raw)))
    }

    /// `GET /api/v1/messages/{id}/attachments/{index}`: one file the mail carried.
    func attachment(_ request: Request, context: HubRequestContext) async throws -> Response {
        let raw = try await original(context)
        let index = try context.parameters.id("index", resource: "attachment")
        let attachments = MIMEParser.parse(raw).attachments
        guard attachments.indices.contains(Int(index)) else {
            throw HubError.notFound("unknown_attachment", "the mail has \(attachments.count) attachment(s)")
        }
        let attachment = attachments[Int(index)]
        let encodedName = attachment.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "attachment"
        return Response(
            status: .ok,
            headers: [.contentType: attachment.mimeType, .contentDisposition: "attachment; filename*=UTF-8''\(encodedName)"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: attachment.data)))
    }

    private func original(_ context: HubRequestContext) async throws -> [UInt8] {
        let id = try context.parameters.id("id", resource: "message")
        guard let raw = try await mailArchive.original(messageID: id) else {
            throw HubError.notFound("no_original", "message \(id) is not a received mail")
        }
        return raw
    }
}
