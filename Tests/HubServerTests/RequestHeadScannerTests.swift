import Testing

@testable import HubServer

/// The connection guard's view of the byte stream: heads found across any split, bodies skipped by
/// length, control characters refused, and chunked or upgraded streams left alone.
@Suite struct RequestHeadScannerTests {
    func scan(_ chunks: [String]) -> (RequestHeadScanner, [RequestHeadScanner.Verdict], Int) {
        var scanner = RequestHeadScanner(maximumHeadBytes: 200)
        var verdicts: [RequestHeadScanner.Verdict] = []
        var heads = 0
        for chunk in chunks {
            let (verdict, ended) = scanner.read(Array(chunk.utf8))
            verdicts.append(verdict)
            heads += ended
        }
        return (scanner, verdicts, heads)
    }

    @Test func pipelinedRequestsSplitAnywhereAreFollowedHeadByHead() {
        let stream = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
        for split in 1..<stream.utf8.count {
            let bytes = Array(stream.utf8)
            let (scanner, verdicts, heads) = scan([
                String(decoding: bytes[..<split], as: UTF8.self), String(decoding: bytes[split...], as: UTF8.self),
            ])
            #expect(verdicts.allSatisfy { $0 == .fine })
            #expect(heads == 2)
            #expect(scanner.state == .head(seen: 0) && !scanner.isInsideHead)
        }
    }

    @Test func aBodyIsNotReadAsAHeadEvenWithControlBytes() {
        let (scanner, verdicts, heads) = scan(["POST /a HTTP/1.1\r\nContent-Length: 4\r\n\r\n\u{1}\u{2}\r\n", "GET"])
        #expect(verdicts == [.fine, .fine] && heads == 1)
        #expect(scanner.isInsideHead)
    }

    @Test func controlCharactersBareCRAndOversizedHeadsAreMalformed() {
        #expect(scan(["GET / HTTP/1.1\r\nX: a\u{1}b\r\n\r\n"]).1 == [.malformed("a control character (0x1) in the request head")])
        #expect(scan(["GET / HTTP/1.1\rHost: x\r\n\r\n"]).1 == [.malformed("a CR not followed by LF in the request head")])
        #expect(scan(["GET / HTTP/1.1\r\nX: \u{7F}\r\n\r\n"]).1.first != .fine)
        #expect(scan(["GET /" + String(repeating: "a", count: 300)]).1.first != .fine)
        // Tabs and UTF-8 in header values are fine.
        #expect(scan(["GET / HTTP/1.1\r\nX-Name:\t李雷\r\n\r\n"]).1 == [.fine])
    }

    @Test func chunkedBodiesAndUpgradesAreLeftToTheDecoder() {
        let chunked = scan(["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n\u{1}\u{1}\u{1}\u{1}\u{1}\r\n"])
        #expect(chunked.0.state == .passthrough && chunked.1 == [.fine])
        let upgrade = scan(["GET /chat/web HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "\u{81}\u{5}"])
        #expect(upgrade.0.state == .passthrough && upgrade.1 == [.fine, .fine])
    }
}
