/// Where a running import is, reported after every batch (the CLI draws its progress bar from it).
public struct ImportProgress: Sendable, Equatable {
    public let step: String
    public let done: Int
    /// Rows the step has in total, when known.
    public let total: Int?

    public init(step: String, done: Int, total: Int?) {
        self.step = step
        self.done = done
        self.total = total
    }
}
