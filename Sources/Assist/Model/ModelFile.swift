package import Foundation

/// The model on disk: a short JSON header, then only the buckets training saw (the rest are
/// zero), as little-endian 32-bit values. A model of 2,400 messages is a few megabytes.
package enum ModelFile {
    private static let magic = Array("TRIBASSIST1\n".utf8)

    struct Header: Codable {
        var version: String
        var hashBits: Int
        var intentLabels: [String]
        var sentimentLabels: [String]
        var intentTemperature: Float
        var sentimentTemperature: Float
        var intentBias: [Float]
        var sentimentBias: [Float]
        var buckets: Int
    }

    package static func encode(_ model: AssistModel) -> Data {
        let intentCount = model.intents.labels.count
        let sentimentCount = model.sentiments.labels.count
        let used = model.vectorizer.idf.indices.filter { model.vectorizer.idf[$0] > 0 || model.toneVectorizer.idf[$0] > 0 }
        let header = Header(
            version: model.version, hashBits: model.vectorizer.hasher.bits,
            intentLabels: model.intents.labels,
            sentimentLabels: model.sentiments.labels,
            intentTemperature: model.intents.temperature, sentimentTemperature: model.sentiments.temperature,
            intentBias: model.intents.bias, sentimentBias: model.sentiments.bias, buckets: used.count)
        let encoder = JSONEncoder()
        // Sorted, so that the same model is the same bytes (dictionary order varies by instance).
        encoder.outputFormatting = [.sortedKeys]
        let headerData = try! encoder.encode(header)
        var data = Data(magic)
        append(UInt32(headerData.count), to: &data)
        data.append(headerData)
        data.reserveCapacity(data.count + used.count * 4 * (3 + intentCount + sentimentCount))
        for bucket in used {
            append(UInt32(bucket), to: &data)
            append(model.vectorizer.idf[bucket].bitPattern, to: &data)
            append(model.toneVectorizer.idf[bucket].bitPattern, to: &data)
            for label in 0..<intentCount { append(model.intents.weights[bucket * intentCount + label].bitPattern, to: &data) }
            for label in 0..<sentimentCount { append(model.sentiments.weights[bucket * sentimentCount + label].bitPattern, to: &data) }
        }
        return data
    }

    package static func decode(_ data: Data) throws -> AssistModel {
        let bytes = [UInt8](data)
        guard bytes.count > magic.count + 4, Array(bytes[0..<magic.count]) == magic else { throw ModelFileError.notAModel }
        var offset = magic.count
        let headerLength = Int(readUInt32(bytes, &offset))
        guard offset + headerLength <= bytes.count else { throw ModelFileError.truncated }
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: Data(bytes[offset..<(offset + headerLength)])),
            (8...24).contains(header.hashBits)
        else { throw ModelFileError.notAModel }
        offset += headerLength
        let hasher = FeatureHasher(bits: header.hashBits)
        let intentCount = header.intentLabels.count
        let sentimentCount = header.sentimentLabels.count
        let rowBytes = 4 * (3 + intentCount + sentimentCount)
        guard bytes.count - offset == header.buckets * rowBytes else { throw ModelFileError.truncated }
        var idf = [Float](repeating: 0, count: hasher.dimension)
        var toneIDF = [Float](repeating: 0, count: hasher.dimension)
        var intentWeights = [Float](repeating: 0, count: hasher.dimension * intentCount)
        var sentimentWeights = [Float](repeating: 0, count: hasher.dimension * sentimentCount)
        for _ in 0..<header.buckets {
            let bucket = Int(readUInt32(bytes, &offset))
            guard bucket < hasher.dimension else { throw ModelFileError.notAModel }
            idf[bucket] = Float(bitPattern: readUInt32(bytes, &offset))
            toneIDF[bucket] = Float(bitPattern: readUInt32(bytes, &offset))
            for label in 0..<intentCount { intentWeights[bucket * intentCount + label] = Float(bitPattern: readUInt32(bytes, &offset)) }
            for label in 0..<sentimentCount {
                sentimentWeights[bucket * sentimentCount + label] = Float(bitPattern: readUInt32(bytes, &offset))
            }
        }
        return AssistModel(
            vectorizer: Vectorizer(hasher: hasher, idf: idf),
            toneVectorizer: Vectorizer(tokenizer: Tokenizer(purpose: .tone), hasher: hasher, idf: toneIDF),
            intents: LinearClassifier(
                labels: header.intentLabels, dimension: hasher.dimension, weights: intentWeights, bias: header.intentBias,
                temperature: header.intentTemperature),
            sentiments: LinearClassifier(
                labels: header.sentimentLabels, dimension: hasher.dimension, weights: sentimentWeights, bias: header.sentimentBias,
                temperature: header.sentimentTemperature),
            version: header.version)
    }

    package static func write(_ model: AssistModel, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written beside and renamed, so a crash never leaves half a model where the hub loads it.
        let temporary = url.appendingPathExtension("partial")
        try encode(model).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: temporary, to: url)
    }

    package static func read(from path: String) throws -> AssistModel {
        guard let data = FileManager.default.contents(atPath: path) else { throw ModelFileError.missing(path) }
        return try decode(data)
    }

    private static func append(_ value: UInt32, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func readUInt32(_ bytes: [UInt8], _ offset: inout Int) -> UInt32 {
        let value =
            UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        offset += 4
        return value
    }
}

/// Why a model file cannot be used.
package enum ModelFileError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case notAModel
    case truncated

    package var description: String {
        switch self {
        case .missing(let path): "no model at \(path)"
        case .notAModel: "not an assist model file"
        case .truncated: "the model file is truncated"
        }
    }
}
