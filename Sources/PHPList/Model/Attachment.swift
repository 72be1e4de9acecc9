/// A campaign attachment: `attachment` joined through `message_attachment`. `filename` is the file's
/// name in PHPList's `$attachment_repository`; `remoteFile` the name shown to recipients.
public struct Attachment: Sendable, Equatable, Identifiable {
    public let id: Int
    public let filename: String
    public let remoteFile: String
    public let mimeType: String
    public let description: String
    public let size: Int

    public init(id: Int, filename: String, remoteFile: String, mimeType: String, description: String, size: Int) {
        self.id = id
        self.filename = filename
        self.remoteFile = remoteFile
        self.mimeType = mimeType
        self.description = description
        self.size = size
    }
}
