import Crypto
import Foundation
import HubCore

/// Kuaidi100 signs with upper-case hex MD5: `MD5(param + salt)` on pushes,
/// `MD5(param + key + customer)` on queries.
enum Kuaidi100Signature {
    static func sign(_ text: String) -> String {
        Insecure.MD5.hash(data: Array(text.utf8)).hexString.uppercased()
    }
}

/// Kuaidi100's carrier codes for the names shops write.
enum CarrierCodes {
    static func code(for name: String?) -> String? {
        guard let name else { return nil }
        let folded = name.lowercased().replacingOccurrences(of: " ", with: "")
        let table: [(String, String)] = [
            ("sf", "shunfeng"), ("顺丰", "shunfeng"), ("zto", "zhongtong"), ("中通", "zhongtong"), ("yto", "yuantong"), ("圆通", "yuantong"),
            ("sto", "shentong"), ("申通", "shentong"), ("yunda", "yunda"), ("韵达", "yunda"), ("ems", "ems"), ("jd", "jd"), ("京东", "jd"),
            ("dhl", "dhl"), ("ups", "ups"), ("fedex", "fedex"), ("jtexpress", "jtexpress"), ("极兔", "jtexpress"),
        ]
        return table.first { folded.hasPrefix($0.0) }?.1
    }
}
