/// One day's digest as data: what both renderings (Markdown for people, JSON for programs) show.
/// Built from the stored day alone, so rewriting it is always safe and always gives the same bytes.
public struct Digest: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var files = 0
        public var articles = 0
        public var stories = 0
        public var nearDuplicates = 0
        public var exactDuplicates = 0
        public var rejected = 0
    }

    public struct Article: Sendable, Equatable {
        public var id: String
        public var file: String
        public var source: String
        public var title: String
        public var duplicateOf: String?
        /// The input's URL as given (the HTML page links it when it is http or https).
        public var url: String? = nil
        public var isNearDuplicate: Bool { duplicateOf != nil }
    }

    public struct Sentence: Sendable, Equatable {
        public var text: String
        public var article: String
        public var source: String
    }

    public struct Story: Sendable, Equatable {
        public var id: String
        /// Continuity across days (`StoryThread`).
        public var thread: StoryThread
        public var headline: String
        public var sources: [String]
        public var summary: [Sentence]
        public var articles: [Article]
    }

    public struct ExactDuplicate: Sendable, Equatable {
        public var file: String
        public var duplicateOf: String
    }

    public struct Rejected: Sendable, Equatable {
        public var file: String
        public var reason: String
    }

    public var date: String
    public var counts: Counts
    public var stories: [Story]
    public var exactDuplicates: [ExactDuplicate]
    public var rejected: [Rejected]
}
