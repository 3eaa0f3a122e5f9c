/// One retrievable unit of a corpus: a passage with its identifier and title.
///
/// ```swift
/// let passage = Passage(id: "p0000", title: "Super_Bowl_50", text: "Super Bowl 50 was ...")
/// passage.displayTitle   // "Super Bowl 50"
/// ```
public struct Passage: Codable, Sendable, Equatable {
    /// The corpus identifier (`_id` in BEIR JSONL).
    public var id: String
    /// The title; may be empty. Underscores (Wikipedia article names) read as spaces.
    public var title: String
    /// The passage body.
    public var text: String

    /// Creates a passage.
    public init(id: String, title: String, text: String) {
        self.id = id
        self.title = title
        self.text = text
    }

    /// The title as indexed and shown: underscores replaced by spaces.
    public var displayTitle: String { title.replacingOccurrences(of: "_", with: " ") }

    enum CodingKeys: String, CodingKey {
        case id = "_id", title, text
    }
}

/// A question with its gold passages, as read from a queries JSONL file.
public struct RetrievalQuery: Sendable, Equatable {
    /// The query identifier (`_id`).
    public var id: String
    /// The question text.
    public var text: String
    /// Gold passage ids known from the query file itself (`passage_id`), if any.
    public var passageIDs: [String]

    /// Creates a query.
    public init(id: String, text: String, passageIDs: [String] = []) {
        self.id = id
        self.text = text
        self.passageIDs = passageIDs
    }
}

import Foundation
