/// A deterministic split of queries into training and held-out sets by a hash of the id,
/// so `retrieve train` and `retrieve eval --split heldout` agree without a split file.
///
/// ```swift
/// QuerySplit(heldOutPercent: 20).isHeldOut("56be4db0acb8001400a502ec")
/// ```
public struct QuerySplit: Sendable, Equatable {
    /// Which queries an evaluation uses.
    public enum Part: String, Sendable, CaseIterable, Codable {
        /// `all`: every query; `train`: those not held out; `heldout`: those held out.
        case all, train, heldout
    }

    /// Percentage of queries held out, 0...100.
    public var heldOutPercent: Int

    /// - Throws: ``RetrievalError/invalidSetting(field:reason:)`` outside 0...100.
    public init(heldOutPercent: Int) throws {
        guard (0...100).contains(heldOutPercent) else {
            throw RetrievalError.invalidSetting(field: "held-out-percent", reason: "must be in 0...100, got \(heldOutPercent)")
        }
        self.heldOutPercent = heldOutPercent
    }

    /// Whether the query with `id` is held out (FNV-1a 64 of the UTF-8 id, modulo 100).
    public func isHeldOut(_ id: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % 100) < heldOutPercent
    }

    /// Whether a query belongs to `part`.
    public func contains(_ id: String, in part: Part) -> Bool {
        switch part {
        case .all: return true
        case .train: return !isHeldOut(id)
        case .heldout: return isHeldOut(id)
        }
    }
}
